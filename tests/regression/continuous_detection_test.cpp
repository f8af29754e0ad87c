// Continuous detection with memory over a real (SQLite) store, pass after pass as `collect`
// runs it: a shape that gets slower opens one finding, following the latest release of its
// target; it stays open while the slowdown lasts and resolves after the configured clean
// passes once it is over, but not while it does not run; `slowscope findings` lists it by
// status, in the documented JSON. Once a day a trend pass records the shapes getting slower
// day after day.
#include "analyzer/regression/continuous_detection.h"

#include <gtest/gtest.h>

#include <map>

#include "analyzer/time/utc_time.h"
#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"

namespace slowscope {
namespace {

using testing::kHistoryInterval;
using testing::run_slowscope;
using testing::write_history;

StoreTime at(int64_t s) {
  return StoreTime(std::chrono::seconds(s));
}

class ContinuousDetectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.emplace(Store::open(StoreLocation::parse("sqlite:" + dir_.file("s.db"))));
    store_->ensure_target("orders", Engine::kPostgres);
    options_.recent.post_window = std::chrono::minutes(15);
    options_.recent.baseline = std::chrono::hours(2);
    options_.lifecycle.resolve_after = 3;
  }

  // Every pass from `from` to `until`, one a minute; the events they logged, in order.
  std::vector<std::pair<int64_t, FindingEvent>> passes(int64_t from, int64_t until) {
    std::vector<std::pair<int64_t, FindingEvent>> events;
    for (int64_t t = from; t <= until; t += kHistoryInterval) {
      for (const FindingChange& c :
           run_detection_pass(*store_, "orders", at(t), options_).changes) {
        EXPECT_EQ(c.record.id(), "orders/shape-slow/latency");
        if (c.event != FindingEvent::kSeen && c.event != FindingEvent::kClean) {
          events.emplace_back(t, c.event);
        }
      }
    }
    return events;
  }

  // Minutes, aligned, ending well before now so that every tier of the store is settled.
  const int64_t now_ = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() /
                       kHistoryInterval * kHistoryInterval;
  const int64_t slow_from_ = now_ - 3600;
  const int64_t slow_until_ = slow_from_ + 20 * 60;
  testing::TempDir dir_;
  std::optional<Store> store_;
  ContinuousDetectionOptions options_;
};

TEST_F(ContinuousDetectionTest, AFindingOpensOnceAndResolvesAfterTheCleanPasses) {
  write_history(*store_, slow_from_ - 7200, slow_from_ + 3000,
                [&](const std::string& name, int64_t t) {
                  return name == "slow" && t >= slow_from_ && t < slow_until_ ? 0.025 : 0.010;
                });
  store_->add_release({"v1", at(slow_from_ - 3600), {}, {}});
  store_->add_release({"v2", at(slow_from_ - 60), {"orders"}, {}});
  store_->add_release({"shop-v9", at(slow_from_), {"shop"}, {}});  // another target's

  // Before the slowdown: evaluated, nothing found, nothing recorded.
  EXPECT_TRUE(passes(slow_from_ - 600, slow_from_).empty());
  EXPECT_TRUE(store_->findings({}).empty());

  const auto events = passes(slow_from_ + 60, slow_from_ + 3000);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].second, FindingEvent::kOpened);
  EXPECT_EQ(events[1].second, FindingEvent::kResolved);
  // Found within the first minutes of the slowdown (a third of the 15-minute window at
  // 2.5 times the latency is plenty); resolved once the window no longer holds enough of
  // it, plus three clean passes — and not before the slowdown ended.
  EXPECT_LE(events[0].first, slow_from_ + 5 * 60);
  EXPECT_GT(events[1].first, slow_until_ + 3 * 60);
  EXPECT_LE(events[1].first, slow_until_ + 15 * 60 + 3 * 60);

  const auto finding = store_->finding("orders/shape-slow/latency");
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->status, FindingStatus::kResolved);
  EXPECT_EQ(finding->opened_at, at(events[0].first));
  EXPECT_EQ(finding->first_interval, at(events[0].first - 15 * 60));
  EXPECT_EQ(finding->resolved_at, at(events[1].first));
  EXPECT_EQ(finding->last_seen_at, at(events[1].first - 3 * 60));
  EXPECT_EQ(finding->release, "v2");
  EXPECT_EQ(finding->fingerprint, "select * from slow where id = ?");
  EXPECT_EQ(finding->clean_passes, 3);

  // A pass with no recent samples cannot judge: it changes nothing.
  EXPECT_TRUE(run_detection_pass(*store_, "orders", at(now_ + 86400), options_).changes.empty());
  EXPECT_EQ(store_->finding("orders/shape-slow/latency"), finding);
}

TEST_F(ContinuousDetectionTest, AShapeThatStopsRunningIsNotResolved) {
  // Slower from slow_from_, then silent (the feature is switched off, the job paused):
  // nothing shows it fixed, so its finding stays open.
  write_history(*store_, slow_from_ - 7200, slow_from_ + 3000,
                [&](const std::string& name, int64_t t) {
                  if (name != "slow" || t < slow_from_) return 0.010;
                  return t < slow_until_ ? 0.025 : -1.0;
                });
  std::map<std::string, std::vector<FindingEvent>> events;
  for (int64_t t = slow_from_ + 60; t <= slow_from_ + 3000; t += kHistoryInterval) {
    for (const FindingChange& c : run_detection_pass(*store_, "orders", at(t), options_).changes) {
      if (c.event != FindingEvent::kSeen) events[c.record.id()].push_back(c.event);
    }
  }
  // The silence is a finding of its own.
  const std::map<std::string, std::vector<FindingEvent>> expected{
      {"orders/shape-slow/latency", {FindingEvent::kOpened}},
      {"orders/shape-slow/vanished", {FindingEvent::kOpened}}};
  EXPECT_EQ(events, expected);
  const auto finding = store_->finding("orders/shape-slow/latency");
  ASSERT_TRUE(finding);
  EXPECT_EQ(finding->status, FindingStatus::kOpen);
  // Found while the window held two slow minutes or more (40 calls); not judged with one
  // (20 calls, under min_calls) or none.
  EXPECT_EQ(finding->clean_passes, 0);
  EXPECT_EQ(finding->last_seen_at, at(slow_until_ + 13 * 60));
}

TEST_F(ContinuousDetectionTest, TheDailyTrendPassRecordsTrendsOnly) {
  testing::write_daily_history(*store_, "orders", true);
  const TrendPassOptions trends;  // 14 days
  const DetectionPassReport first = run_trend_pass(*store_, "orders", at(now_), trends);
  ASSERT_TRUE(first.check.evaluated);
  EXPECT_EQ(first.check.shapes_compared, 2);
  ASSERT_EQ(first.changes.size(), 1u);
  EXPECT_EQ(first.changes[0].event, FindingEvent::kOpened);
  const FindingRecord& r = first.changes[0].record;
  EXPECT_EQ(r.id(), "orders/shape-creeping/trend");
  const auto evidence = nlohmann::json::parse(r.evidence);
  EXPECT_NEAR(evidence["daily_rise"].get<double>(), 0.04 / (1 + 0.04 * 6), 1e-3);
  // The days judged: the first one is the baseline, the last one the post window.
  const int64_t today = now_ - now_ % 86400;
  EXPECT_EQ(r.first_interval, at(today - 86400));
  EXPECT_EQ(evidence["baseline"]["from"], format_utc((today - 14 * 86400) * 1'000'000));
  EXPECT_EQ(store_->finding(r.id())->status, FindingStatus::kOpen);

  // The next day's pass finds it again; a target without whole days is not evaluated.
  EXPECT_EQ(run_trend_pass(*store_, "orders", at(now_), trends).changes[0].event,
            FindingEvent::kSeen);
  store_->ensure_target("fresh", Engine::kPostgres);
  const DetectionPassReport fresh = run_trend_pass(*store_, "fresh", at(now_), trends);
  EXPECT_FALSE(fresh.check.evaluated);
  EXPECT_EQ(fresh.check.reason, "no whole day of history in the 14 days before today");
}

TEST_F(ContinuousDetectionTest, TheFindingsCommandListsThemByStatus) {
  write_history(*store_, slow_from_ - 7200, slow_from_ + 900,
                [&](const std::string& name, int64_t t) {
                  return name == "slow" && t >= slow_from_ ? 0.040 : 0.010;
                });
  passes(slow_from_ + 900, slow_from_ + 900);
  store_.reset();
  const std::string store = " --store sqlite:" + dir_.file("s.db");

  auto r = run_slowscope("findings --format json" + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/findings-1.schema.json"));
  EXPECT_EQ(doc["schema"], "slowscope.findings/1");
  ASSERT_EQ(doc["findings"].size(), 1u);
  const nlohmann::json& f = doc["findings"][0];
  EXPECT_EQ(f["id"], "orders/shape-slow/latency");
  EXPECT_EQ(f["status"], "open");
  EXPECT_EQ(f["severity"], "critical");
  EXPECT_TRUE(f["resolved_at"].is_null());
  EXPECT_TRUE(f["release"].is_null());
  EXPECT_NEAR(f["evidence"]["ratio"].get<double>(), 4.0, 1e-9);

  r = run_slowscope("findings --status resolved --format json" + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/findings-1.schema.json"));
  EXPECT_TRUE(doc["findings"].empty());

  r = run_slowscope("findings --target orders --since 2d" + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("open  critical  orders/shape-slow/latency"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(x4.00)"), std::string::npos) << r.out;
  r = run_slowscope("findings --target orders --status resolved" + store);
  EXPECT_EQ(r.out, "no findings\n");
  r = run_slowscope("findings --target shop" + store);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no target named 'shop'"), std::string::npos) << r.err;

  EXPECT_EQ(run_slowscope("findings --status closed" + store).exit_code, 2);
  EXPECT_EQ(run_slowscope("findings --since soon" + store).exit_code, 2);
}

}  // namespace
}  // namespace slowscope
