// Comparison windows: the post window a check judges and the baseline span(s) it is compared
// with — the span just before it, or the same hours of the previous days, so that a
// daily cycle (a nightly batch, office-hours traffic) is compared with itself. Value
// types and pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "analyzer/store/store.h"

namespace slowscope {

// [from, until).
struct TimeSpan {
  StoreTime from;
  StoreTime until;

  std::chrono::seconds length() const { return until - from; }
  bool operator==(const TimeSpan&) const = default;
};

enum class BaselineMode {
  kPrevious,   // the baseline length right before the post window
  kSameHours,  // the post window's hours on each of the days the baseline length spans
};

// "previous" or "same-hours".
std::string_view to_string(BaselineMode mode);
// The mode named by to_string(), or nullopt.
std::optional<BaselineMode> parse_baseline_mode(std::string_view name);

struct ComparisonWindows {
  std::vector<TimeSpan> baseline;  // disjoint, oldest first, all before `post`
  TimeSpan post;
};

// The windows comparing `post` with the `baseline` before it, laid out by `mode`: for
// kPrevious, `baseline` long and ending at baseline_end(post.from, baseline); for
// kSameHours, one span per whole day of `baseline` (at least one), each `post` shifted back
// by that many days. Throws InvalidInput for an empty post window or baseline,
// and for kSameHours with a post window longer than a day (its hours would overlap).
ComparisonWindows comparison_windows(TimeSpan post, std::chrono::seconds baseline,
                                     BaselineMode mode);

// Where a baseline that should end at `at` ends: the start of the hour holding `at` when the
// baseline is a day or longer, so that the store serves all of it from its rollups instead of
// up to an hour of raw samples per shape (an hour in 24 or more shifts little); `at` itself
// for shorter baselines, whose minutes all count.
StoreTime baseline_end(StoreTime at, std::chrono::seconds baseline);

// The whole clock hours `span` falls in, which the hourly rollup serves without raw samples.
TimeSpan covering_hours(TimeSpan span);

}  // namespace slowscope
