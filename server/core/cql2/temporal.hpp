#pragma once

#include <limits>

#include "core/cql2/ast.hpp"
#include "core/datetime.hpp"

namespace regiomap::cql2 {

// A temporal value as a closed range of instants; an instant has
// begin == end. `*_is_day` marks an end that is a calendar date, which
// stands for its whole day when compared with timestamps (see widen());
// an open end ('..') is neutral and carries `true`.
struct TimeRange {
    TimeMs begin = std::numeric_limits<TimeMs>::min();
    TimeMs end = std::numeric_limits<TimeMs>::max();
    bool begin_is_day = false;
    bool end_is_day = false;

    bool all_days() const { return begin_is_day && end_is_day; }
};

// When one side is written in dates and the other in timestamps, a date
// at the end of a range means up to the last millisecond of that day.
TimeRange widen(const TimeRange& range);

// The CQL2 temporal functions (T_AFTER … T_STARTS) on two ranges, by
// Allen's interval relations.
bool temporal_relation(Op op, TimeRange a, TimeRange b);

}  // namespace regiomap::cql2
