// Tier planning: which stored tier (daily rollup, hourly rollup, raw samples) each part of
// a time range is read from, so that a long range touches few rows and every bucket is
// counted exactly once. Pure functions on UTC epoch seconds; thread-safe.
#pragma once

#include <cstdint>

namespace slowscope {

constexpr int64_t kSecondsPerHour = 3600;
constexpr int64_t kSecondsPerDay = 86400;

// Start of the `step`-long bucket holding `t` (also for t < 0).
constexpr int64_t floor_to(int64_t t, int64_t step) {
  const int64_t r = t % step;
  return r < 0 ? t - r - step : t - r;
}
// Start of the first `step`-long bucket at or after `t`.
constexpr int64_t ceil_to(int64_t t, int64_t step) {
  const int64_t f = floor_to(t, step);
  return f == t ? t : f + step;
}

// Half-open [begin, end) in epoch seconds; empty when end <= begin.
struct TimeRange {
  int64_t begin = 0;
  int64_t end = 0;

  bool empty() const { return end <= begin; }
  bool operator==(const TimeRange&) const = default;
};

// The ranges of bucket starts to read from each tier. Together they cover [since, until)
// without overlap: whole days where the daily rollup is complete, whole hours elsewhere
// (the hourly rollup is always complete), raw samples at the edges.
struct TierPlan {
  TimeRange daily;
  TimeRange hourly[2];  // before and after the days
  TimeRange raw[2];     // before and after the hours
};

// `daily_through`: every day before it is rolled up (a day boundary). `open_end`: no
// stored sample starts at or after `until` (until is "now"), so the hour holding `until`
// can be read whole from the hourly rollup instead of sample by sample.
//
// A raw edge older than the raw retention reads nothing: such a range is cut to the hour
// at its start (see docs/STORE.md).
TierPlan plan_tiers(int64_t since, int64_t until, int64_t daily_through, bool open_end);

// As plan_tiers, but raw samples from `raw_from` on — from where the raw samples are
// complete — so that the range is read at the collection interval wherever that still
// exists, and from the rollups only before. The caller rounds the oldest raw sample up to
// the hour when older samples were pruned: an hour pruned part way is whole only in the
// hourly rollup.
TierPlan plan_tiers_raw_from(int64_t since, int64_t until, int64_t daily_through, int64_t raw_from);

}  // namespace slowscope
