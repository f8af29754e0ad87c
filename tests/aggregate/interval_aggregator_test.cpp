// IntervalAggregator on hand-built events: which cell each event lands in, what the cells
// add up to, and that clear() starts afresh while shapes met before are described again.
#include "analyzer/aggregate/interval_aggregator.h"

#include <gtest/gtest.h>

#include <vector>

#include "analyzer/error/errors.h"
#include "analyzer/fingerprint/query_id.h"

namespace slowscope {
namespace {

constexpr int64_t kSecond = 1'000'000;

struct Event {
  std::string query;
  std::string db;
  std::optional<int64_t> ts_us;
  double query_time = 0;
  double lock_time = 0;
  std::vector<Attribute> attributes;
  bool admin_command = false;
};

void add(IntervalAggregator& agg, const Event& e, int64_t fallback_ts_us = 0) {
  QueryEvent view;
  view.query = e.query;
  view.db = e.db;
  view.ts_us = e.ts_us;
  view.query_time = e.query_time;
  view.lock_time = e.lock_time;
  view.attributes = e.attributes;
  view.admin_command = e.admin_command;
  agg.add(view, fallback_ts_us);
}

const IntervalFigures& cell(const IntervalAggregator& agg, int64_t bucket, const std::string& db,
                            const std::string& fingerprint) {
  return agg.cells().at(IntervalKey{bucket, db, query_id(fingerprint)});
}

TEST(IntervalAggregatorTest, GroupsByBucketDatabaseAndShape) {
  IntervalAggregator agg(std::chrono::seconds(60));
  const std::vector<Attribute> rows{{"Rows_sent", 2.0}, {"Rows_examined", 10.0}};
  add(agg, {"SELECT * FROM t WHERE id = 1", "shop", 120 * kSecond, 0.5, 0.1, rows});
  add(agg, {"select * from t  where id = 22", "shop", 179 * kSecond, 0.25, 0.0, rows});
  add(agg, {"SELECT * FROM t WHERE id = 3", "shop", 180 * kSecond, 1.0, 0.0, rows});
  add(agg, {"SELECT * FROM t WHERE id = 4", "blog", 150 * kSecond, 2.0, 0.0, rows});
  add(agg, {"UPDATE t SET a = 1", "shop", 130 * kSecond, 0.125, 0.0,
            {{"Rows_affected", 3.0}, {"Rows_examined", 7.0}}});

  EXPECT_EQ(agg.events(), 5u);
  EXPECT_EQ(agg.untimed(), 0u);
  ASSERT_EQ(agg.cells().size(), 4u);
  const std::string select = "select * from t where id = ?";
  const IntervalFigures& a = cell(agg, 120, "shop", select);
  EXPECT_EQ(a.calls, 2);
  EXPECT_DOUBLE_EQ(a.total_time, 0.75);
  EXPECT_DOUBLE_EQ(a.sum_sq, 0.25 + 0.0625);
  EXPECT_DOUBLE_EQ(a.min_time, 0.25);
  EXPECT_DOUBLE_EQ(a.max_time, 0.5);
  EXPECT_DOUBLE_EQ(a.lock_time, 0.1);
  EXPECT_EQ(a.rows_sent, 4);
  EXPECT_EQ(a.rows_examined, 20);
  EXPECT_EQ(a.rows_affected, 0);
  EXPECT_EQ(a.query_time.count(), 2u);
  EXPECT_EQ(cell(agg, 180, "shop", select).calls, 1);
  EXPECT_EQ(cell(agg, 120, "blog", select).calls, 1);
  const IntervalFigures& u = cell(agg, 120, "shop", "update t set a = ?");
  EXPECT_EQ(u.rows_affected, 3);
  EXPECT_EQ(u.rows_examined, 7);

  ASSERT_EQ(agg.shapes().size(), 2u);
  const IntervalShape& shape = agg.shapes().at(query_id(select));
  EXPECT_EQ(shape.fingerprint, select);
  EXPECT_EQ(shape.example, "SELECT * FROM t WHERE id = 1");  // the first one seen
  EXPECT_EQ(shape.tables, std::vector<std::string>{"t"});
}

TEST(IntervalAggregatorTest, UntimedEventsTakeTheFallbackTimeAndNegativeTimesFloor) {
  IntervalAggregator agg(std::chrono::seconds(60));
  add(agg, {"select 1", "", std::nullopt, 0.001, 0, {}}, 90 * kSecond);
  add(agg, {"select 1", "", -1, 0.001, 0, {}});  // a microsecond before the epoch
  EXPECT_EQ(agg.untimed(), 1u);
  EXPECT_EQ(cell(agg, 60, "", "select ?").calls, 1);
  EXPECT_EQ(cell(agg, -60, "", "select ?").calls, 1);
}

TEST(IntervalAggregatorTest, AdminCommandsAddNoRowsAndNegativeTimesCountAsZero) {
  IntervalAggregator agg(std::chrono::seconds(10));
  add(agg, {"administrator command: Quit", "", 5 * kSecond, -1.0, -1.0,
            {{"Rows_sent", 5.0}, {"Rows_examined", 5.0}}, true});
  add(agg, {"select 1", "", 5 * kSecond, 0.5, 0, {{"Rows_sent", -3.0}, {"Rows_sent", 9.0}}});
  const IntervalFigures& admin = cell(agg, 0, "", "administrator command: Quit");
  EXPECT_EQ(admin.calls, 1);
  EXPECT_EQ(admin.rows_sent, 0);
  EXPECT_EQ(admin.rows_examined, 0);
  EXPECT_DOUBLE_EQ(admin.total_time, 0);
  EXPECT_DOUBLE_EQ(admin.lock_time, 0);
  // The first Rows_sent counts, and a negative count is none.
  EXPECT_EQ(cell(agg, 0, "", "select ?").rows_sent, 0);
}

TEST(IntervalAggregatorTest, ClearStartsAfreshAndDescribesKnownShapesAgain) {
  IntervalAggregator agg(std::chrono::seconds(60));
  add(agg, {"SELECT a FROM t WHERE b = 1", "x", 60 * kSecond, 0.1, 0, {}});
  agg.clear();
  EXPECT_TRUE(agg.empty());
  EXPECT_TRUE(agg.cells().empty());
  EXPECT_TRUE(agg.shapes().empty());
  add(agg, {"SELECT a FROM t WHERE b = 2", "x", 60 * kSecond, 0.3, 0, {}});
  ASSERT_EQ(agg.shapes().size(), 1u);
  EXPECT_EQ(agg.shapes().begin()->second.example, "SELECT a FROM t WHERE b = 2");
  const IntervalFigures& c = cell(agg, 60, "x", "select a from t where b = ?");
  EXPECT_EQ(c.calls, 1);
  EXPECT_DOUBLE_EQ(c.total_time, 0.3);
}

TEST(IntervalAggregatorTest, RejectsAnIntervalBelowOneSecond) {
  EXPECT_THROW(IntervalAggregator(std::chrono::seconds(0)), InvalidInput);
}

}  // namespace
}  // namespace slowscope
