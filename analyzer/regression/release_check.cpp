#include "analyzer/regression/release_check.h"

#include <algorithm>
#include <optional>

namespace slowscope {

int CheckResult::exit_code(Severity fail_on) const {
  bool unevaluated = false;
  for (const TargetCheck& t : targets) {
    if (!t.evaluated) unevaluated = true;
    for (const Finding& f : t.findings) {
      if (f.severity >= fail_on) return 1;
    }
  }
  return unevaluated || targets.empty() ? 3 : 0;
}

CheckResult check_release(Store& store, const Release& release, const CheckOptions& options,
                          StoreTime now) {
  CheckResult result;
  result.release = release;
  result.post_from = release.at;
  result.post_until = std::min(release.at + options.window, now);
  result.baseline_mode = options.baseline_mode;
  // A release in the future has no post window yet; its baseline is still laid out for the
  // report, over the window it will have.
  const StoreTime laid_until =
      result.post_until > result.post_from ? result.post_until : release.at + options.window;
  const ComparisonWindows windows =
      comparison_windows({result.post_from, laid_until}, options.baseline, options.baseline_mode);
  result.baseline = windows.baseline;

  std::vector<std::string> targets = release.targets;
  if (targets.empty()) {
    for (const TargetInfo& t : store.targets()) targets.push_back(t.name);
  }
  std::optional<std::vector<TimeSpan>> common_baseline;  // while every target's agrees
  bool baselines_differ = false;
  for (const std::string& target : targets) {
    TargetCheck check;
    check.target = target;
    if (result.post_until <= result.post_from) {
      check.reason = "the release is in the future: nothing to compare yet";
      result.targets.push_back(std::move(check));
      continue;
    }
    // The post window takes the buckets starting at the release or later; the bucket
    // holding the release (12:00 for a release at 12:00:30 with 60 s buckets) mixes calls
    // from before and after it, so the baseline ends before it too.
    std::vector<TimeSpan> baseline = windows.baseline;
    if (const auto holding = store.raw_bucket_holding(target, release.at);
        holding && baseline.back().until > *holding && baseline.back().from < *holding) {
      baseline.back().until = *holding;
    }
    if (!common_baseline) {
      common_baseline = baseline;
    } else if (*common_baseline != baseline) {
      baselines_differ = true;
    }
    check = compare_windows(store, target, {baseline, {result.post_from, result.post_until}},
                            options.detection);
    for (Finding& f : check.findings) f.release = release.name;
    result.targets.push_back(std::move(check));
  }
  // The report names the baseline its targets were compared with, when it is one.
  if (common_baseline && !baselines_differ) result.baseline = *common_baseline;
  return result;
}

}  // namespace slowscope
