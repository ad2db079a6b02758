#include "core/item_query.hpp"

#include <algorithm>
#include <limits>

namespace regiomap {

namespace {

double total_area(const std::vector<Box>& boxes) {
    double area = 0;
    for (const Box& box : boxes) {
        area += box.empty() ? 0 : (box.max_x - box.min_x) * (box.max_y - box.min_y);
    }
    return area;
}

// The smallest set of boxes some part of the query confines the matches to.
std::optional<std::vector<Box>> candidate_boxes(const ItemQuery& query) {
    std::optional<std::vector<Box>> best;
    double best_area = std::numeric_limits<double>::infinity();
    auto consider = [&](std::vector<Box> boxes) {
        const double area = total_area(boxes);
        if (!best || area < best_area) {
            best_area = area;
            best = std::move(boxes);
        }
    };
    if (!query.boxes.empty()) {
        consider(query.boxes);
    }
    for (const auto& predicate : query.predicates) {
        if (auto boxes = predicate->implied_boxes()) {
            consider(std::move(*boxes));
        }
    }
    return best;
}

bool matches(const Collection& collection, const Feature& feature, const ItemQuery& query) {
    for (const PropertyFilter& filter : query.properties) {
        if (feature.properties[filter.field] != filter.value) {
            return false;
        }
    }
    // A collection without a date or date-time field has no time to filter
    // on: `datetime` lets every feature pass (as pygeoapi and GeoServer do).
    if (const auto field = collection.temporal_field(); query.datetime && field) {
        auto span = time_span(feature.properties[*field]);
        if (!span || !span->overlaps(*query.datetime)) {
            return false;
        }
    }
    // intersects() starts with the geometry's own bounding box.
    if (!query.boxes.empty() && std::none_of(query.boxes.begin(), query.boxes.end(),
                                             [&](const Box& box) { return intersects(feature.geometry, box); })) {
        return false;
    }
    return std::all_of(query.predicates.begin(), query.predicates.end(),
                       [&](const auto& predicate) { return predicate->matches(feature); });
}

template <typename T>
int three_way(const T& a, const T& b) {
    return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

int compare_for_sort(const Value& a, const Value& b) {
    const bool a_null = std::holds_alternative<std::monostate>(a);
    const bool b_null = std::holds_alternative<std::monostate>(b);
    if (a_null || b_null) {
        return a_null == b_null ? 0 : (a_null ? 1 : -1);
    }
    if (a.index() != b.index()) {
        // One column holds one type; numbers of both kinds still order by value.
        auto number = [](const Value& v) -> std::optional<double> {
            if (const auto* i = std::get_if<std::int64_t>(&v)) {
                return static_cast<double>(*i);
            }
            if (const auto* d = std::get_if<double>(&v)) {
                return *d;
            }
            return std::nullopt;
        };
        auto x = number(a);
        auto y = number(b);
        return x && y ? three_way(*x, *y) : three_way(a.index(), b.index());
    }
    return std::visit(
        [&](const auto& left) -> int {
            using T = std::decay_t<decltype(left)>;
            const T& right = std::get<T>(b);
            if constexpr (std::is_same_v<T, std::monostate>) {
                return 0;
            } else if constexpr (std::is_same_v<T, Date>) {
                return three_way(left.days, right.days);
            } else if constexpr (std::is_same_v<T, DateTime>) {
                return three_way(left.ms, right.ms);
            } else {
                return three_way(left, right);
            }
        },
        a);
}

QueryResult run_query(const Collection& collection, const ItemQuery& query) {
    // Positions, not a vector of features: a collection with an overlay
    // (live updates) is its base and the overlay, with hidden positions.
    auto feature = [&](std::uint32_t position) -> const Feature& { return collection.at(position); };
    std::vector<std::uint32_t> matched;
    QueryResult result;
    const bool sorted = !query.sort.empty();
    auto take = [&](std::uint32_t position) {
        if (sorted) {
            matched.push_back(position);
        } else if (result.number_matched >= query.offset && result.features.size() < query.limit) {
            result.features.push_back(&feature(position));
        }
        ++result.number_matched;
    };

    if (auto boxes = candidate_boxes(query)) {
        // Candidates from the index (two boxes may find the same feature),
        // tested in collection order so that paging is stable.
        std::vector<std::uint32_t> candidates;
        for (const Box& box : *boxes) {
            collection.visit_index(box, [&](std::uint32_t item) { candidates.push_back(item); });
        }
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        for (std::uint32_t position : candidates) {
            if (matches(collection, feature(position), query)) {
                take(position);
            }
        }
    } else {
        for (std::uint32_t position = 0; position < collection.position_count(); ++position) {
            if (collection.visible(position) && matches(collection, feature(position), query)) {
                take(position);
            }
        }
    }
    if (!sorted) {
        return result;
    }

    auto before = [&](std::uint32_t a, std::uint32_t b) {
        for (const SortKey& key : query.sort) {
            int order = 0;
            if (key.field) {
                order = compare_for_sort(feature(a).properties[*key.field], feature(b).properties[*key.field]);
            } else {
                order = three_way(feature(a).id, feature(b).id);
            }
            if (order != 0) {
                return key.descending ? order > 0 : order < 0;
            }
        }
        return a < b;  // stable: ties keep collection order
    };
    const std::size_t end = query.offset >= matched.size()
                                ? 0
                                : std::min(matched.size(), query.offset + std::min(query.limit, matched.size()));
    if (end > 0) {
        std::partial_sort(matched.begin(), matched.begin() + static_cast<std::ptrdiff_t>(end), matched.end(), before);
    }
    for (std::size_t i = query.offset; i < end; ++i) {
        result.features.push_back(&feature(matched[i]));
    }
    return result;
}

}  // namespace regiomap
