// Store rollups on both backends: three days of samples rolled up and pruned as a
// collector would; each tier is kept for its retention and reads across tiers are exact.
#include "analyzer/store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "tests/store/store_test_fixture.h"

namespace slowscope::testing {
namespace {

// Three days of 10-minute samples written cycle by cycle, rolled up and pruned as a
// collector would every hour.
class StoreRollupTest : public StoreTest {
 protected:
  static constexpr int64_t kEnd = kDay0 + 3 * kDay;
  static constexpr Retention kRetention{std::chrono::days(1), std::chrono::days(2),
                                        std::chrono::days(30)};

  void SetUp() override {
    StoreTest::SetUp();
    store_.emplace(db_->open());
    store_->ensure_target("orders", Engine::kPostgres);
    int64_t seed = 0;
    for (int64_t hour = kDay0; hour < kEnd; hour += kHour) {
      CycleWrite cycle{"orders", kServer, T(hour + kHour), {}, {}, {}, {}};
      if (hour == kDay0) {
        cycle.new_statements = {{test_key(1), test_shape(1), "a"},
                                {test_key(2), test_shape(2), "b"}};
      }
      for (int64_t t = hour; t < hour + kHour; t += 600) {
        cycle.samples.push_back(test_sample(test_key(1), t, seed++ % 23, 600));
        cycle.samples.push_back(test_sample(test_key(2), t, seed++ % 29, 600));
      }
      store_->write_cycle(cycle);
      for (const auto& s : cycle.samples)
        ledger_.add("orders", shape_of(*store_, "orders", s.key), s);
      store_->rollup_and_prune(T(hour + kHour + 300), kRetention);
    }
    shape1_ = shape_of(*store_, "orders", test_key(1));
  }

  Measures expected(int64_t since, int64_t until) const {
    return ledger_.total("orders", shape1_, since, until);
  }
  Measures top_of_shape1(int64_t since, int64_t until) {
    for (const auto& row : store_->top({"orders", T(since), T(until), TopOrder::kTotal, 10})) {
      if (row.shape_id == shape1_) return row.measures;
    }
    return Measures{};
  }

  std::optional<Store> store_;
  Ledger ledger_;
  int64_t shape1_ = 0;
};

TEST_P(StoreRollupTest, KeepsEachTierForItsRetention) {
  const auto state = store_->targets()[0];
  EXPECT_EQ(state.samples_through, T(kEnd));
  EXPECT_EQ(state.daily_through, T(kEnd));
  auto conn = db_->connect();
  // Raw kept from now - 1d (now = kEnd + 5 min): buckets kEnd-1d+10min .. kEnd-10min.
  EXPECT_EQ(query_int(*conn, "SELECT MIN(bucket_start) FROM samples"), kEnd - kDay + 600);
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples"), 2 * 143);
  // Hourly kept from now - 2d: hours kEnd-2d+1h .. kEnd-1h.
  EXPECT_EQ(query_int(*conn, "SELECT MIN(bucket_start) FROM samples_hourly"),
            kEnd - 2 * kDay + kHour);
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples_hourly"), 2 * 47);
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples_daily"), 2 * 3);
  EXPECT_EQ(query_int(*conn, "SELECT SUM(sample_count) FROM samples_daily"), 2 * 3 * 144);
  EXPECT_EQ(query_int(*conn, "SELECT MIN(sample_count) FROM samples_hourly"), 6);
}

TEST_P(StoreRollupTest, TopReadsAcrossTiersExactly) {
  // Whole days (daily tier), hours left after the raw samples were pruned (hourly tier),
  // and edges inside the raw retention (raw tier).
  const std::pair<int64_t, int64_t> ranges[] = {
      {kDay0, kEnd},
      {kDay0 + kDay + 2 * kHour, kDay0 + 2 * kDay + 12 * kHour},
      {kDay0 + 2 * kDay + 6 * kHour + 1200, kDay0 + 2 * kDay + 9 * kHour + 2400},
      {kDay0 + kDay, kEnd},
      {kDay0 + 2 * kDay + 3600, kEnd + kDay},
  };
  for (const auto& [since, until] : ranges) {
    EXPECT_EQ(top_of_shape1(since, until), expected(since, until))
        << since - kDay0 << ".." << until - kDay0;
  }
}

TEST_P(StoreRollupTest, ShapeBucketsReadAcrossTiersExactly) {
  const std::pair<int64_t, int64_t> ranges[] = {
      {kDay0, kEnd},
      {kDay0 + kDay + 2 * kHour, kDay0 + 2 * kDay + 12 * kHour},
      {kDay0 + 2 * kDay + 6 * kHour + 1200, kDay0 + 2 * kDay + 9 * kHour + 2400},
  };
  for (const auto& [since, until] : ranges) {
    const ShapeBuckets read = store_->shape_buckets({"orders", T(since), T(until), false});
    const auto it = std::ranges::find(read.totals, shape1_, &ShapeTotals::shape_id);
    ASSERT_NE(it, read.totals.end());
    EXPECT_EQ(it->measures, expected(since, until)) << since - kDay0 << ".." << until - kDay0;
    int64_t calls = 0;
    for (const ShapeBucketCounts& b : read.buckets) {
      if (b.shape_id == shape1_) calls += b.calls;
    }
    EXPECT_EQ(calls, it->measures.calls);
  }
}

TEST_P(StoreRollupTest, TimelineUsesTheCoarsestCompleteTier) {
  const auto points = store_->timeline({"orders", shape1_, T(kDay0), T(kEnd)});
  ASSERT_EQ(points.size(), 3u);
  Measures sum;
  for (const auto& p : points) {
    EXPECT_EQ(p.bucket, std::chrono::seconds(kDay));
    sum += p.measures;
  }
  EXPECT_EQ(sum, expected(kDay0, kEnd));

  const auto mixed = store_->timeline({"orders", shape1_, T(kEnd - 2 * kHour - 1200), T(kEnd)});
  ASSERT_EQ(mixed.size(), 2u + 2u);  // two raw samples, then two hours
  EXPECT_EQ(mixed[0].bucket, std::chrono::seconds(600));
  EXPECT_EQ(mixed[2].bucket, std::chrono::seconds(kHour));
  EXPECT_EQ(mixed[3].measures, expected(kEnd - kHour, kEnd));
}

// `show`'s timeline: per collection interval wherever raw samples are kept, days and hours
// only before them — the hour the pruning cut into whole from the hourly rollup.
TEST_P(StoreRollupTest, TimelineReadsRawSamplesWhereverKept) {
  TimelineQuery query{"orders", shape1_, T(kDay0), T(kEnd)};
  query.raw_where_kept = true;
  const auto points = store_->timeline(query);
  // Raw samples are kept from kEnd - 1d + 10 min: the two days before, then the hour the
  // pruning cut into, then 23 hours of 10-minute samples.
  ASSERT_EQ(points.size(), 2u + 1u + 23u * 6u);
  EXPECT_EQ(points[0].bucket, std::chrono::seconds(kDay));
  EXPECT_EQ(points[2].bucket_start, T(kEnd - kDay));
  EXPECT_EQ(points[2].bucket, std::chrono::seconds(kHour));
  EXPECT_EQ(points[3].bucket_start, T(kEnd - kDay + kHour));
  EXPECT_EQ(points[3].bucket, std::chrono::seconds(600));
  Measures sum;
  for (const auto& p : points) sum += p.measures;
  EXPECT_EQ(sum, expected(kDay0, kEnd));

  // Within the raw retention: all of it per interval, also up to now (no open hour read
  // from the rollup).
  query.since = T(kEnd - 3 * kHour + 1200);
  query.until = T(kEnd + 3600);
  const auto recent = store_->timeline(query);
  ASSERT_EQ(recent.size(), 3u * 6u - 2u);
  for (const auto& p : recent) EXPECT_EQ(p.bucket, std::chrono::seconds(600));
}

TEST_P(StoreRollupTest, RollingUpAgainChangesNothing) {
  const auto before = store_->top({"orders", T(kDay0), T(kEnd), TopOrder::kTotal, 10});
  const RollupReport report = store_->rollup_and_prune(T(kEnd + 300), kRetention);
  EXPECT_EQ(report.targets, 1);
  EXPECT_EQ(report.days_rolled, 0);
  const auto after = store_->top({"orders", T(kDay0), T(kEnd), TopOrder::kTotal, 10});
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(before[i].measures, after[i].measures);
}

TEST_P(StoreRollupTest, ALateSampleGoesIntoItsRolledUpDayAtOnce) {
  // Into an hour and a day that are already rolled up.
  Sample late = test_sample(test_key(1), kEnd - 1500, 99, 300);
  store_->write_cycle({"orders", kServer, T(kEnd + 400), {}, {late}, {}, {}});
  ledger_.add("orders", shape1_, late);
  const auto state = store_->targets()[0];
  EXPECT_EQ(state.samples_through, T(kEnd));
  EXPECT_EQ(state.daily_through, T(kEnd));
  EXPECT_EQ(top_of_shape1(kDay0, kEnd), expected(kDay0, kEnd));
  EXPECT_EQ(top_of_shape1(kEnd - kHour, kEnd), expected(kEnd - kHour, kEnd));

  EXPECT_EQ(store_->rollup_and_prune(T(kEnd + 500), kRetention).days_rolled, 0);
  EXPECT_EQ(store_->targets()[0].daily_through, T(kEnd));
  EXPECT_EQ(top_of_shape1(kDay0, kEnd), expected(kDay0, kEnd));
  EXPECT_EQ(top_of_shape1(kEnd - kHour, kEnd), expected(kEnd - kHour, kEnd));
}

TEST_P(StoreRollupTest, ASampleOlderThanTheHourlyRetentionStaysInItsDay) {
  // The first day's hours are pruned (hourly retention: 2 days); its daily rows stay, and
  // a sample arriving for it now (an old slow log stored late) must join them, not vanish
  // with its hour at the next prune.
  Sample late = test_sample(test_key(1), kDay0 + 1200, 77, 300);
  store_->write_cycle({"orders", kServer, T(kEnd + 400), {}, {late}, {}, {}});
  ledger_.add("orders", shape1_, late);
  store_->rollup_and_prune(T(kEnd + 500), kRetention);
  auto conn = db_->connect();
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples_hourly WHERE bucket_start < " +
                                 std::to_string(kDay0 + kDay)),
            0);
  EXPECT_EQ(top_of_shape1(kDay0, kDay0 + kDay), expected(kDay0, kDay0 + kDay));
  EXPECT_EQ(query_int(*conn, "SELECT SUM(sample_count) FROM samples_daily WHERE bucket_start = " +
                                 std::to_string(kDay0)),
            2 * 144 + 1);
}

TEST_P(StoreRollupTest, OldHoursOfATargetNeverRolledUpReachTheirDays) {
  // A target whose whole history is older than the hourly retention (a slow log of last
  // month stored with `digest --store`) and that no rollup has seen yet.
  store_->ensure_target("archive", Engine::kMysql);
  CycleWrite cycle{"archive", kServer, T(kEnd), {{test_key(7), test_shape(7), "g"}}, {}, {}, {}};
  for (int64_t t = kDay0; t < kDay0 + kDay; t += kHour) {
    cycle.samples.push_back(test_sample(test_key(7), t, t % 31, 3600));
  }
  store_->write_cycle(cycle);
  const int64_t shape = shape_of(*store_, "archive", test_key(7));
  for (const Sample& s : cycle.samples) ledger_.add("archive", shape, s);

  store_->rollup_and_prune(T(kEnd + 300), kRetention);
  auto conn = db_->connect();
  EXPECT_EQ(query_int(*conn, "SELECT SUM(sample_count) FROM samples_daily WHERE bucket_start = " +
                                 std::to_string(kDay0) + " AND statement_id IN (SELECT id FROM "
                                 "statements WHERE query_key = '" + test_key(7).query_id + "')"),
            24);
  Measures stored;
  for (const auto& row : store_->top({"archive", T(kDay0), T(kEnd), TopOrder::kTotal, 10})) {
    if (row.shape_id == shape) stored = row.measures;
  }
  EXPECT_EQ(stored, ledger_.total("archive", shape, kDay0, kEnd));
}

TEST_P(StoreRollupTest, ADayAnEarlierVersionPulledBackKeepsItsDailyRows) {
  // Earlier versions pulled daily_through back to a late sample's day to rebuild it from
  // its hours. For a day whose hours are pruned, that rebuild would replace the day's
  // rows with the late sample alone; the day keeps its rows instead.
  const Measures day0 = expected(kDay0, kDay0 + kDay);
  auto conn = db_->connect();
  conn->exec_script("pull back", "UPDATE target_state SET daily_through = " +
                                      std::to_string(kDay0));
  store_->write_cycle({"orders", kServer, T(kEnd + 400),
                       {}, {test_sample(test_key(1), kDay0 + 1200, 77, 300)}, {}, {}});
  store_->rollup_and_prune(T(kEnd + 500), kRetention);
  EXPECT_EQ(top_of_shape1(kDay0, kDay0 + kDay), day0);
  EXPECT_EQ(store_->targets()[0].daily_through, T(kEnd));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreRollupTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
