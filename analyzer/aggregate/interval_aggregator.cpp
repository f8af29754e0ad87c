#include "analyzer/aggregate/interval_aggregator.h"

#include <algorithm>
#include <stdexcept>

#include "analyzer/fingerprint/query_id.h"
#include "analyzer/fingerprint/tables.h"

namespace slowscope {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// The attribute `name` as a whole non-negative count; 0 when absent or not a number.
int64_t count_attribute(const QueryEvent& event, std::string_view name) {
  for (const Attribute& a : event.attributes) {
    if (a.name != name) continue;
    if (const double* v = std::get_if<double>(&a.value); v != nullptr && *v > 0) {
      return static_cast<int64_t>(*v);
    }
    return 0;
  }
  return 0;
}

}  // namespace

IntervalAggregator::IntervalAggregator(std::chrono::seconds interval) : interval_(interval) {
  if (interval.count() < 1) throw std::invalid_argument("interval must be at least 1 s");
}

void IntervalAggregator::add(const QueryEvent& event, int64_t fallback_ts_us) {
  ++events_;
  int64_t ts_us = fallback_ts_us;
  if (event.ts_us) {
    ts_us = *event.ts_us;
  } else {
    ++untimed_;
  }
  const int64_t width = interval_.count();
  const int64_t bucket = floor_div(floor_div(ts_us, 1'000'000), width) * width;

  const std::string_view fingerprint = fingerprinter_.fingerprint(event.query);
  auto id = ids_.find(std::string(fingerprint));
  if (id == ids_.end()) {
    id = ids_.emplace(std::string(fingerprint), query_id(fingerprint)).first;
  }
  if (!shapes_.contains(id->second)) {
    shapes_.emplace(id->second, IntervalShape{std::string(fingerprint), extract_tables(event.query),
                                              std::string(event.query)});
  }

  IntervalFigures& cell = cells_[IntervalKey{bucket, std::string(event.db), id->second}];
  const double t = std::max(event.query_time, 0.0);
  cell.min_time = cell.calls == 0 ? t : std::min(cell.min_time, t);
  cell.max_time = cell.calls == 0 ? t : std::max(cell.max_time, t);
  ++cell.calls;
  cell.total_time += t;
  cell.sum_sq += t * t;
  cell.lock_time += std::max(event.lock_time, 0.0);
  if (!event.admin_command) {  // as pt-query-digest's --zero-admin
    cell.rows_sent += count_attribute(event, "Rows_sent");
    cell.rows_examined += count_attribute(event, "Rows_examined");
    cell.rows_affected += count_attribute(event, "Rows_affected");
  }
  cell.query_time.add(t);
}

void IntervalAggregator::clear() {
  cells_.clear();
  shapes_.clear();
  events_ = 0;
  untimed_ = 0;
}

}  // namespace slowscope
