#include "core/cql2/temporal.hpp"

namespace regiomap::cql2 {

TimeRange widen(const TimeRange& range) {
    TimeRange wide = range;
    if (range.end_is_day && range.end != std::numeric_limits<TimeMs>::max()) {
        wide.end = range.end + kDayMs - 1;
    }
    return wide;
}

bool temporal_relation(Op op, TimeRange a, TimeRange b) {
    if (!(a.all_days() && b.all_days())) {
        a = widen(a);
        b = widen(b);
    }
    switch (op) {
        case Op::t_after:
            return a.begin > b.end;
        case Op::t_before:
            return a.end < b.begin;
        case Op::t_contains:
            return a.begin < b.begin && a.end > b.end;
        case Op::t_disjoint:
            return a.end < b.begin || a.begin > b.end;
        case Op::t_during:
            return a.begin > b.begin && a.end < b.end;
        case Op::t_equals:
            return a.begin == b.begin && a.end == b.end;
        case Op::t_finishedby:
            return a.begin < b.begin && a.end == b.end;
        case Op::t_finishes:
            return a.begin > b.begin && a.end == b.end;
        case Op::t_intersects:
            return a.begin <= b.end && a.end >= b.begin;
        case Op::t_meets:
            return a.end == b.begin;
        case Op::t_metby:
            return a.begin == b.end;
        case Op::t_overlappedby:
            return a.begin > b.begin && a.begin < b.end && a.end > b.end;
        case Op::t_overlaps:
            return a.begin < b.begin && a.end > b.begin && a.end < b.end;
        case Op::t_startedby:
            return a.begin == b.begin && a.end > b.end;
        case Op::t_starts:
            return a.begin == b.begin && a.end < b.end;
        default:
            return false;
    }
}

}  // namespace regiomap::cql2
