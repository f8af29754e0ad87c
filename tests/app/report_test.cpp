// The report pipeline over a real SQLite store written the way collect writes it: the
// period and its comparison, shapes ranked and compared, the movers, which shapes are
// detailed, findings and releases of the period, and what it says when there is nothing.
#include "app/report.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "analyzer/error/errors.h"
#include "analyzer/regression/continuous_detection.h"
#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"

namespace slowscope {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

StoreTime at(int64_t s) {
  return StoreTime(seconds(s));
}

TEST(ReportComparison, PreviousIsTheSpanJustBefore) {
  const ReportSpan period{at(100'000), at(103'600)};
  const auto span = comparison_span(period, ComparisonMode::kPrevious);
  ASSERT_TRUE(span);
  EXPECT_EQ(span->from, at(96'400));
  EXPECT_EQ(span->until, at(100'000));
  EXPECT_FALSE(comparison_span(period, ComparisonMode::kNone));
}

TEST(ReportComparison, SameHoursAreWholeDaysBefore) {
  // Two hours: the same two hours a day before.
  const ReportSpan morning{at(86'400 * 10 + 9 * 3600), at(86'400 * 10 + 11 * 3600)};
  auto span = comparison_span(morning, ComparisonMode::kSameHours);
  ASSERT_TRUE(span);
  EXPECT_EQ(span->from, morning.from - hours(24));
  EXPECT_EQ(span->until, morning.until - hours(24));
  // Thirty hours: two days before, so the spans do not overlap.
  const ReportSpan longer{at(86'400 * 10), at(86'400 * 10 + 30 * 3600)};
  span = comparison_span(longer, ComparisonMode::kSameHours);
  ASSERT_TRUE(span);
  EXPECT_EQ(span->from, longer.from - hours(48));
}

// "orders": shapes fast (10 ms) and slow (10 ms, 40 ms after a release at `release_`) for
// two hours before the release and one after; the finding detection records for slow.
class ReportPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.ensure_target("orders", Engine::kPostgres);
    testing::write_history(store_, release_ - 7200, release_ + 3600,
                           [&](const std::string& name, int64_t t) {
                             return name == "slow" && t >= release_ ? 0.040 : 0.010;
                           });
    store_.add_release({"v2.4.1", at(release_), {"orders"}, {{"commit", "abc123"}}});
    ContinuousDetectionOptions detection;
    detection.recent.post_window = std::chrono::minutes(15);
    detection.recent.baseline = hours(2);
    ASSERT_FALSE(
        run_detection_pass(store_, "orders", at(release_ + 900), detection).changes.empty());
  }

  ReportRequest after_release() const {
    ReportRequest request;
    request.period = {at(release_), at(release_ + 3600)};
    return request;
  }

  const int64_t release_ = 1'700'006'400;  // an hour boundary
  testing::TempDir dir_;
  Store store_ = Store::open(StoreLocation::parse("sqlite:" + dir_.file("store.db")));
};

TEST_F(ReportPipeline, ComparesEachShapeWithTheHourBefore) {
  const ReportData r = build_report(store_, after_release(), at(release_ + 3700));
  ASSERT_EQ(r.shapes.size(), 2u);
  // 60 minutes x 20 calls; slow at 40 ms now, 10 ms before.
  const ReportShape& slow = r.shapes[0];
  EXPECT_EQ(slow.query_id, "shape-slow");
  EXPECT_EQ(slow.now.calls, 1200);
  EXPECT_NEAR(slow.now.total_time, 1200 * 0.040, 1e-6);
  EXPECT_EQ(slow.before.calls, 1200);
  EXPECT_NEAR(slow.before.total_time, 1200 * 0.010, 1e-6);
  EXPECT_NEAR(added_time_per_hour(slow, r), 1200 * 0.030, 1e-6);
  EXPECT_TRUE(slow.has_finding);
  EXPECT_FALSE(slow.p95);  // pg_stat_statements keeps no latency distribution
  EXPECT_EQ(r.shapes[1].query_id, "shape-fast");
  EXPECT_FALSE(r.shapes[1].has_finding);

  EXPECT_EQ(r.totals.calls, 2400);
  EXPECT_NEAR(r.totals.total_time, 1200 * 0.050, 1e-6);
  EXPECT_NEAR(r.totals.before_total_time, 2400 * 0.010, 1e-6);
  ASSERT_EQ(r.totals_by_target.size(), 1u);
  EXPECT_EQ(r.totals_by_target.at("orders").calls, 2400);

  // fast cost the same: only slow moved.
  ASSERT_EQ(r.top_movers.size(), 1u);
  EXPECT_EQ(r.shapes[r.top_movers[0]].query_id, "shape-slow");

  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].shape_hash, "shape-slow");
  ASSERT_EQ(r.releases.size(), 1u);
  EXPECT_EQ(r.releases[0].release.name, "v2.4.1");
  EXPECT_EQ(r.releases[0].finding_ids, std::vector<std::string>{r.findings[0].id()});
}

TEST_F(ReportPipeline, DetailsTheTopShapesAndEveryShapeWithAFinding) {
  ReportRequest request = after_release();
  request.detail_limit = 2;
  ReportData r = build_report(store_, request, at(release_ + 3700));
  ASSERT_EQ(r.details.size(), 2u);
  // An hour: the collection interval, one point a minute.
  EXPECT_EQ(r.details[0].timeline.size(), 60u);
  EXPECT_EQ(r.details[0].timeline.front().bucket, seconds(60));
  EXPECT_TRUE(r.details[0].example.empty());  // not asked for

  request.detail_limit = 0;
  r = build_report(store_, request, at(release_ + 3700));
  ASSERT_EQ(r.details.size(), 1u);
  EXPECT_EQ(r.shapes[r.details[0].shape].query_id, "shape-slow");
}

TEST_F(ReportPipeline, WithoutComparisonNothingMoves) {
  ReportRequest request = after_release();
  request.comparison = ComparisonMode::kNone;
  const ReportData r = build_report(store_, request, at(release_ + 3700));
  EXPECT_FALSE(r.comparison_span);
  EXPECT_TRUE(r.top_movers.empty());
  EXPECT_EQ(r.shapes[0].before.calls, 0);
}

TEST_F(ReportPipeline, SaysWhyWhenThePeriodHoldsNothing) {
  ReportRequest later = after_release();
  later.period = {at(release_ + 86'400), at(release_ + 2 * 86'400)};
  const ReportData r = build_report(store_, later, at(release_ + 2 * 86'400));
  const auto why = nothing_to_report(r);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("the store's samples end at"), std::string::npos) << *why;
  EXPECT_FALSE(nothing_to_report(build_report(store_, after_release(), at(release_ + 3700))));
}

TEST_F(ReportPipeline, AnUnknownTargetIsInvalidInput) {
  ReportRequest request = after_release();
  request.targets = {"nope"};
  try {
    build_report(store_, request, at(release_));
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("no target named 'nope'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("orders"), std::string::npos);
  }
}

}  // namespace
}  // namespace slowscope
