#pragma once

#include <string>

#include "core/postgis/pg_connection.hpp"

namespace regiomap::pg {

// What a database says about the data set as a whole, in the table
// regiomap.dataset (key, value) that scripts/load-postgis writes: a
// GeoPackage keeps the same in its metadata. Empty when there is none.
struct DatasetInfo {
    std::string attribution;
};

DatasetInfo read_dataset_info(Connection& connection);

}  // namespace regiomap::pg
