#include "analyzer/regression/release_check.h"

#include <algorithm>
#include <limits>
#include <map>

namespace slowscope {
namespace {

std::map<int64_t, ShapeTotals> totals_by_shape(Store& store, const std::string& target,
                                               StoreTime since, StoreTime until) {
  std::map<int64_t, ShapeTotals> out;
  for (ShapeTotals& t :
       store.top({target, since, until, TopOrder::kTotal, std::numeric_limits<int>::max()})) {
    out.emplace(t.shape_id, std::move(t));
  }
  return out;
}

}  // namespace

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
  result.baseline_from = release.at - options.baseline;

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
    const auto post = totals_by_shape(store, target, result.post_from, result.post_until);
    const auto base = totals_by_shape(store, target, result.baseline_from, result.post_from);
    if (post.empty()) {
      check.reason = "no samples since the release yet (is collect running?)";
    } else if (base.empty()) {
      check.reason = "no baseline: no samples in the " +
                     std::to_string(options.baseline.count() / 3600) + " h before the release";
    } else {
      check.evaluated = true;
      std::vector<ShapeWindows> shapes;
      for (const auto& [shape_id, after] : post) {
        auto before = base.find(shape_id);
        if (before == base.end()) continue;
        shapes.push_back({target, after.shape_hash, after.fingerprint, before->second.measures,
                          after.measures, result.post_until - result.post_from});
      }
      check.shapes_compared = static_cast<int>(shapes.size());
      check.findings = detect_latency_regressions(shapes, options.latency);
    }
    result.targets.push_back(std::move(check));
  }
  return result;
}

}  // namespace slowscope
