#include "analyzer/regression/recent_detection.h"

#include <algorithm>
#include <set>

namespace slowscope {

TargetCheck detect_recent(Store& store, const std::string& target, StoreTime now,
                          const RecentDetectionOptions& options) {
  const StoreTime post_from = now - options.post_window;
  // One baseline for every window, read once.
  const StoreTime baseline_until = baseline_end(post_from, options.baseline);
  const StoreTime baseline_from = baseline_until - options.baseline;
  const WindowTotals baseline = read_window(store, target, baseline_from, baseline_until);

  // Bonferroni over the windows, Benjamini–Hochberg over the shapes within each: the false
  // discoveries of the union are at most the sum of those of its parts.
  const double windows = 1.0 + static_cast<double>(options.short_windows.size());
  DetectionOptions detection = options.detection;
  detection.latency.fdr /= windows;
  const ComparisonWindows post{baseline_from, baseline_until, post_from, now};
  TargetCheck check = compare_windows(target, baseline, read_window(store, target, post_from, now),
                                      post, detection);
  if (!check.evaluated) return check;

  std::vector<std::chrono::seconds> shorter = options.short_windows;
  std::erase_if(shorter, [&](std::chrono::seconds w) {
    return w <= std::chrono::seconds(0) || w >= options.post_window;
  });
  std::sort(shorter.rbegin(), shorter.rend());  // longest first: it gives the evidence
  detection.latency.min_ratio =
      std::max(detection.latency.min_ratio, options.short_window_min_ratio);
  std::set<FindingKey> found;
  for (const Finding& f : check.findings) found.insert(f.key);
  for (std::chrono::seconds w : shorter) {
    const ComparisonWindows recent{baseline_from, baseline_until, now - w, now};
    TargetCheck short_check = compare_windows(
        target, baseline, read_window(store, target, now - w, now), recent, detection);
    for (Finding& f : short_check.findings) {
      // Other kinds (call rates, vanished shapes, ...) need the post window's span.
      if (f.key.kind != FindingKind::kLatency || !found.insert(f.key).second) continue;
      check.findings.push_back(std::move(f));
    }
  }
  std::sort(check.findings.begin(), check.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.added_seconds_per_hour != b.added_seconds_per_hour) {
      return a.added_seconds_per_hour > b.added_seconds_per_hour;
    }
    return a.key < b.key;
  });
  return check;
}

}  // namespace slowscope
