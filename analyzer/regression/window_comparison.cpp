#include "analyzer/regression/window_comparison.h"

#include <limits>
#include <map>

#include "analyzer/store/tiers.h"

namespace slowscope {
namespace {

std::string span_text(std::chrono::seconds span) {
  if (span.count() % 3600 == 0) return std::to_string(span.count() / 3600) + " h";
  return std::to_string(span.count() / 60) + " min";
}

}  // namespace

StoreTime baseline_end(StoreTime at, std::chrono::seconds baseline) {
  if (baseline < std::chrono::hours(24)) return at;
  return StoreTime(std::chrono::seconds(floor_to(at.time_since_epoch().count(), kSecondsPerHour)));
}

WindowTotals read_window(Store& store, const std::string& target, StoreTime since,
                         StoreTime until) {
  WindowTotals out;
  for (ShapeTotals& t :
       store.top({target, since, until, TopOrder::kTotal, std::numeric_limits<int>::max()})) {
    out.emplace(t.shape_id, std::move(t));
  }
  return out;
}

TargetCheck compare_windows(Store& store, const std::string& target,
                            const ComparisonWindows& windows, const DetectionOptions& options) {
  return compare_windows(
      target, read_window(store, target, windows.baseline_from, windows.baseline_until),
      read_window(store, target, windows.post_from, windows.post_until), windows, options);
}

TargetCheck compare_windows(const std::string& target, const WindowTotals& base,
                            const WindowTotals& post, const ComparisonWindows& windows,
                            const DetectionOptions& options) {
  TargetCheck check;
  check.target = target;
  if (post.empty()) {
    check.reason = "no samples in the post window yet (is collect running?)";
    return check;
  }
  if (base.empty()) {
    check.reason = "no baseline: no samples in the " +
                   span_text(windows.baseline_until - windows.baseline_from) + " before";
    return check;
  }
  check.evaluated = true;
  std::vector<ShapeWindows> shapes;
  for (const auto& [shape_id, after] : post) {
    auto before = base.find(shape_id);
    if (before == base.end()) continue;
    shapes.push_back({target, after.shape_hash, after.fingerprint, before->second.measures,
                      after.measures, windows.post_until - windows.post_from});
  }
  check.shapes_compared = static_cast<int>(shapes.size());
  check.findings = detect_latency_regressions(shapes, options.latency);
  return check;
}

}  // namespace slowscope
