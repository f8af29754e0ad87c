// Health alerts over a real SQLite store: a target down for fewer cycles than the bar raises
// nothing, at the bar one trigger, clean again one resolve; a refused login is raised at
// once, and so is a slow log not growing; another problem replaces the first; a restart
// resolves what an earlier run raised; one-cycle runs (`collect --once` from cron) count as
// cycles in a row.
#include "app/health_alerts.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

constexpr int64_t kStart = 1'700'006'400;

StoreTime at(int64_t s) {
  return StoreTime(std::chrono::seconds(s));
}

class HealthAlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    routing_.sinks = {{"oncall", AlertSeverity::kError}, {"log", AlertSeverity::kInfo}};
    store_.ensure_target("orders", Engine::kPostgres);
  }

  // The events queued for sink "log", oldest first: "trigger health/unreachable critical".
  std::vector<std::string> queued() {
    std::vector<std::string> out;
    std::vector<AlertDelivery> all = store_.deliveries({"log", {}, {}, 1000});
    std::reverse(all.begin(), all.end());
    for (const AlertDelivery& d : all) {
      const nlohmann::json doc = nlohmann::json::parse(d.alert.document);
      out.push_back(d.alert.action + " " + doc["kind"].get<std::string>() + " " + d.alert.severity);
    }
    return out;
  }

  AlertRouting routing_;
  testing::TempDir dir_;
  Store store_ = Store::open(StoreLocation::parse("sqlite:" + dir_.file("store.db")));
};

TEST_F(HealthAlertsTest, UnreachableForThreeCyclesIsRaisedAndResolved) {
  HealthAlerts health("orders", routing_, 3);
  const std::string down = "orders: connection to server at \"db1\" failed: Connection refused";
  EXPECT_FALSE(health.after_cycle(store_, CollectorHealth::kOk, "", at(kStart)));
  EXPECT_FALSE(health.after_cycle(store_, CollectorHealth::kUnreachable, down, at(kStart + 60)));
  EXPECT_FALSE(health.after_cycle(store_, CollectorHealth::kUnreachable, down, at(kStart + 120)));
  EXPECT_TRUE(queued().empty());
  EXPECT_TRUE(health.after_cycle(store_, CollectorHealth::kUnreachable, down, at(kStart + 180)));
  EXPECT_EQ(queued(), std::vector<std::string>{"trigger health/unreachable critical"});
  const AlertDelivery trigger = store_.deliveries({"oncall", {}, {}, 10}).at(0);
  const nlohmann::json doc = nlohmann::json::parse(trigger.alert.document);
  EXPECT_EQ(doc["summary"],
            "orders: collector unreachable for 3 cycles in a row since 2023-11-15T00:01:00Z: "
            "orders: connection to server at \"db1\" failed: Connection refused");
  EXPECT_TRUE(doc["query_id"].is_null());
  EXPECT_EQ(doc["details"]["cycles"], 3);
  // Still down: nothing more.
  EXPECT_FALSE(health.after_cycle(store_, CollectorHealth::kUnreachable, down, at(kStart + 240)));
  // Back: resolved, under the trigger's key, to the same sinks.
  EXPECT_TRUE(health.after_cycle(store_, CollectorHealth::kOk, "", at(kStart + 300)));
  EXPECT_EQ(queued(), (std::vector<std::string>{"trigger health/unreachable critical",
                                                "resolve health/unreachable critical"}));
  const std::vector<AlertDelivery> oncall = store_.deliveries({"oncall", {}, {}, 10});
  ASSERT_EQ(oncall.size(), 2u);
  EXPECT_EQ(oncall[0].alert.dedup_key, trigger.alert.dedup_key);
  EXPECT_FALSE(health.after_cycle(store_, CollectorHealth::kOk, "", at(kStart + 360)));
}

TEST_F(HealthAlertsTest, ARefusedLoginIsRaisedAtOnceAndAnotherProblemReplacesIt) {
  HealthAlerts health("orders", routing_, 3);
  EXPECT_TRUE(health.after_cycle(store_, CollectorHealth::kLoginRefused,
                                 "orders: password authentication failed for user \"slowscope\"",
                                 at(kStart)));
  EXPECT_TRUE(health.after_cycle(store_, CollectorHealth::kExtensionMissing,
                                 "orders: pg_stat_statements is not installed", at(kStart + 60)));
  EXPECT_EQ(queued(), (std::vector<std::string>{"trigger health/login_refused error",
                                                "resolve health/login_refused error",
                                                "trigger health/extension_missing error"}));
}

TEST_F(HealthAlertsTest, ASlowLogNotGrowingIsRaisedAtOnceSayingWhatWasFound) {
  HealthAlerts health("orders", routing_, 3);
  const std::string found =
      "the server counted 42 slow queries since 2023-11-15T00:00:00Z but "
      "/var/log/mysql/slow.log did not grow; slow_query_log_file is /var/lib/mysql/other.log";
  EXPECT_TRUE(health.after_cycle(store_, CollectorHealth::kLogNotGrowing, found, at(kStart)));
  EXPECT_EQ(queued(), std::vector<std::string>{"trigger health/log_not_growing error"});
  const nlohmann::json doc =
      nlohmann::json::parse(store_.deliveries({"oncall", {}, {}, 10}).at(0).alert.document);
  EXPECT_EQ(doc["summary"], "orders: collector log not growing: " + found);
  EXPECT_EQ(doc["details"]["health"], "log not growing");
  // Still not growing, with a higher count: nothing more; growing again: resolved.
  EXPECT_FALSE(
      health.after_cycle(store_, CollectorHealth::kLogNotGrowing, found + ".", at(kStart + 60)));
  EXPECT_TRUE(health.after_cycle(store_, CollectorHealth::kOk, "", at(kStart + 120)));
  EXPECT_EQ(queued(), (std::vector<std::string>{"trigger health/log_not_growing error",
                                                "resolve health/log_not_growing error"}));
}

TEST_F(HealthAlertsTest, ARestartResolvesWhatAnEarlierRunRaised) {
  {
    HealthAlerts health("orders", routing_, 1);
    EXPECT_TRUE(health.after_cycle(store_, CollectorHealth::kCoverageLost, "", at(kStart)));
  }
  EXPECT_EQ(queued(), std::vector<std::string>{"trigger health/coverage_lost warning"});
  EXPECT_TRUE(store_.deliveries({"oncall", {}, {}, 10}).empty());  // below its minimum
  HealthAlerts restarted("orders", routing_, 1);
  EXPECT_TRUE(restarted.after_cycle(store_, CollectorHealth::kOk, "", at(kStart + 60)));
  EXPECT_EQ(queued(), (std::vector<std::string>{"trigger health/coverage_lost warning",
                                                "resolve health/coverage_lost warning"}));
}

TEST_F(HealthAlertsTest, OneCycleRunsCountAsCyclesInARow) {
  const std::string down = "orders: connection to server at \"db1\" failed: Connection refused";
  // Each run is a new process: only the store remembers.
  const auto run = [&](CollectorHealth health, int64_t t) {
    HealthAlerts once("orders", routing_, 3);
    return once.after_cycle(store_, health, health == CollectorHealth::kOk ? "" : down, at(t));
  };
  EXPECT_FALSE(run(CollectorHealth::kUnreachable, kStart));
  EXPECT_FALSE(run(CollectorHealth::kUnreachable, kStart + 300));
  EXPECT_FALSE(run(CollectorHealth::kOk, kStart + 600));  // a clean run starts the count again
  EXPECT_FALSE(run(CollectorHealth::kUnreachable, kStart + 900));
  EXPECT_FALSE(run(CollectorHealth::kUnreachable, kStart + 1200));
  EXPECT_TRUE(queued().empty());
  EXPECT_TRUE(run(CollectorHealth::kUnreachable, kStart + 1500));
  EXPECT_EQ(queued(), std::vector<std::string>{"trigger health/unreachable critical"});
  const nlohmann::json doc =
      nlohmann::json::parse(store_.deliveries({"log", {}, {}, 10}).at(0).alert.document);
  EXPECT_EQ(doc["details"]["cycles"], 3);
  EXPECT_EQ(doc["details"]["since"], "2023-11-15T00:15:00Z");
  EXPECT_FALSE(run(CollectorHealth::kUnreachable, kStart + 1800));  // raised already
  EXPECT_TRUE(run(CollectorHealth::kOk, kStart + 2100));
  EXPECT_EQ(queued(), (std::vector<std::string>{"trigger health/unreachable critical",
                                                "resolve health/unreachable critical"}));
  // Nothing open and no problem under way is left in the store.
  const nlohmann::json state = nlohmann::json::parse(*store_.checkpoint("orders", kHealthCheckpoint));
  EXPECT_EQ(state, nlohmann::json::parse(R"({"raised": []})"));
}

}  // namespace
}  // namespace slowscope
