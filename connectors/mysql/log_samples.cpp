#include "connectors/mysql/log_samples.h"

#include <set>

namespace slowscope {

void LogStatements::load(Store& store, std::string_view target) {
  known_.load(store, target, kSlowLogServer);
}

void LogStatements::add_to_cycle(const IntervalAggregator& cells, CycleWrite& cycle) const {
  std::set<StatementKey> added;
  for (const auto& [key, figures] : cells.cells()) {
    Sample sample;
    sample.key = StatementKey{key.database, "", key.query_id, true};
    sample.bucket_start = StoreTime(std::chrono::seconds(key.bucket_start));
    sample.interval = cells.interval();
    sample.measures.calls = figures.calls;
    sample.measures.total_time = figures.total_time;
    sample.measures.sum_sq = figures.sum_sq;
    sample.measures.min_time = figures.min_time;
    sample.measures.max_time = figures.max_time;
    sample.measures.row_count = figures.rows_sent + figures.rows_affected;
    sample.measures.rows_examined = figures.rows_examined;
    sample.sketch = figures.query_time.serialize();
    if (!known_.contains(sample.key) && added.insert(sample.key).second) {
      const IntervalShape& shape = cells.shapes().at(key.query_id);
      cycle.new_statements.push_back(
          {sample.key, ShapeInfo{key.query_id, shape.fingerprint, shape.tables}, shape.example});
    }
    cycle.samples.push_back(std::move(sample));
  }
}

void LogStatements::committed(const CycleWrite& cycle) {
  known_.committed(cycle);
}

}  // namespace slowscope
