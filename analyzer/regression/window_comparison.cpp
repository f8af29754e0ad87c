#include "analyzer/regression/window_comparison.h"

#include <map>

#include "analyzer/regression/window_reader.h"

namespace slowscope {
namespace {

std::string span_text(std::chrono::seconds span) {
  if (span.count() % 3600 == 0) return std::to_string(span.count() / 3600) + " h";
  return std::to_string(span.count() / 60) + " min";
}

std::string no_baseline_reason(const ComparisonWindows& windows) {
  if (windows.baseline.size() == 1) {
    return "no baseline: no samples in the " + span_text(windows.baseline[0].length()) + " before";
  }
  return "no baseline: no samples in the same hours of the " +
         std::to_string(windows.baseline.size()) + " days before";
}

// Whether the post window read nothing because its raw samples were pruned: the hours
// around it still have rollup rows but no raw sample. (Raw samples in those hours, outside
// the window, mean collection simply had not reached it.)
bool raw_samples_pruned(Store& store, const std::string& target, TimeSpan post) {
  const TimeSpan hours = covering_hours(post);
  return store.shape_buckets({target, hours.from, hours.until, true}).totals.empty() &&
         !store.shape_buckets({target, hours.from, hours.until, false}).totals.empty();
}

// Adds the p50 and p95 of each window whose sketch covers the shape's calls.
void add_quantiles(std::vector<Finding>& findings, const TargetWindows& windows) {
  std::map<std::string, const ShapeWindows*> by_hash;
  for (const ShapeWindows& s : windows.shapes) by_hash.emplace(s.shape_hash, &s);
  for (Finding& f : findings) {
    const auto it = by_hash.find(f.key.shape_hash);
    if (it == by_hash.end()) continue;
    if (const auto& b = it->second->baseline_sketch; b && !b->empty()) {
      f.before_p50 = b->quantile(0.5);
      f.before_p95 = b->quantile(0.95);
    }
    if (const auto& a = it->second->post_sketch; a && !a->empty()) {
      f.after_p50 = a->quantile(0.5);
      f.after_p95 = a->quantile(0.95);
    }
  }
}

}  // namespace

void DetectionOptions::share_latency_fdr_and_min_calls() {
  call_surge.fdr = rows_per_call.fdr = new_shape.fdr = vanished.fdr = latency.fdr;
  call_surge.min_calls = rows_per_call.min_calls = vanished.min_calls = latency.min_calls;
}

TargetCheck compare_windows(Store& store, const std::string& target,
                            const ComparisonWindows& windows, const DetectionOptions& options) {
  const TargetWindows read = read_target_windows(store, target, windows);
  TargetCheck check = judge_windows(read, windows, options);
  if (read.post.calls_by_bucket.empty() && raw_samples_pruned(store, target, windows.post)) {
    check.reason =
        "the post window's per-interval samples were pruned (older than the raw "
        "retention, retention.raw, 7d by default); the hourly and daily rollups are "
        "too coarse for a " +
        span_text(windows.post.length()) +
        " window: check a release within the raw retention, or keep raw samples "
        "longer";
  }
  return check;
}

TargetCheck judge_windows(const TargetWindows& w, const ComparisonWindows& windows,
                          const DetectionOptions& options) {
  TargetCheck check;
  check.target = w.target;
  check.windows = windows;
  if (w.post.calls_by_bucket.empty()) {
    check.reason = "no samples in the post window yet (is collect running?)";
    return check;
  }
  if (w.baseline.calls_by_bucket.empty()) {
    check.reason = no_baseline_reason(windows);
    return check;
  }
  check.evaluated = true;
  for (const ShapeWindows& s : w.shapes) {
    if (s.baseline.calls > 0 && s.post.calls > 0) ++check.shapes_compared;
    if (s.post.calls < options.latency.min_calls) check.thin_shapes.push_back(s.shape_hash);
  }
  auto add = [&](std::vector<Finding> found) {
    for (Finding& f : found) check.findings.push_back(std::move(f));
  };
  add(detect_latency_regressions(w.shapes, options.latency));
  add(detect_call_surges(w, options.call_surge));
  add(detect_rows_per_call(w.shapes, options.rows_per_call));
  add(detect_new_shapes(w, options.new_shape));
  add(detect_vanished(w, options.vanished));
  add_quantiles(check.findings, w);
  rank_findings(check.findings);
  return check;
}

}  // namespace slowscope
