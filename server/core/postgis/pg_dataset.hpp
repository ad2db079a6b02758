#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/postgis/pg_connection.hpp"

namespace regiomap::pg {

// What a database says about the data set as a whole, in the table
// regiomap.dataset (key, value) that scripts/load-postgis writes: a
// GeoPackage keeps the same in its metadata. Empty when there is none.
struct DatasetInfo {
    std::string attribution;
};

DatasetInfo read_dataset_info(Connection& connection);

// The allowed values of a column, as scripts/load-postgis declares them in
// regiomap.field_rules (from the GeoPackage's field domains) beside the
// CHECK constraints it makes of them.
struct FieldRule {
    std::vector<std::string> allowed;
    std::optional<double> minimum;
    std::optional<double> maximum;
};
// By table name ("schema.table" outside public), then column.
using FieldRules = std::map<std::string, std::map<std::string, FieldRule>>;

FieldRules read_field_rules(Connection& connection);

}  // namespace regiomap::pg
