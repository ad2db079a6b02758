#include "app/change_notice.hpp"

#include <nlohmann/json.hpp>

namespace regiomap::app {

std::optional<ChangeNotice> parse_change_notice(std::string_view payload) {
    // NOTIFY payloads are at most 8000 bytes; anyone who may connect can
    // send one on our channel, so nothing here is assumed.
    const auto json = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object()) {
        return std::nullopt;
    }
    const auto version = json.find("v");
    const auto schema = json.find("schema");
    const auto table = json.find("table");
    const auto op = json.find("op");
    if (version == json.end() || !version->is_number_integer() || version->get<std::int64_t>() != 1 ||
        schema == json.end() || !schema->is_string() || table == json.end() || !table->is_string() ||
        op == json.end() || !op->is_string()) {
        return std::nullopt;
    }
    ChangeNotice notice;
    notice.schema = schema->get<std::string>();
    notice.table = table->get<std::string>();
    const std::string name = op->get<std::string>();
    if (name == "insert") {
        notice.op = ChangeNotice::Op::insert;
    } else if (name == "update") {
        notice.op = ChangeNotice::Op::update;
    } else if (name == "delete") {
        notice.op = ChangeNotice::Op::remove;
    } else if (name == "truncate") {
        notice.op = ChangeNotice::Op::truncate;
    } else if (name == "schema") {
        notice.op = ChangeNotice::Op::schema;
    } else {
        return std::nullopt;
    }
    if (notice.table.empty()) {
        return std::nullopt;
    }
    if (!notice.whole_table()) {
        const auto key = json.find("key");
        if (key == json.end() || !key->is_number_integer()) {
            return std::nullopt;
        }
        notice.key = key->get<std::int64_t>();
    }
    return notice;
}

}  // namespace regiomap::app
