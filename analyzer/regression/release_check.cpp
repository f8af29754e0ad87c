#include "analyzer/regression/release_check.h"

#include <algorithm>

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
  result.baseline_until = baseline_end(release.at, options.baseline);
  result.baseline_from = result.baseline_until - options.baseline;

  std::vector<std::string> targets = release.targets;
  if (targets.empty()) {
    for (const TargetInfo& t : store.targets()) targets.push_back(t.name);
  }
  for (const std::string& target : targets) {
    TargetCheck check;
    check.target = target;
    if (result.post_until <= result.post_from) {
      check.reason = "the release is in the future: nothing to compare yet";
      result.targets.push_back(std::move(check));
      continue;
    }
    check = compare_windows(
        store, target,
        {result.baseline_from, result.baseline_until, result.post_from, result.post_until},
        options.detection);
    result.targets.push_back(std::move(check));
  }
  return result;
}

}  // namespace slowscope
