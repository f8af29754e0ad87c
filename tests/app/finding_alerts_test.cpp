// Finding alerts over a real SQLite store and real detection passes: a release that slows
// 12 shapes on 2 tables is one incident paged once, while an unrelated regression on another
// target is its own; an incident grows more severe by re-triggering its key, resolves when its
// last member does, and a restart neither re-pages nor forgets it. No literal reaches an event.
#include "app/finding_alerts.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analyzer/regression/continuous_detection.h"
#include "reports/alerts/incident_event.h"
#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

using std::chrono::seconds;

constexpr int64_t kRelease = 1'700'006'400;  // an hour boundary
constexpr int64_t kInterval = 60;

StoreTime at(int64_t s) {
  return StoreTime(seconds(s));
}

// One shape of the synthetic workload: its table, its calls a minute and its per-call mean
// at a time.
struct Workload {
  std::string name;
  std::string table;
  int calls = 200;
  std::function<double(int64_t)> mean;
};

void write_history(Store& store, const std::string& target, int64_t from, int64_t until,
                   const std::vector<Workload>& shapes, bool first_cycle) {
  store.ensure_target(target, Engine::kPostgres);
  const ServerIdentity server{"7300000000000000001", "15"};
  for (int64_t t = from; t < until; t += kInterval) {
    CycleWrite cycle{target, server, at(t + kInterval), {}, {}, {}, {}};
    for (const Workload& w : shapes) {
      const StatementKey key{"1", "10", w.name, true};
      if (first_cycle) {
        // The example holds a literal that must never reach an alert.
        cycle.new_statements.push_back(
            {key,
             ShapeInfo{
                 "shape-" + w.name, "select * from " + w.table + " where token = ?", {w.table}},
             "select * from " + w.table + " where token = 'sk_live_SECRET123'"});
      }
      const double mean = w.mean(t);
      Sample s;
      s.key = key;
      s.bucket_start = at(t);
      s.interval = seconds(kInterval);
      s.measures.calls = w.calls;
      s.measures.total_time = w.calls * mean;
      s.measures.sum_sq = w.calls * mean * mean * (1 + 0.3 * 0.3);
      cycle.samples.push_back(s);
    }
    first_cycle = false;
    store.write_cycle(cycle);
  }
}

class FindingAlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    routing_.sinks = {{"oncall", AlertSeverity::kError}, {"chat", AlertSeverity::kWarning}};
    routing_.report_url = "https://reports.example/latest.html";
    options_.recent.post_window = std::chrono::minutes(15);
    options_.recent.baseline = std::chrono::hours(2);
    options_.lifecycle.resolve_after = 2;
    options_.on_changes = finding_alerts_hook(routing_);
    // orders: 12 shapes on two tables slowed 5x by the release, 2 untouched.
    for (int i = 0; i < 14; ++i) {
      const bool slowed = i < 12;
      orders_.push_back({"q" + std::to_string(i), i % 2 == 0 ? "orders" : "order_items", 200,
                         [this, slowed](int64_t t) {
                           return slowed && t >= kRelease && t < healed_at_ ? 0.050 : 0.010;
                         }});
    }
    // billing: one shape slowed 3x at the same time, with no release of its own.
    billing_.push_back({"b0", "invoices", 200, [this](int64_t t) {
                          return t >= kRelease && t < healed_at_ ? 0.030 : 0.010;
                        }});
    write_history(store_, "orders", kRelease - 7200, kRelease + 900, orders_, true);
    write_history(store_, "billing", kRelease - 7200, kRelease + 900, billing_, true);
    store_.add_release({"v2.4.1", at(kRelease), {"orders"}, {}});
  }

  void pass(int64_t now) {
    run_detection_pass(store_, "orders", at(now), options_);
    run_detection_pass(store_, "billing", at(now), options_);
  }

  std::vector<AlertDelivery> queued(const std::string& sink) {
    std::vector<AlertDelivery> out = store_.deliveries({sink, {}, {}, 1000});
    std::reverse(out.begin(), out.end());  // oldest first
    return out;
  }

  AlertRouting routing_;
  ContinuousDetectionOptions options_;
  std::vector<Workload> orders_, billing_;
  int64_t healed_at_ = kRelease + 100'000;
  testing::TempDir dir_;
  Store store_ = Store::open(StoreLocation::parse("sqlite:" + dir_.file("store.db")));
};

TEST_F(FindingAlertsTest, OneReleaseIsOnePageAndAnUnrelatedRegressionAnother) {
  pass(kRelease + 900);
  const std::vector<AlertDelivery> chat = queued("chat");
  ASSERT_EQ(chat.size(), 2u);
  std::map<std::string, nlohmann::json> by_target;
  for (const AlertDelivery& d : chat) {
    EXPECT_EQ(d.alert.action, "trigger");
    by_target[d.alert.target] = nlohmann::json::parse(d.alert.document);
  }
  const nlohmann::json& orders = by_target.at("orders");
  EXPECT_EQ(orders["details"]["members"].size(), 12u);
  EXPECT_EQ(orders["details"]["shared_tables"],
            (std::vector<std::string>{"order_items", "orders"}));
  EXPECT_EQ(orders["release"], "v2.4.1");
  EXPECT_EQ(
      orders["summary"].get<std::string>().rfind("orders: 12 queries regressed since v2.4.1", 0),
      0u)
      << orders["summary"];
  EXPECT_EQ(orders["links"][0]["href"], "https://reports.example/latest.html");
  const nlohmann::json& billing = by_target.at("billing");
  EXPECT_EQ(billing["details"]["members"].size(), 1u);
  EXPECT_TRUE(billing["release"].is_null());
  EXPECT_NE(billing["dedup_key"], orders["dedup_key"]);

  // Severity decides the sinks: 12 shapes 5x slower at 200 calls a minute cost far more
  // than ten minutes an hour; billing's one shape about 4 minutes an hour (warning only).
  const std::vector<AlertDelivery> oncall = queued("oncall");
  ASSERT_EQ(oncall.size(), 1u);
  EXPECT_EQ(oncall[0].alert.target, "orders");
  EXPECT_EQ(oncall[0].alert.severity, "critical");
  EXPECT_EQ(billing["severity"], "warning");

  // The next pass finds the same: nothing new is paged.
  write_history(store_, "orders", kRelease + 900, kRelease + 960, orders_, false);
  write_history(store_, "billing", kRelease + 900, kRelease + 960, billing_, false);
  pass(kRelease + 960);
  EXPECT_EQ(queued("chat").size(), 2u);

  // No event carries the literal of a statement's example.
  for (const AlertDelivery& d : store_.deliveries({})) {
    EXPECT_EQ(d.alert.document.find("SECRET123"), std::string::npos);
  }
}

TEST_F(FindingAlertsTest, ResolvesWhenTheLastMemberResolvesAndSurvivesARestart) {
  pass(kRelease + 900);
  ASSERT_EQ(queued("chat").size(), 2u);
  const std::string orders_key = queued("oncall").at(0).alert.dedup_key;

  // A restart: a new hook over the same store remembers what was paged.
  options_.on_changes = finding_alerts_hook(routing_);
  healed_at_ = kRelease + 900;
  int64_t t = kRelease + 900;
  for (int i = 0; i < 20 && queued("oncall").size() < 2; ++i) {
    write_history(store_, "orders", t, t + 900, orders_, false);
    write_history(store_, "billing", t, t + 900, billing_, false);
    t += 900;
    pass(t);
  }
  const std::vector<AlertDelivery> oncall = queued("oncall");
  ASSERT_EQ(oncall.size(), 2u);
  EXPECT_EQ(oncall[1].alert.action, "resolve");
  EXPECT_EQ(oncall[1].alert.dedup_key, orders_key);
  const std::vector<AlertDelivery> chat = queued("chat");
  ASSERT_EQ(chat.size(), 4u);  // both triggers, both resolves
  EXPECT_EQ(chat[2].alert.action, "resolve");
  EXPECT_EQ(chat[3].alert.action, "resolve");
  EXPECT_EQ(store_.checkpoint("orders", kIncidentsCheckpoint), R"({"incidents":[]})");
}

TEST_F(FindingAlertsTest, AGrowingIncidentIsTriggeredAgainUnderItsKey) {
  // Only billing's warning-sized regression at first: chat alone is paged.
  routing_.sinks = {{"oncall", AlertSeverity::kCritical}, {"chat", AlertSeverity::kWarning}};
  options_.on_changes = finding_alerts_hook(routing_);
  run_detection_pass(store_, "billing", at(kRelease + 900), options_);
  ASSERT_EQ(queued("chat").size(), 1u);
  EXPECT_TRUE(queued("oncall").empty());
  // It gets 40x slower at 2,000 calls a minute: critical, so oncall hears of it now, and
  // chat is told again under the same key.
  billing_[0].calls = 2000;
  billing_[0].mean = [](int64_t) { return 0.400; };
  write_history(store_, "billing", kRelease + 900, kRelease + 1800, billing_, false);
  run_detection_pass(store_, "billing", at(kRelease + 1800), options_);
  const std::vector<AlertDelivery> chat = queued("chat");
  ASSERT_EQ(chat.size(), 2u);
  EXPECT_EQ(chat[1].alert.dedup_key, chat[0].alert.dedup_key);
  EXPECT_EQ(chat[1].alert.severity, "critical");
  const std::vector<AlertDelivery> oncall = queued("oncall");
  ASSERT_EQ(oncall.size(), 1u);
  EXPECT_EQ(oncall[0].alert.dedup_key, chat[0].alert.dedup_key);
}

}  // namespace
}  // namespace slowscope
