#include "analyzer/aggregate/interval_aggregator.h"

#include <algorithm>
#include <stdexcept>

#include "analyzer/error/errors.h"
#include "analyzer/fingerprint/query_id.h"
#include "analyzer/fingerprint/tables.h"

namespace slowscope {
namespace {

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// A whole non-negative count; 0 when not a number.
int64_t as_count(const AttributeValue& value) {
  const double* v = std::get_if<double>(&value);
  return v != nullptr && *v > 0 ? static_cast<int64_t>(*v) : 0;
}

// Adds the entry's Rows_sent/_examined/_affected (the first of each, as logged) to `cell`,
// in one pass over its attributes.
void add_row_counts(const QueryEvent& event, IntervalFigures& cell) {
  bool sent = false, examined = false, affected = false;
  for (const Attribute& a : event.attributes) {
    if (!a.name.starts_with("Rows_")) continue;
    const std::string_view rest = a.name.substr(5);
    if (rest == "sent" && !sent) {
      sent = true;
      cell.rows_sent += as_count(a.value);
    } else if (rest == "examined" && !examined) {
      examined = true;
      cell.rows_examined += as_count(a.value);
    } else if (rest == "affected" && !affected) {
      affected = true;
      cell.rows_affected += as_count(a.value);
    }
  }
}

}  // namespace

uint32_t IntervalAggregator::StringIds::id(std::string_view s) {
  if (auto found = ids_.find(s); found != ids_.end()) return found->second;
  const auto id = static_cast<uint32_t>(texts_.size());
  texts_.emplace_back(s);
  ids_.emplace(texts_.back(), id);
  return id;
}

size_t IntervalAggregator::CellRefHash::operator()(const CellRef& c) const {
  const uint64_t ids = (uint64_t{c.database} << 32) | c.shape;
  return std::hash<uint64_t>{}(static_cast<uint64_t>(c.bucket) * 0x9E3779B97F4A7C15ULL ^ ids);
}

IntervalAggregator::IntervalAggregator(std::chrono::seconds interval) : interval_(interval) {
  if (interval.count() < 1) throw InvalidInput("interval must be at least 1 s");
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
  const uint32_t shape = fingerprints_.id(fingerprint);
  if (shape == shape_slots_.size()) shape_slots_.push_back({query_id(fingerprint), 0});
  ShapeSlot& slot = shape_slots_[shape];
  if (slot.described_in != generation_) {
    slot.described_in = generation_;
    shapes_.emplace(slot.query_id,
                    IntervalShape{std::string(fingerprint), extract_tables(event.query),
                                  std::string(event.query)});
  }

  const CellRef ref{bucket, databases_.id(event.db), shape};
  IntervalFigures*& indexed = cell_index_[ref];
  if (indexed == nullptr) {
    indexed = &cells_[IntervalKey{bucket, databases_.text(ref.database), slot.query_id}];
  }
  IntervalFigures& cell = *indexed;
  const double t = std::max(event.query_time, 0.0);
  cell.min_time = cell.calls == 0 ? t : std::min(cell.min_time, t);
  cell.max_time = cell.calls == 0 ? t : std::max(cell.max_time, t);
  ++cell.calls;
  cell.total_time += t;
  cell.sum_sq += t * t;
  cell.lock_time += std::max(event.lock_time, 0.0);
  if (!event.admin_command) add_row_counts(event, cell);  // as pt-query-digest's --zero-admin
  cell.query_time.add(t);
}

void IntervalAggregator::clear() {
  cell_index_.clear();
  cells_.clear();
  shapes_.clear();
  ++generation_;
  events_ = 0;
  untimed_ = 0;
}

}  // namespace slowscope
