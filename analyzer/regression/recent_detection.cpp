#include "analyzer/regression/recent_detection.h"

#include <algorithm>
#include <set>

#include "analyzer/regression/window_reader.h"

namespace slowscope {

TargetCheck detect_recent(Store& store, const std::string& target, StoreTime now,
                          const RecentDetectionOptions& options) {
  const ComparisonWindows windows =
      comparison_windows({now - options.post_window, now}, options.baseline, options.baseline_mode);
  // One baseline for every window, read once.
  const WindowData baseline = read_window_data(store, target, windows.baseline, false);
  const auto judge = [&](const ComparisonWindows& w, const DetectionOptions& detection) {
    const WindowData post = read_window_data(store, target, {w.post}, true);
    return judge_windows(join_windows(target, baseline, post, w.post.length()), w, detection);
  };

  // Bonferroni over the windows, Benjamini–Hochberg over the shapes within each: the false
  // discoveries of the union are at most the sum of those of its parts.
  std::vector<std::chrono::seconds> shorter = options.short_windows;
  std::erase_if(shorter, [&](std::chrono::seconds w) {
    return w <= std::chrono::seconds(0) || w >= options.post_window;
  });
  DetectionOptions detection = options.detection;
  detection.latency.fdr /= 1.0 + static_cast<double>(shorter.size());
  TargetCheck check = judge(windows, detection);
  if (!check.evaluated) return check;

  std::sort(shorter.rbegin(), shorter.rend());  // longest first: it gives the evidence
  detection.latency.min_ratio =
      std::max(detection.latency.min_ratio, options.short_window_min_ratio);
  std::set<FindingKey> found;
  for (const Finding& f : check.findings) found.insert(f.key);
  for (std::chrono::seconds w : shorter) {
    for (Finding& f : judge({windows.baseline, {now - w, now}}, detection).findings) {
      // Other kinds (call rates, vanished shapes, ...) need the post window's span.
      if (f.key.kind != FindingKind::kLatency || !found.insert(f.key).second) continue;
      check.findings.push_back(std::move(f));
    }
  }
  rank_findings(check.findings);
  return check;
}

}  // namespace slowscope
