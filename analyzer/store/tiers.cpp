#include "analyzer/store/tiers.h"

#include <algorithm>

namespace slowscope {

TierPlan plan_tiers(int64_t since, int64_t until, int64_t daily_through, bool open_end) {
  TierPlan plan;
  if (until <= since) return plan;
  // Hours read from the hourly rollup: [hs, he).
  const int64_t hs = ceil_to(since, kSecondsPerHour);
  const int64_t he =
      std::max(hs, open_end ? ceil_to(until, kSecondsPerHour) : floor_to(until, kSecondsPerHour));
  // Days read from the daily rollup: [ds, de), complete days within the hours.
  const int64_t ds = ceil_to(since, kSecondsPerDay);
  const int64_t de = std::max(ds, std::min({floor_to(he, kSecondsPerDay), daily_through}));
  if (de > ds) {
    plan.daily = {ds, de};
    plan.hourly[0] = {hs, ds};
    plan.hourly[1] = {de, he};
  } else {
    plan.hourly[0] = {hs, he};
  }
  if (he > hs) {
    plan.raw[0] = {since, hs};
    plan.raw[1] = {he, until};  // empty when he >= until
  } else {
    plan.raw[0] = {since, until};
  }
  return plan;
}

TierPlan plan_tiers_raw_from(int64_t since, int64_t until, int64_t daily_through,
                             int64_t raw_from) {
  const int64_t cut = std::clamp(raw_from, since, std::max(since, until));
  if (cut >= until) return plan_tiers(since, until, daily_through, false);
  TierPlan plan;
  if (cut > since) plan = plan_tiers(since, cut, daily_through, false);
  // The plan of [since, cut) ends with raw samples after its last whole hour, if any: they
  // go on to `until`.
  plan.raw[1] = {plan.raw[1].empty() ? cut : plan.raw[1].begin, until};
  return plan;
}

}  // namespace slowscope
