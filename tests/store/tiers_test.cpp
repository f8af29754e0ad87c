#include "analyzer/store/tiers.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace slowscope {
namespace {

constexpr int64_t kDay0 = 1'699'920'000;  // a UTC midnight

TEST(Tiers, FloorAndCeilAlsoBeforeTheEpoch) {
  EXPECT_EQ(floor_to(7199, 3600), 3600);
  EXPECT_EQ(floor_to(-1, 3600), -3600);
  EXPECT_EQ(ceil_to(3601, 3600), 7200);
  EXPECT_EQ(ceil_to(3600, 3600), 3600);
  EXPECT_EQ(ceil_to(-3599, 3600), 0);
}

TEST(Tiers, UsesDaysThenHoursThenRawSamples) {
  // 30 days back from 22:59, days rolled up to midnight.
  const int64_t until = kDay0 + 31 * kSecondsPerDay + 22 * 3600 + 59 * 60;
  const int64_t since = until - 30 * kSecondsPerDay;
  const int64_t midnight = kDay0 + 31 * kSecondsPerDay;
  const TierPlan p = plan_tiers(since, until, midnight, false);
  EXPECT_EQ(p.daily, (TimeRange{kDay0 + 2 * kSecondsPerDay, midnight}));
  EXPECT_EQ(p.hourly[0],
            (TimeRange{kDay0 + kSecondsPerDay + 23 * 3600, kDay0 + 2 * kSecondsPerDay}));
  EXPECT_EQ(p.hourly[1], (TimeRange{midnight, midnight + 22 * 3600}));
  EXPECT_EQ(p.raw[0], (TimeRange{since, kDay0 + kSecondsPerDay + 23 * 3600}));
  EXPECT_EQ(p.raw[1], (TimeRange{midnight + 22 * 3600, until}));

  // Up to now: the current hour is read whole from the hourly rollup.
  const TierPlan open = plan_tiers(since, until, midnight, true);
  EXPECT_EQ(open.daily, p.daily);
  EXPECT_EQ(open.hourly[1], (TimeRange{midnight, midnight + 23 * 3600}));
  EXPECT_TRUE(open.raw[1].empty());
}

TEST(Tiers, WithinOneHourReadsRawSamples) {
  const TierPlan p = plan_tiers(kDay0 + 600, kDay0 + 1800, kDay0, true);
  EXPECT_EQ(p.raw[0], (TimeRange{kDay0 + 600, kDay0 + 1800}));
  EXPECT_TRUE(p.hourly[0].empty());
  EXPECT_TRUE(p.daily.empty());
  const TierPlan none = plan_tiers(kDay0, kDay0, kDay0, false);
  for (const TimeRange& r :
       {none.daily, none.hourly[0], none.hourly[1], none.raw[0], none.raw[1]}) {
    EXPECT_TRUE(r.empty());
  }
}

// Every second of [since, until) is read from exactly one tier, each tier only where it is
// complete and aligned, for many random ranges and rollup states. Only with an open end may
// the last hour reach past `until`.
TEST(Tiers, CoverTheRangeExactlyOnce) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> offset(0, 10 * kSecondsPerDay);
  for (int i = 0; i < 20000; ++i) {
    int64_t since = kDay0 + offset(rng), until = kDay0 + offset(rng);
    if (rng() % 8 == 0) since = floor_to(since, 3600);
    if (rng() % 8 == 0) until = floor_to(until, 86400);
    if (since > until) std::swap(since, until);
    const int64_t daily_through = floor_to(kDay0 + offset(rng), 86400);
    const bool open_end = rng() % 2 == 0;
    const TierPlan p = plan_tiers(since, until, daily_through, open_end);

    std::vector<std::pair<TimeRange, int64_t>> parts = {
        {p.daily, 86400}, {p.hourly[0], 3600}, {p.hourly[1], 3600}, {p.raw[0], 1}, {p.raw[1], 1}};
    int64_t covered = 0;
    for (const auto& [r, step] : parts) {
      if (r.empty()) continue;
      covered += std::min(r.end, until) - r.begin;
      ASSERT_GE(r.begin, since);
      ASSERT_LE(r.end, open_end && step > 1 ? ceil_to(until, 3600) : until);
      ASSERT_EQ(r.begin % step, 0);
      ASSERT_EQ(r.end % step, 0);
      if (step == 86400) {
        ASSERT_LE(r.end, daily_through);
      }
    }
    ASSERT_EQ(covered, until - since) << since << " " << until;
    for (size_t a = 0; a < parts.size(); ++a) {
      for (size_t b = a + 1; b < parts.size(); ++b) {
        const TimeRange& x = parts[a].first;
        const TimeRange& y = parts[b].first;
        if (x.empty() || y.empty()) continue;
        ASSERT_TRUE(x.end <= y.begin || y.end <= x.begin) << "overlap";
      }
    }
  }
}

// From where the raw samples are complete on, the range is read raw (per collection
// interval); before, from the rollups. Every second once, as above.
TEST(Tiers, RawFromWhereRawSamplesAreComplete) {
  const int64_t midnight = kDay0 + 2 * kSecondsPerDay;
  const int64_t raw_from = midnight + 6 * 3600;  // pruned part way into 05:00, rounded up
  const TierPlan p = plan_tiers_raw_from(kDay0, midnight + 12 * 3600 + 30, midnight, raw_from);
  EXPECT_EQ(p.daily, (TimeRange{kDay0, midnight}));
  EXPECT_EQ(p.hourly[1], (TimeRange{midnight, midnight + 6 * 3600}));
  EXPECT_EQ(p.raw[1], (TimeRange{midnight + 6 * 3600, midnight + 12 * 3600 + 30}));
  EXPECT_TRUE(p.raw[0].empty());

  // Fresh data, nothing pruned: read raw from where it starts, mid-hour, to the end.
  const TierPlan fresh =
      plan_tiers_raw_from(midnight - kSecondsPerDay + 90, midnight + 600, midnight, midnight - 600);
  EXPECT_EQ(fresh.raw[1], (TimeRange{midnight - 3600, midnight + 600}));
  EXPECT_EQ(fresh.hourly[0], (TimeRange{midnight - kSecondsPerDay + 3600, midnight - 3600}));
  EXPECT_EQ(fresh.raw[0],
            (TimeRange{midnight - kSecondsPerDay + 90, midnight - kSecondsPerDay + 3600}));

  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> offset(0, 10 * kSecondsPerDay);
  for (int i = 0; i < 20000; ++i) {
    int64_t since = kDay0 + offset(rng), until = kDay0 + offset(rng);
    if (since > until) std::swap(since, until);
    const int64_t daily_through = floor_to(kDay0 + offset(rng), 86400);
    const int64_t oldest = kDay0 + offset(rng);
    const TierPlan q = plan_tiers_raw_from(since, until, daily_through, oldest);
    int64_t covered = 0;
    const std::vector<std::pair<TimeRange, int64_t>> parts = {
        {q.daily, 86400}, {q.hourly[0], 3600}, {q.hourly[1], 3600}, {q.raw[0], 1}, {q.raw[1], 1}};
    for (const auto& [r, step] : parts) {
      if (r.empty()) continue;
      covered += r.end - r.begin;
      ASSERT_GE(r.begin, since);
      ASSERT_LE(r.end, until);
      ASSERT_EQ(r.begin % step, 0);
      ASSERT_EQ(r.end % step, 0);
      if (step == 86400) {
        ASSERT_LE(r.end, daily_through);
      }
      // Rollups only before the raw samples.
      if (step > 1) {
        ASSERT_LE(r.end, std::max(since, oldest));
      }
    }
    ASSERT_EQ(covered, until - since) << since << " " << until << " " << oldest;
    for (size_t a = 0; a < parts.size(); ++a) {
      for (size_t b = a + 1; b < parts.size(); ++b) {
        const TimeRange& x = parts[a].first;
        const TimeRange& y = parts[b].first;
        if (x.empty() || y.empty()) continue;
        ASSERT_TRUE(x.end <= y.begin || y.end <= x.begin) << "overlap";
      }
    }
  }
}

}  // namespace
}  // namespace slowscope
