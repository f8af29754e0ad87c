#include "connectors/postgres/pgss_delta.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "connectors/postgres/pgss_collector.h"

namespace slowscope {
namespace {

StatementKey key(int n) {
  return StatementKey{"5", "10", std::to_string(n), true};
}

// Cumulative counters of a statement that ran with `times_ms`, as pg_stat_statements keeps
// them: total, running mean and population standard deviation.
PgssCounters counters_of(const std::vector<double>& times_ms) {
  PgssCounters c;
  c.calls = static_cast<int64_t>(times_ms.size());
  c.total_time_ms = std::accumulate(times_ms.begin(), times_ms.end(), 0.0);
  c.mean_time_ms = c.calls ? c.total_time_ms / static_cast<double>(c.calls) : 0;
  double var = 0;
  for (double t : times_ms) var += (t - c.mean_time_ms) * (t - c.mean_time_ms);
  c.stddev_time_ms = c.calls ? std::sqrt(var / static_cast<double>(c.calls)) : 0;
  c.min_time_ms = times_ms.empty() ? 0 : *std::min_element(times_ms.begin(), times_ms.end());
  c.max_time_ms = times_ms.empty() ? 0 : *std::max_element(times_ms.begin(), times_ms.end());
  c.rows = c.calls * 2;
  c.shared_blks_hit = c.calls * 10;
  c.wal_bytes = c.calls * 100;
  return c;
}

PgssEntry entry(int n, const std::vector<double>& times_ms,
                std::optional<int64_t> stats_since = std::nullopt) {
  return PgssEntry{key(n), counters_of(times_ms), stats_since};
}

PgssSnapshot snapshot(std::vector<PgssEntry> entries, int64_t reset = 1, int64_t start = 1) {
  PgssSnapshot s;
  s.server = {"7300000000000000001", "15"};
  s.postmaster_start_us = start;
  s.stats_reset_us = reset;
  s.dealloc = 0;
  s.entries = std::move(entries);
  normalize_entries(s.entries);
  return s;
}

TEST(PgssDelta, NoPreviousSnapshotIsABaselineWithoutSamples) {
  const auto now = snapshot({entry(1, {1, 2})});
  const auto d = compute_interval(nullptr, now);
  EXPECT_EQ(d.server_break, EpochBreak::kBaseline);
  EXPECT_TRUE(d.deltas.empty());
}

TEST(PgssDelta, IntervalCountsAndVarianceComeFromTheCumulativeCounters) {
  const std::vector<double> before = {5, 7, 9, 11};
  const std::vector<double> during = {100, 120, 140};
  std::vector<double> all = before;
  all.insert(all.end(), during.begin(), during.end());
  const auto prev = snapshot({PgssEntry{key(1), counters_of(before), {}}});
  const auto now = snapshot({PgssEntry{key(1), counters_of(all), {}}});
  const auto d = compute_interval(&prev, now);
  ASSERT_EQ(d.deltas.size(), 1u);
  const Measures& m = d.deltas[0].measures;
  EXPECT_EQ(d.deltas[0].flags, 0u);
  EXPECT_EQ(m.calls, 3);
  EXPECT_NEAR(m.total_time, 0.360, 1e-12);
  EXPECT_NEAR(m.mean_time(), 0.120, 1e-12);
  // Population variance of {0.1, 0.12, 0.14} s.
  const double variance = m.sum_sq / 3 - m.mean_time() * m.mean_time();
  EXPECT_NEAR(variance, (0.02 * 0.02 * 2) / 3, 1e-9);
  EXPECT_EQ(m.row_count, 6);
  EXPECT_EQ(m.shared_blks_hit, 30);
  EXPECT_EQ(m.wal_bytes, 300);
  // The cumulative extremes belong to other intervals too.
  EXPECT_FALSE(m.min_time.has_value());
  EXPECT_FALSE(m.max_time.has_value());
}

TEST(PgssDelta, UnchangedEntriesYieldNoSample) {
  const auto prev = snapshot({entry(1, {1, 2})});
  const auto d = compute_interval(&prev, prev);
  EXPECT_EQ(d.server_break, EpochBreak::kNone);
  EXPECT_TRUE(d.deltas.empty());
}

TEST(PgssDelta, NewEntryCountsWholeWithItsExtremes) {
  const auto prev = snapshot({});
  const auto now = snapshot({entry(2, {3, 4})});
  const auto d = compute_interval(&prev, now);
  ASSERT_EQ(d.deltas.size(), 1u);
  EXPECT_EQ(d.deltas[0].measures.calls, 2);
  EXPECT_EQ(d.deltas[0].flags, 0u);
  EXPECT_DOUBLE_EQ(*d.deltas[0].measures.min_time, 0.003);
  EXPECT_DOUBLE_EQ(*d.deltas[0].measures.max_time, 0.004);
}

TEST(PgssDelta, CounterGoingBackwardsIsAnEpochBreakNeverANegativeSample) {
  const auto prev = snapshot({entry(1, {5, 5, 5, 5}), entry(2, {1})});
  // Entry 1 was evicted and came back with 2 calls; entry 2 moved normally.
  const auto now = snapshot({entry(1, {8, 9}), entry(2, {1, 2})});
  const auto d = compute_interval(&prev, now);
  EXPECT_EQ(d.server_break, EpochBreak::kNone);
  EXPECT_EQ(d.entries_restarted, 1);
  ASSERT_EQ(d.deltas.size(), 2u);
  EXPECT_EQ(d.deltas[0].key, key(1));
  EXPECT_EQ(d.deltas[0].flags, uint32_t{kSampleEpochBreak});
  EXPECT_EQ(d.deltas[0].measures.calls, 2);
  EXPECT_NEAR(d.deltas[0].measures.total_time, 0.017, 1e-12);
  EXPECT_EQ(d.deltas[1].flags, 0u);
  EXPECT_EQ(d.deltas[1].measures.calls, 1);
}

TEST(PgssDelta, AnyCounterBackwardsCounts) {
  PgssCounters a = counters_of({1, 2, 3});
  PgssCounters b = a;
  b.calls += 1;
  EXPECT_FALSE(counters_went_backwards(a, b));
  b.temp_blks_written = a.temp_blks_written - 1;
  EXPECT_TRUE(counters_went_backwards(a, b));
  b = a;
  b.blk_write_time_ms = -1;
  EXPECT_TRUE(counters_went_backwards(a, b));
}

// A single entry reset (pg_stat_statements_reset(userid, dbid, queryid), PostgreSQL 12-16:
// no stats_since) that ran again more often than before: no counter went down, but the new
// counters cannot have grown from the old ones.
TEST(PgssDelta, SingleEntryResetThatRanMoreOftenIsTold) {
  struct Case {
    const char* what;
    std::vector<double> before, after;  // calls before the previous poll; since the reset
  };
  for (const Case& c : {
           Case{"min went up", {5, 5, 5}, {8, 9, 10, 11}},
           Case{"max went down", {10, 20}, {9, 9, 9, 9, 9, 9, 9}},
           Case{"more time than calls at max", {10, 10}, {5, 30, 30}},
           Case{"less time than calls at min", {30, 30, 30}, {29, 29, 29, 29, 31}},
       }) {
    const auto prev = snapshot({entry(1, c.before), entry(2, {1})});
    const auto now = snapshot({entry(1, c.after), entry(2, {1, 1})});
    const auto d = compute_interval(&prev, now);
    EXPECT_EQ(entry_restart(prev.entries[0], now.entries[0]), EntryRestart::kImpossible) << c.what;
    EXPECT_EQ(d.entries_restarted, 1) << c.what;
    EXPECT_EQ(d.restarted_impossible, 1) << c.what;
    ASSERT_EQ(d.deltas.size(), 2u) << c.what;
    EXPECT_EQ(d.deltas[0].flags, uint32_t{kSampleEpochBreak}) << c.what;
    // What ran since the reset, as best known: all of the entry's new counters.
    EXPECT_EQ(d.deltas[0].measures.calls, static_cast<int64_t>(c.after.size())) << c.what;
    EXPECT_EQ(d.deltas[1].flags, 0u) << c.what;
    EXPECT_EQ(d.deltas[1].measures.calls, 1) << c.what;
  }
}

// The limit of what PostgreSQL 12-16 tell (docs/COLLECT.md): new calls that span the old
// extremes and add up as a continuation would leave a delta that undercounts, unflagged.
TEST(PgssDelta, SingleEntryResetThatLooksLikeGrowthIsNotTold) {
  const auto prev = snapshot({entry(1, {10, 20})});
  const auto now = snapshot({entry(1, {5, 25, 15, 15})});
  EXPECT_EQ(entry_restart(prev.entries[0], now.entries[0]), EntryRestart::kNone);
  const auto d = compute_interval(&prev, now);
  ASSERT_EQ(d.deltas.size(), 1u);
  EXPECT_EQ(d.deltas[0].measures.calls, 2);  // 4 ran
  EXPECT_EQ(d.deltas[0].flags, 0u);
}

// The rules never take an entry that only grew for a restarted one, whatever its times.
TEST(PgssDelta, GrowingEntriesAreNeverTakenForRestarts) {
  std::mt19937_64 random(20240301);
  std::lognormal_distribution<double> skewed(0.0, 2.0);
  std::uniform_real_distribution<double> flat(0.001, 0.002);
  for (int round = 0; round < 2000; ++round) {
    std::vector<double> times;
    const int before = 1 + static_cast<int>(random() % 50);
    const int after = before + static_cast<int>(random() % 50);
    for (int i = 0; i < after; ++i) {
      times.push_back(round % 2 == 0 ? skewed(random) : flat(random));
    }
    const PgssEntry a = entry(1, std::vector<double>(times.begin(), times.begin() + before));
    const PgssEntry b = entry(1, times);
    ASSERT_EQ(entry_restart(a, b), EntryRestart::kNone) << "round " << round;
  }
}

TEST(PgssDelta, EntriesRemovedWithoutAnEvictionWereReset) {
  auto prev = snapshot({entry(1, {1}), entry(2, {1}), entry(3, {1})});
  auto now = snapshot({entry(2, {1, 1})});
  auto d = compute_interval(&prev, now);
  EXPECT_EQ(d.entries_vanished, 2);
  const auto events = interval_events(d, 0, 0, "c", StoreTime{});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, event_kind::kEpochBreak);
  EXPECT_NE(events[0].message.find("2 entries were removed without an eviction"), std::string::npos)
      << events[0].message;
  // An eviction round removes several entries at once: then a reset cannot be told apart.
  now.dealloc = 1;
  d = compute_interval(&prev, now);
  EXPECT_EQ(d.entries_vanished, 0);
  // Nor when entries became hidden (the collector's role lost pg_read_all_stats).
  now.dealloc = 0;
  now.hidden_entries = 2;
  EXPECT_EQ(compute_interval(&prev, now).entries_vanished, 0);
}

TEST(PgssDelta, StatsSinceChangeIsAnEpochBreakEvenIfCountersGrew) {
  const auto prev = snapshot({entry(1, {1}, 1000)});
  const auto now = snapshot({entry(1, {1, 1, 1}, 2000)});
  const auto d = compute_interval(&prev, now);
  ASSERT_EQ(d.deltas.size(), 1u);
  EXPECT_EQ(d.deltas[0].flags, uint32_t{kSampleEpochBreak});
  EXPECT_EQ(d.deltas[0].measures.calls, 3);  // all of it began within the interval
}

TEST(PgssDelta, StatsResetMarksEveryEntryAndSubtractsNothing) {
  const auto prev = snapshot({entry(1, {1, 1, 1, 1, 1})}, /*reset=*/1);
  const auto now = snapshot({entry(1, {2, 2})}, /*reset=*/99);
  const auto d = compute_interval(&prev, now);
  EXPECT_EQ(d.server_break, EpochBreak::kStatsReset);
  ASSERT_EQ(d.deltas.size(), 1u);
  EXPECT_EQ(d.deltas[0].flags & kSampleEpochBreak, uint32_t{kSampleEpochBreak});
  EXPECT_EQ(d.deltas[0].measures.calls, 2);
  EXPECT_GE(d.deltas[0].measures.total_time, 0);
}

TEST(PgssDelta, RestartMarksTheIntervalAndNeverGoesNegative) {
  const auto prev = snapshot({entry(1, {1, 1}), entry(2, {4, 4, 4})}, 1, /*start=*/10);
  // Entry 1 survived the restart (saved stats file); entry 2 was lost in a crash.
  const auto now = snapshot({entry(1, {1, 1, 1}), entry(2, {4})}, 1,
                            /*start=*/20);
  const auto d = compute_interval(&prev, now);
  EXPECT_EQ(d.server_break, EpochBreak::kServerRestart);
  ASSERT_EQ(d.deltas.size(), 2u);
  for (const auto& delta : d.deltas) {
    EXPECT_NE(delta.flags & kSampleEpochBreak, 0u);
    EXPECT_GE(delta.measures.calls, 0);
    EXPECT_GE(delta.measures.total_time, 0);
  }
  EXPECT_EQ(d.deltas[0].measures.calls, 1);
  EXPECT_EQ(d.deltas[1].measures.calls, 1);
}

TEST(PgssDelta, OtherServerIdentityStartsANewBaseline) {
  const auto prev = snapshot({entry(1, {1})});
  auto now = snapshot({entry(1, {1, 2})});
  now.server.version = "16";
  const auto d = compute_interval(&prev, now);
  EXPECT_EQ(d.server_break, EpochBreak::kServerChanged);
  EXPECT_TRUE(d.deltas.empty());
}

TEST(PgssDelta, DeallocGrowthMarksSamplesPartialAndRaisesACoverageEvent) {
  auto prev = snapshot({entry(1, {1})});
  prev.dealloc = 3;
  auto now = snapshot({entry(1, {1, 2})});
  now.dealloc = 5;
  const auto d = compute_interval(&prev, now);
  EXPECT_EQ(d.deallocated, 2);
  ASSERT_EQ(d.deltas.size(), 1u);
  EXPECT_EQ(d.deltas[0].flags, uint32_t{kSamplePartial});
  const auto events = interval_events(d, 0, 0, "collector", StoreTime{});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, event_kind::kCoverageGap);
  EXPECT_NE(events[0].message.find("coverage incomplete: raise pg_stat_statements.max"),
            std::string::npos);
}

TEST(PgssDelta, EpochBreakEventsNameTheCause) {
  const auto prev = snapshot({entry(1, {1, 1})}, 1);
  const auto now = snapshot({entry(1, {1})}, 2);
  const auto events = interval_events(compute_interval(&prev, now), 0, 0, "c", StoreTime{});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, event_kind::kEpochBreak);
  EXPECT_NE(events[0].message.find("reset"), std::string::npos);
}

TEST(PgssDelta, HiddenEntriesNameTheRoleToGrant) {
  const auto events = interval_events(IntervalDeltas{}, -1, 4, "monitor", StoreTime{});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].message.find("GRANT pg_read_all_stats TO monitor"), std::string::npos);
  // Reported when they appear, not every cycle.
  EXPECT_TRUE(interval_events(IntervalDeltas{}, 4, 4, "monitor", StoreTime{}).empty());
}

TEST(PgssDelta, RoundingNeverMakesTheIntervalVarianceNegative) {
  // Large cumulative sums, tiny interval: subtraction loses precision.
  PgssCounters a;
  a.calls = 1'000'000'000;
  a.total_time_ms = 1e12;
  a.mean_time_ms = 1000;
  a.stddev_time_ms = 1e-3;
  PgssCounters b = a;
  b.calls += 1;
  b.total_time_ms += 1000;
  const Measures m = counters_delta(a, b);
  EXPECT_EQ(m.calls, 1);
  EXPECT_GE(m.sum_sq / 1 - m.mean_time() * m.mean_time(), -1e-12);
}

}  // namespace
}  // namespace slowscope
