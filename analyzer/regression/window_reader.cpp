#include "analyzer/regression/window_reader.h"

namespace slowscope {
namespace {

// The window's sketch of `shape_id`, when it counts every call the totals do.
std::optional<QuantileSketch> covering_sketch(const WindowData& data, int64_t shape_id,
                                              int64_t calls) {
  const auto it = data.sketches.find(shape_id);
  if (it == data.sketches.end() || calls <= 0) return std::nullopt;
  if (it->second.count() != static_cast<uint64_t>(calls)) return std::nullopt;
  return it->second;
}

std::vector<IntervalCounts> buckets_of(const WindowData& data, int64_t shape_id) {
  const auto it = data.buckets.find(shape_id);
  return it == data.buckets.end() ? std::vector<IntervalCounts>{} : it->second;
}

}  // namespace

WindowData read_window_data(Store& store, const std::string& target,
                            const std::vector<TimeSpan>& spans, bool raw_buckets) {
  WindowData data;
  for (const TimeSpan& span : spans) {
    ShapeBuckets read = store.shape_buckets({target, span.from, span.until, raw_buckets});
    for (ShapeTotals& t : read.totals) {
      data.target.calls += t.measures.calls;
      data.target.total_time += t.measures.total_time;
      auto [it, added] = data.totals.try_emplace(t.shape_id, t);
      if (!added) it->second.measures += t.measures;
    }
    for (const ShapeBucketCounts& b : read.buckets) {
      data.buckets[b.shape_id].push_back(interval_counts(b));
      data.target.calls_by_bucket[b.bucket_start] += b.calls;
    }
    // Sketches merge exactly, so they come from the rollups too, like the totals.
    for (auto& [shape_id, sketch] : store.merged_sketches({target, span.from, span.until, false})) {
      data.sketches[shape_id].merge(sketch);
    }
  }
  return data;
}

TargetWindows join_windows(const std::string& target, const WindowData& base,
                           const WindowData& post, std::chrono::seconds post_span) {
  TargetWindows out;
  out.target = target;
  out.post_span = post_span;
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
    s.post_span = post_span;
    s.baseline_buckets = buckets_of(base, id);
    s.post_buckets = buckets_of(post, id);
    s.baseline_sketch = covering_sketch(base, id, s.baseline.calls);
    s.post_sketch = covering_sketch(post, id, s.post.calls);
    out.shapes.push_back(std::move(s));
  }
  out.baseline = base.target;
  out.post = post.target;
  return out;
}

TargetWindows read_target_windows(Store& store, const std::string& target,
                                  const ComparisonWindows& windows) {
  return join_windows(target, read_window_data(store, target, windows.baseline, false),
                      read_window_data(store, target, {windows.post}, true), windows.post.length());
}

}  // namespace slowscope
