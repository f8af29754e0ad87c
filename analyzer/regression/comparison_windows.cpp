#include "analyzer/regression/comparison_windows.h"

#include <algorithm>
#include <stdexcept>

#include "analyzer/error/errors.h"
#include "analyzer/store/tiers.h"

namespace slowscope {

std::string_view to_string(BaselineMode mode) {
  return mode == BaselineMode::kSameHours ? "same-hours" : "previous";
}

std::optional<BaselineMode> parse_baseline_mode(std::string_view name) {
  for (BaselineMode mode : {BaselineMode::kPrevious, BaselineMode::kSameHours}) {
    if (name == to_string(mode)) return mode;
  }
  return std::nullopt;
}

StoreTime baseline_end(StoreTime at, std::chrono::seconds baseline) {
  if (baseline < std::chrono::hours(24)) return at;
  return StoreTime(std::chrono::seconds(floor_to(at.time_since_epoch().count(), kSecondsPerHour)));
}

TimeSpan covering_hours(TimeSpan span) {
  const auto at = [](int64_t s) { return StoreTime(std::chrono::seconds(s)); };
  return {at(floor_to(span.from.time_since_epoch().count(), kSecondsPerHour)),
          at(ceil_to(span.until.time_since_epoch().count(), kSecondsPerHour))};
}

ComparisonWindows comparison_windows(TimeSpan post, std::chrono::seconds baseline,
                                     BaselineMode mode) {
  if (post.length().count() <= 0) throw InvalidInput("the post window is empty");
  if (baseline.count() <= 0) throw InvalidInput("the baseline is empty");
  ComparisonWindows windows{{}, post};
  if (mode == BaselineMode::kPrevious) {
    const StoreTime until = baseline_end(post.from, baseline);
    windows.baseline.push_back({until - baseline, until});
    return windows;
  }
  constexpr std::chrono::seconds kDay{24 * 3600};
  if (post.length() > kDay) {
    throw InvalidInput("a same-hours baseline needs a post window of at most one day");
  }
  const int64_t days = std::max<int64_t>(1, baseline / kDay);
  for (int64_t d = days; d >= 1; --d) {
    windows.baseline.push_back({post.from - d * kDay, post.until - d * kDay});
  }
  return windows;
}

}  // namespace slowscope
