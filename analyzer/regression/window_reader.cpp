#include "analyzer/regression/window_reader.h"

#include <limits>
#include <map>

namespace slowscope {
namespace {

// One window of one target as the store has it, summed over the window's spans.
struct WindowData {
  std::map<int64_t, ShapeTotals> totals;
  std::map<int64_t, std::vector<IntervalCounts>> buckets;
  std::map<int64_t, QuantileSketch> sketches;
  WindowTotals target;
};

// `raw_only`: per-bucket counts at the collection interval, for the short, recent post
// window; a baseline reads hours, a week's worth of minutes being too many rows.
WindowData read_window(Store& store, const std::string& target, const std::vector<TimeSpan>& spans,
                       bool raw_only) {
  WindowData data;
  for (const TimeSpan& span : spans) {
    for (ShapeTotals& t : store.top(
             {target, span.from, span.until, TopOrder::kTotal, std::numeric_limits<int>::max()})) {
      data.target.calls += t.measures.calls;
      data.target.total_time += t.measures.total_time;
      auto [it, added] = data.totals.try_emplace(t.shape_id, t);
      if (!added) it->second.measures += t.measures;
    }
    for (const ShapeBucketCounts& b :
         store.shape_buckets({target, span.from, span.until, raw_only})) {
      data.buckets[b.shape_id].push_back(
          {b.bucket_start, b.calls, b.rows_examined, b.shared_blocks});
      data.target.calls_by_bucket[b.bucket_start] += b.calls;
    }
    for (auto& [shape_id, sketch] : store.merged_sketches({target, span.from, span.until, true})) {
      data.sketches[shape_id].merge(sketch);
    }
  }
  return data;
}

// The window's sketch of `shape_id`, when it counts every call the totals do.
std::optional<QuantileSketch> covering_sketch(const WindowData& data, int64_t shape_id,
                                              int64_t calls) {
  const auto it = data.sketches.find(shape_id);
  if (it == data.sketches.end() || calls <= 0) return std::nullopt;
  if (it->second.count() != static_cast<uint64_t>(calls)) return std::nullopt;
  return it->second;
}

std::vector<IntervalCounts> buckets_of(WindowData& data, int64_t shape_id) {
  const auto it = data.buckets.find(shape_id);
  return it == data.buckets.end() ? std::vector<IntervalCounts>{} : std::move(it->second);
}

}  // namespace

TargetWindows read_target_windows(Store& store, const std::string& target,
                                  const ComparisonWindows& windows) {
  WindowData base = read_window(store, target, windows.baseline, false);
  WindowData post = read_window(store, target, {windows.post}, true);
  TargetWindows out;
  out.target = target;
  out.post_span = windows.post.length();
  std::map<int64_t, const ShapeTotals*> shapes;
  for (const auto& [id, t] : base.totals) shapes.emplace(id, &t);
  for (const auto& [id, t] : post.totals) shapes.emplace(id, &t);
  for (const auto& [id, totals] : shapes) {
    ShapeWindows s;
    s.target = target;
    s.shape_hash = totals->shape_hash;
    s.fingerprint = totals->fingerprint;
    if (auto it = base.totals.find(id); it != base.totals.end()) s.baseline = it->second.measures;
    if (auto it = post.totals.find(id); it != post.totals.end()) s.post = it->second.measures;
    s.post_span = out.post_span;
    s.baseline_buckets = buckets_of(base, id);
    s.post_buckets = buckets_of(post, id);
    s.baseline_sketch = covering_sketch(base, id, s.baseline.calls);
    s.post_sketch = covering_sketch(post, id, s.post.calls);
    out.shapes.push_back(std::move(s));
  }
  out.baseline = std::move(base.target);
  out.post = std::move(post.target);
  return out;
}

}  // namespace slowscope
