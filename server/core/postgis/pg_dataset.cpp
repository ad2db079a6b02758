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

namespace {

// A PostgreSQL text[] in its text form: {a,"b c"}; the values
// load-postgis writes are domain codes, quoted where needed.
std::vector<std::string> text_array(const std::string& text) {
    std::vector<std::string> values;
    std::string current;
    bool quoted = false;
    bool in_value = false;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '\\' && i + 2 < text.size()) {
                current += text[++i];
            } else if (c == '"') {
                quoted = false;
            } else {
                current += c;
            }
        } else if (c == '"') {
            quoted = true;
            in_value = true;
        } else if (c == ',') {
            values.push_back(std::move(current));
            current.clear();
            in_value = false;
        } else {
            current += c;
            in_value = true;
        }
    }
    if (in_value || !values.empty()) {
        values.push_back(std::move(current));
    }
    return values;
}

}  // namespace

FieldRules read_field_rules(Connection& connection) {
    FieldRules rules;
    auto exists = connection.exec("SELECT to_regclass('regiomap.field_rules') IS NOT NULL");
    if (cell(exists.get(), 0, 0) != "t") {
        return rules;
    }
    auto rows = connection.exec(
        "SELECT CASE WHEN table_schema = 'public' THEN table_name ELSE table_schema || '.' || table_name END, "
        "column_name, allowed, minimum, maximum FROM regiomap.field_rules");
    for (int row = 0; row < PQntuples(rows.get()); ++row) {
        FieldRule rule;
        if (auto allowed = cell(rows.get(), row, 2)) {
            rule.allowed = text_array(*allowed);
        }
        if (auto minimum = cell(rows.get(), row, 3)) {
            rule.minimum = std::stod(*minimum);
        }
        if (auto maximum = cell(rows.get(), row, 4)) {
            rule.maximum = std::stod(*maximum);
        }
        rules[cell(rows.get(), row, 0).value_or("")][cell(rows.get(), row, 1).value_or("")] = std::move(rule);
    }
    return rules;
}

}  // namespace regiomap::pg
