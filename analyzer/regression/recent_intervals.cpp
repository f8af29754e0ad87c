#include "analyzer/regression/recent_intervals.h"

#include <algorithm>

#include "analyzer/regression/window_reader.h"

namespace slowscope {

void RecentIntervals::refresh(Store& store, const std::string& target, const TimeSpan& span) {
  const bool keeps = held_ && target == target_ && span.from >= held_->from &&
                     span.from < held_->until && span.until >= held_->until;
  const StoreTime read_from = keeps ? std::max(span.from, held_->until - reread_) : span.from;
  const ShapeBuckets read = store.shape_buckets({target, read_from, span.until, true, true});
  if (!keeps) by_shape_.clear();
  // What is read again replaces what was held there; what fell out of the span goes.
  for (auto it = by_shape_.begin(); it != by_shape_.end();) {
    std::vector<IntervalCounts>& held = it->second;
    std::erase_if(
        held, [&](const IntervalCounts& i) { return i.start < span.from || i.start >= read_from; });
    it = held.empty() ? by_shape_.erase(it) : std::next(it);
  }
  std::map<int64_t, const std::string*> hashes;
  for (const ShapeTotals& t : read.totals) hashes.emplace(t.shape_id, &t.shape_hash);
  for (const ShapeBucketCounts& b : read.buckets) {
    const auto it = hashes.find(b.shape_id);
    if (it == hashes.end()) continue;
    by_shape_[*it->second].push_back(interval_counts(b));
  }
  rows_last_read_ = read.buckets.size();
  target_ = target;
  held_ = span;
}

void RecentIntervals::forget() {
  held_.reset();
  by_shape_.clear();
}

std::span<const IntervalCounts> RecentIntervals::of(const std::string& shape_hash) const {
  const auto it = by_shape_.find(shape_hash);
  if (it == by_shape_.end()) return {};
  return it->second;
}

}  // namespace slowscope
