#include "core/postgis/pg_dataset.hpp"

namespace regiomap::pg {

DatasetInfo read_dataset_info(Connection& connection) {
    DatasetInfo info;
    auto exists = connection.exec("SELECT to_regclass('regiomap.dataset') IS NOT NULL");
    if (cell(exists.get(), 0, 0) != "t") {
        return info;
    }
    auto rows = connection.exec("SELECT key, value FROM regiomap.dataset");
    for (int row = 0; row < PQntuples(rows.get()); ++row) {
        if (cell(rows.get(), row, 0) == "attribution") {
            info.attribution = cell(rows.get(), row, 1).value_or("");
        }
    }
    return info;
}

}  // namespace regiomap::pg
