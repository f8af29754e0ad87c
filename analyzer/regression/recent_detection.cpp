#include "analyzer/regression/recent_detection.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "analyzer/regression/interval_noise.h"
#include "analyzer/regression/recent_intervals.h"
#include "analyzer/regression/window_reader.h"

namespace slowscope {
namespace {

// The baseline of a recent span and what it holds, read once for every window judged
// against it.
struct Baseline {
  ComparisonWindows windows;
  WindowData data;
};

// kSameHours: the clock hours of `recent` on the days before, while they hold calls; else
// the span right before `recent`.
Baseline read_baseline(Store& store, const std::string& target, const TimeSpan& recent,
                       const RecentDetectionOptions& options) {
  Baseline b{comparison_windows(recent, options.baseline, BaselineMode::kPrevious), {}};
  if (options.baseline_mode == BaselineMode::kSameHours) {
    const ComparisonWindows same_hours =
        comparison_windows(covering_hours(recent), options.baseline, BaselineMode::kSameHours);
    WindowData data = read_window_data(store, target, same_hours.baseline, false);
    if (data.target.calls > 0) {
      b.windows.baseline = same_hours.baseline;
      b.data = std::move(data);
      return b;
    }
  }
  b.data = read_window_data(store, target, b.windows.baseline, false);
  return b;
}

}  // namespace

TargetCheck detect_recent(Store& store, const std::string& target, StoreTime now,
                          const RecentDetectionOptions& options, RecentIntervals* kept) {
  // The post window's baseline, for the short windows too.
  const Baseline baseline = read_baseline(store, target, {now - options.post_window, now}, options);
  const ComparisonWindows& windows = baseline.windows;
  const TimeSpan& recent = windows.post;
  // Each shape's raw intervals over the noise span before the earliest window (kept from the
  // previous pass, or read here); each window's shapes get the drift measured on the span
  // just before it, so that a step inside a window does not widen its own uncertainty.
  const bool measures_drift = options.noise_span > std::chrono::seconds(0);
  RecentIntervals read_here;
  RecentIntervals& intervals = kept != nullptr ? *kept : read_here;
  std::vector<std::chrono::seconds> longer = options.long_windows;
  std::erase_if(longer, [&](std::chrono::seconds w) { return w <= options.post_window; });
  const StoreTime earliest = longer.empty() ? recent.from : now - std::ranges::max(longer);
  if (measures_drift) intervals.refresh(store, target, {earliest - options.noise_span, now});
  const auto read = [&](const ComparisonWindows& w, const WindowData& base) {
    TargetWindows out = join_windows(target, base, read_window_data(store, target, {w.post}, true),
                                     w.post.length());
    if (!measures_drift) return out;
    for (ShapeWindows& s : out.shapes) {
      const std::span<const IntervalCounts> held = intervals.of(s.shape_hash);
      const auto at_or_after = [&](StoreTime t) {
        return std::ranges::partition_point(held,
                                            [&](const IntervalCounts& i) { return i.start < t; });
      };
      s.interval_noise = measured_interval_noise(
          {at_or_after(w.post.from - options.noise_span), at_or_after(w.post.from)}, s.baseline);
    }
    return out;
  };

  // Bonferroni over the windows and rules, Benjamini–Hochberg over the shapes within each:
  // the false discoveries of the union are at most the sum of those of its parts.
  std::vector<std::chrono::seconds> shorter = options.short_windows;
  std::erase_if(shorter, [&](std::chrono::seconds w) {
    return w <= std::chrono::seconds(0) || w >= options.post_window;
  });
  const bool precise_rule = options.short_window_precise_min_ratio > 0;
  DetectionOptions detection = options.detection;
  detection.latency.fdr /=
      1.0 + static_cast<double>(shorter.size() * (precise_rule ? 2 : 1) + longer.size());
  detection.latency.min_drift_z = options.drift_z;
  detection.latency.drift_estimate_widening = options.drift_estimate_widening;
  TargetCheck check = judge_windows(read(windows, baseline.data), windows, detection);
  if (!check.evaluated) return check;
  const DetectionOptions long_rule = detection;

  std::sort(shorter.rbegin(), shorter.rend());  // longest first: it gives the evidence
  LatencyThresholds& latency = detection.latency;
  latency.size_confidence_z = options.short_window_size_z;
  latency.post_spread_at_least_baseline = options.short_window_spread_at_least_baseline;
  latency.min_interval_ratio = options.short_window_min_interval_ratio;
  latency.min_calls = std::max(latency.min_calls, options.short_window_min_calls);
  DetectionOptions step = detection;
  step.latency.min_ratio = std::max(latency.min_ratio, options.short_window_min_ratio);
  step.latency.min_ratio_low = options.short_window_min_ratio_low;
  step.latency.low_confidence_z = options.short_window_low_z;
  std::vector<DetectionOptions> rules{step};
  if (precise_rule) {
    DetectionOptions& precise = rules.emplace_back(detection);
    precise.latency.min_ratio = std::max(latency.min_ratio, options.short_window_precise_min_ratio);
    precise.latency.interval_noise = options.short_window_interval_noise;
    precise.latency.min_z = options.short_window_precise_min_z;
  }
  std::set<FindingKey> found;
  for (const Finding& f : check.findings) found.insert(f.key);
  for (std::chrono::seconds w : shorter) {
    const ComparisonWindows short_windows{windows.baseline, {now - w, now}};
    const TargetWindows short_read = read(short_windows, baseline.data);
    for (const DetectionOptions& rule : rules) {
      for (Finding& f : judge_windows(short_read, short_windows, rule).findings) {
        // Other kinds (call rates, vanished shapes, ...) need the post window's span.
        if (f.key.kind != FindingKind::kLatency || !found.insert(f.key).second) continue;
        check.findings.push_back(std::move(f));
      }
    }
  }
  // Last, so that a step found in a shorter window keeps that window's evidence. Each has
  // its own baseline: the span before the post window would overlap it.
  for (std::chrono::seconds w : longer) {
    const Baseline b = read_baseline(store, target, {now - w, now}, options);
    for (Finding& f : judge_windows(read(b.windows, b.data), b.windows, long_rule).findings) {
      if (f.key.kind != FindingKind::kLatency || !found.insert(f.key).second) continue;
      check.findings.push_back(std::move(f));
    }
  }
  rank_findings(check.findings);
  return check;
}

}  // namespace slowscope
