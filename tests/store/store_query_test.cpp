// Store reads over a small raw history of two targets, on both backends: top, timeline and
// shape_buckets sum exactly what was written, over any range, ordered and filtered.
#include "analyzer/store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "tests/store/store_test_fixture.h"

namespace slowscope::testing {
namespace {

// A small history over two targets; top and timeline sums are compared exactly.
class StoreQueryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store_.emplace(db_->open());
    store_->ensure_target("orders", Engine::kPostgres);
    store_->ensure_target("shop", Engine::kMysql);
    // orders: keys 1 and 2 share shape 1 (different databases), key 3 is shape 2.
    // shop: key 1 is shape 1 too (same shape across targets), key 4 is shape 3.
    const std::vector<std::pair<std::string, std::vector<NewStatement>>> statements = {
        {"orders",
         {{test_key(1), test_shape(1), "a"},
          {test_key(2, "16385"), test_shape(1), "b"},
          {test_key(3), test_shape(2), "c"}}},
        {"shop",
         {{test_key(1, "shop"), test_shape(1), "d"}, {test_key(4, "shop"), test_shape(3), "e"}}},
    };
    int64_t seed = 0;
    for (const auto& [target, news] : statements) {
      bool first = true;
      for (int64_t t = kDay0; t < kDay0 + 3 * kHour; t += 300) {
        CycleWrite cycle;
        cycle.target = target;
        cycle.server = kServer;
        cycle.collected_at = T(t + 300);
        if (first) cycle.new_statements = news;
        first = false;
        for (const auto& n : news) {
          // Shape 2 runs rarely but slowly, to make the orderings disagree.
          const int64_t s = n.shape.hash == "shape-2" ? 40 + seed % 3 : seed % 17;
          cycle.samples.push_back(test_sample(n.key, t, s, 300));
          ++seed;
        }
        store_->write_cycle(cycle);
        for (const auto& sample : cycle.samples) {
          ledger_.add(target, shape_of(*store_, target, sample.key), sample);
        }
      }
    }
  }

  std::optional<Store> store_;
  Ledger ledger_;
};

TEST_P(StoreQueryTest, TopSumsExactlyOverAnyRange) {
  const std::pair<int64_t, int64_t> ranges[] = {{kDay0, kDay0 + 3 * kHour},
                                                {kDay0 + 600, kDay0 + 7200},
                                                {kDay0 + 301, kDay0 + 900},
                                                {kDay0 - kDay, kDay0 + kDay},
                                                {kDay0 + 5 * kHour, kDay0 + 6 * kHour}};
  for (const auto& [since, until] : ranges) {
    const auto expected = ledger_.totals(since, until);
    const auto top = store_->top({std::nullopt, T(since), T(until), TopOrder::kTotal, 100});
    ASSERT_EQ(top.size(), expected.size()) << since << ".." << until;
    for (const auto& row : top) {
      EXPECT_EQ(row.measures, expected.at({row.target, row.shape_id}))
          << row.target << " " << row.shape_hash << " " << since << ".." << until;
    }
  }
}

TEST_P(StoreQueryTest, TopOrdersLimitsAndFilters) {
  const int64_t since = kDay0, until = kDay0 + 3 * kHour;
  const auto expected = ledger_.totals(since, until);
  const std::pair<TopOrder, double (*)(const Measures&)> orders[] = {
      {TopOrder::kTotal, [](const Measures& m) { return m.total_time; }},
      {TopOrder::kMean, [](const Measures& m) { return m.mean_time(); }},
      {TopOrder::kCalls, [](const Measures& m) { return static_cast<double>(m.calls); }},
      {TopOrder::kRows, [](const Measures& m) { return static_cast<double>(m.row_count); }},
      {TopOrder::kIo, [](const Measures& m) { return static_cast<double>(m.io_blocks()); }},
  };
  for (const auto& [order, key] : orders) {
    std::vector<std::tuple<double, std::string, int64_t>> want;
    for (const auto& [id, m] : expected) want.emplace_back(-key(m), id.first, id.second);
    std::sort(want.begin(), want.end());
    const auto top = store_->top({std::nullopt, T(since), T(until), order, 3});
    ASSERT_EQ(top.size(), 3u);
    for (size_t i = 0; i < top.size(); ++i) {
      EXPECT_EQ(top[i].target, std::get<1>(want[i])) << static_cast<int>(order) << " #" << i;
      EXPECT_EQ(top[i].shape_id, std::get<2>(want[i])) << static_cast<int>(order) << " #" << i;
    }
  }
  const auto shop = store_->top({"shop", T(since), T(until), TopOrder::kCalls, 10});
  ASSERT_EQ(shop.size(), 2u);
  for (const auto& row : shop) EXPECT_EQ(row.target, "shop");
  EXPECT_EQ(shop[0].fingerprint.rfind("SELECT * FROM t", 0), 0u);
  EXPECT_THROW(store_->top({"nope", T(since), T(until), TopOrder::kTotal, 10}), StoreError);
  EXPECT_TRUE(store_->top({std::nullopt, T(since), T(until), TopOrder::kTotal, 0}).empty());
}

TEST_P(StoreQueryTest, TimelineSumsTheShapePerBucket) {
  const int64_t shape = shape_of(*store_, "orders", test_key(1));
  const auto points = store_->timeline({"orders", shape, T(kDay0 + 600), T(kDay0 + 1800)});
  ASSERT_EQ(points.size(), 4u);
  for (size_t i = 0; i < points.size(); ++i) {
    const int64_t bucket = kDay0 + 600 + 300 * static_cast<int64_t>(i);
    EXPECT_EQ(points[i].bucket_start, T(bucket));
    EXPECT_EQ(points[i].bucket, std::chrono::seconds(300));
    EXPECT_EQ(points[i].measures, ledger_.total("orders", shape, bucket, bucket + 1));
  }
  EXPECT_TRUE(store_->timeline({"orders", shape, T(kDay0 - 600), T(kDay0)}).empty());
  EXPECT_THROW(store_->timeline({"nope", shape, T(kDay0), T(kDay0 + 1)}), StoreError);
}

TEST_P(StoreQueryTest, ShapeBucketsSumEachBucketOfEveryShape) {
  const int64_t shape = shape_of(*store_, "orders", test_key(1));  // keys 1 and 2
  const ShapeBuckets read =
      store_->shape_buckets({"orders", T(kDay0 + 600), T(kDay0 + 1800), true});
  int buckets = 0;
  for (const ShapeBucketCounts& row : read.buckets) {
    if (row.shape_id != shape) continue;
    const int64_t bucket = kDay0 + 600 + 300 * buckets++;
    EXPECT_EQ(row.bucket_start, T(bucket));
    EXPECT_EQ(row.bucket, std::chrono::seconds(300));
    const Measures m = ledger_.total("orders", shape, bucket, bucket + 1);
    EXPECT_EQ(row.calls, m.calls);
    EXPECT_EQ(row.rows_examined, m.rows_examined);
    EXPECT_EQ(row.shared_blocks, m.shared_blks_hit + m.shared_blks_read);
    EXPECT_NEAR(row.total_time, m.total_time, 1e-9 * m.total_time);
  }
  EXPECT_EQ(buckets, 4);
  EXPECT_TRUE(std::is_sorted(read.buckets.begin(), read.buckets.end(), [](auto& a, auto& b) {
    return std::tie(a.shape_id, a.bucket_start) < std::tie(b.shape_id, b.bucket_start);
  }));
}

// The totals of shape_buckets are top's, shape names included.
TEST_P(StoreQueryTest, ShapeBucketsTotalEveryShapeAsTopDoes) {
  const ShapeBuckets read = store_->shape_buckets({"orders", T(kDay0), T(kDay0 + 3600), true});
  const auto top = store_->top({"orders", T(kDay0), T(kDay0 + 3600), TopOrder::kTotal, 100});
  ASSERT_EQ(read.totals.size(), top.size());
  ASSERT_GE(top.size(), 2u);
  for (const ShapeTotals& t : top) {
    const auto it = std::ranges::find(read.totals, t.shape_id, &ShapeTotals::shape_id);
    ASSERT_NE(it, read.totals.end()) << t.shape_hash;
    EXPECT_EQ(it->target, "orders");
    EXPECT_EQ(it->shape_hash, t.shape_hash);
    EXPECT_EQ(it->fingerprint, t.fingerprint);
    EXPECT_EQ(it->measures.calls, t.measures.calls);
    EXPECT_EQ(it->measures.min_time, t.measures.min_time);
    EXPECT_EQ(it->measures.max_time, t.measures.max_time);
    EXPECT_EQ(it->measures.shared_blks_read, t.measures.shared_blks_read);
    EXPECT_NEAR(it->measures.total_time, t.measures.total_time, 1e-9 * t.measures.total_time);
  }
}

// counts_only reads the same buckets and named shapes as a full raw read, with the totals'
// other measures left out.
TEST_P(StoreQueryTest, ShapeBucketCountsOnlyReadTheSameBuckets) {
  const ShapeBuckets full = store_->shape_buckets({"orders", T(kDay0), T(kDay0 + 3600), true});
  const ShapeBuckets counts =
      store_->shape_buckets({"orders", T(kDay0), T(kDay0 + 3600), true, true});
  ASSERT_EQ(counts.buckets.size(), full.buckets.size());
  ASSERT_GE(counts.buckets.size(), 8u);
  for (size_t i = 0; i < full.buckets.size(); ++i) {
    const ShapeBucketCounts& a = full.buckets[i];
    const ShapeBucketCounts& b = counts.buckets[i];
    EXPECT_EQ(b.shape_id, a.shape_id);
    EXPECT_EQ(b.bucket_start, a.bucket_start);
    EXPECT_EQ(b.bucket, a.bucket);
    EXPECT_EQ(b.calls, a.calls);
    EXPECT_EQ(b.rows_examined, a.rows_examined);
    EXPECT_EQ(b.shared_blocks, a.shared_blocks);
    EXPECT_EQ(b.total_time, a.total_time);
  }
  ASSERT_EQ(counts.totals.size(), full.totals.size());
  for (size_t i = 0; i < full.totals.size(); ++i) {
    const Measures& a = full.totals[i].measures;
    const Measures& b = counts.totals[i].measures;
    EXPECT_EQ(counts.totals[i].shape_hash, full.totals[i].shape_hash);
    EXPECT_EQ(b.calls, a.calls);
    EXPECT_EQ(b.total_time, a.total_time);
    EXPECT_EQ(b.shared_blks_read, a.shared_blks_read);
    EXPECT_EQ(b.sum_sq, 0);  // not read
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreQueryTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
