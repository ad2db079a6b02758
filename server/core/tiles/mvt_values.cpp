#include "core/tiles/mvt_values.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include <protozero/pbf_writer.hpp>

namespace regiomap {

namespace {

// Field numbers of vector_tile.proto's Value message (MVT 2.1).
namespace value_field {
constexpr protozero::pbf_tag_type string_value = 1;
constexpr protozero::pbf_tag_type double_value = 3;
constexpr protozero::pbf_tag_type uint_value = 5;
constexpr protozero::pbf_tag_type sint_value = 6;
constexpr protozero::pbf_tag_type bool_value = 7;
}  // namespace value_field

// Encodes a Value message into `out`; nothing for null. Dates become their ISO text.
void encode_value(const Value& value, std::string& out) {
    out.clear();
    protozero::pbf_writer writer(out);
    struct Visitor {
        protozero::pbf_writer& w;
        void operator()(std::monostate) const {}
        void operator()(bool b) const { w.add_bool(value_field::bool_value, b); }
        void operator()(std::int64_t i) const {
            if (i >= 0) {
                w.add_uint64(value_field::uint_value, static_cast<std::uint64_t>(i));
            } else {
                w.add_sint64(value_field::sint_value, i);
            }
        }
        void operator()(double d) const { w.add_double(value_field::double_value, d); }
        void operator()(const std::string& s) const { w.add_string(value_field::string_value, s); }
        void operator()(Date d) const { w.add_string(value_field::string_value, format_date(d.days)); }
        void operator()(DateTime t) const { w.add_string(value_field::string_value, format_datetime(t.ms)); }
    };
    std::visit(Visitor{writer}, value);
}

}  // namespace

std::uint32_t MvtValues::intern(const Value& value) {
    if (std::holds_alternative<std::monostate>(value)) {
        return kNull;
    }
    encode_value(value, scratch_);
    if (ends_.size() * 2 >= table_.size()) {  // at most half full: short probe runs
        std::vector<std::uint32_t> grown(std::max<std::size_t>(table_.size() * 2, 1024), 0);
        const std::size_t mask = grown.size() - 1;
        for (std::uint32_t id = 0; id < ends_.size(); ++id) {
            std::size_t slot = std::hash<std::string_view>{}(encoded(id)) & mask;
            while (grown[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            grown[slot] = id + 1;
        }
        table_ = std::move(grown);
    }
    const std::size_t mask = table_.size() - 1;
    std::size_t slot = std::hash<std::string_view>{}(scratch_)&mask;
    while (table_[slot] != 0) {
        const std::uint32_t id = table_[slot] - 1;
        if (encoded(id) == scratch_) {
            return id;
        }
        slot = (slot + 1) & mask;
    }
    if (bytes_.size() + scratch_.size() > std::numeric_limits<std::uint32_t>::max() || ends_.size() + 1 >= kNull) {
        throw std::length_error("a collection's distinct property values exceed 4 GiB");
    }
    bytes_ += scratch_;
    ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
    const auto id = static_cast<std::uint32_t>(ends_.size() - 1);
    table_[slot] = id + 1;
    return id;
}

void MvtValues::finish_interning() {
    table_ = {};
    scratch_ = {};
    bytes_.shrink_to_fit();
    ends_.shrink_to_fit();
}

}  // namespace regiomap
