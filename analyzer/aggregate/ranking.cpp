#include "analyzer/aggregate/ranking.h"

#include <algorithm>
#include <tuple>

namespace slowscope {
namespace {

double query_time(const QueryClass& c, double (*read)(const MetricSummary&)) {
  const MetricSummary* m = c.metric("Query_time");
  return m ? read(*m) : 0;
}

}  // namespace

std::optional<RankBy> parse_rank_by(std::string_view name) {
  if (name == "total") return RankBy::kTotalTime;
  if (name == "mean") return RankBy::kMeanTime;
  if (name == "calls") return RankBy::kCalls;
  if (name == "p95") return RankBy::kP95Time;
  if (name == "rows_examined") return RankBy::kRowsExamined;
  return std::nullopt;
}

double rank_value(const QueryClass& c, RankBy by) {
  switch (by) {
    case RankBy::kTotalTime:
      return query_time(c, [](const MetricSummary& m) { return m.sum(); });
    case RankBy::kMeanTime:
      return query_time(c, [](const MetricSummary& m) { return m.mean(); });
    case RankBy::kCalls:
      return static_cast<double>(c.calls);
    case RankBy::kP95Time:
      return query_time(c, [](const MetricSummary& m) { return m.percentile_95(); });
    case RankBy::kRowsExamined: {
      const MetricSummary* m = c.metric("Rows_examined");
      return m ? m->sum() : 0;
    }
  }
  return 0;
}

void rank_classes(std::vector<QueryClass>& classes, RankBy by) {
  auto key = [by](const QueryClass& c) {
    return std::make_tuple(rank_value(c, by), rank_value(c, RankBy::kTotalTime));
  };
  std::stable_sort(classes.begin(), classes.end(), [&](const QueryClass& a, const QueryClass& b) {
    const auto ka = key(a), kb = key(b);
    if (ka != kb) return ka > kb;
    return a.query_id < b.query_id;
  });
}

}  // namespace slowscope
