// Ranking of query classes for reports: which shapes matter most, by a chosen measure.
// Pure functions over value types; thread-safe.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "analyzer/aggregate/query_class.h"

namespace slowscope {

enum class RankBy {
  kTotalTime,     // sum of Query_time: where the database time went (the default)
  kMeanTime,      // mean Query_time: the individually slowest shapes
  kCalls,         // how often a shape ran
  kP95Time,       // 95th percentile of Query_time (pt-query-digest's rank rule): tail latency
  kRowsExamined,  // sum of Rows_examined: the heaviest scanners
};

// "total", "mean", "calls", "p95", "rows_examined"; nullopt for anything else.
std::optional<RankBy> parse_rank_by(std::string_view name);

// The measure `by` of one class, as ranked.
double rank_value(const QueryClass& query_class, RankBy by);

// Sorts most significant first; ties go to more total time, then to the smaller query id,
// so the order never depends on input order.
void rank_classes(std::vector<QueryClass>& classes, RankBy by);

}  // namespace slowscope
