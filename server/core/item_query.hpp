#pragma once

#include "core/feature_store.hpp"

namespace regiomap {

// Answers an items query from a collection's features and its spatial
// index alone (nothing about how the collection was built or loaded):
//   1. candidates: from the R-tree when the query implies boxes (`bbox`,
//      or the spatial literals of a filter — the smallest such set wins),
//      otherwise every feature;
//   2. every condition tested on each candidate (equality filters and
//      `datetime` first, the exact box test, then the predicates);
//   3. ordered by the sort keys when there are any (stable: equal keys keep
//      collection order, so pages never overlap or skip), then paged.
QueryResult run_query(const Collection& collection, const ItemQuery& query);

// -1, 0 or 1: how two values of one field order for `sortby`. Nulls sort
// after every value (so first when descending, as PostgreSQL does).
int compare_for_sort(const Value& a, const Value& b);

}  // namespace regiomap
