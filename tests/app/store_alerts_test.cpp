// The store's own alert (app/store_alerts.h): when a failure counts as one to raise, and its
// delivery from memory — the trigger once, retried when the receiver fails, kept firing
// where alerts lapse, and the resolve once the store works — to a loopback receiver. Then
// the sender end to end: a store it cannot open is raised on the sink and resolved once
// the store can be opened.
#include "app/store_alerts.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/alert_sender.h"
#include "reports/alerts/sinks/sink_requests.h"
#include "tests/digest/digest_cli.h"
#include "tests/support/http_receiver.h"

namespace slowscope {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kStart = 1'700'006'400;

StoreTime at(int64_t s) {
  return StoreTime(std::chrono::seconds(s));
}

TEST(StoreHealthTest, AFailureIsRaisedOnceItLastedAndEndsWhenEveryUserWorks) {
  StoreHealth health("sqlite:/var/lib/slowscope/store.db", 180s);
  health.failed("orders", "database or disk is full", at(kStart));
  EXPECT_FALSE(health.trigger(at(kStart + 179)));
  health.failed("sink oncall", "database is locked", at(kStart + 100));
  const std::optional<AlertEvent> due = health.trigger(at(kStart + 180));
  ASSERT_TRUE(due);
  EXPECT_EQ(due->kind, "health/store_errors");
  EXPECT_EQ(due->severity, AlertSeverity::kCritical);
  EXPECT_EQ(due->target, "sqlite:/var/lib/slowscope/store.db");
  EXPECT_EQ(due->summary,
            "store sqlite:/var/lib/slowscope/store.db: failing since 2023-11-15T00:00:00Z "
            "(orders): database or disk is full");
  // A later failure of the same user keeps its start.
  health.failed("orders", "database or disk is full", at(kStart + 200));
  EXPECT_EQ(health.trigger(at(kStart + 200))->dedup_key, due->dedup_key);
  // The oldest failure over, the next one has not lasted long enough yet.
  health.worked("orders");
  EXPECT_FALSE(health.trigger(at(kStart + 270)));
  EXPECT_TRUE(health.trigger(at(kStart + 280)));
  health.worked("sink oncall");
  EXPECT_FALSE(health.trigger(at(kStart + 1000)));
}

TEST(StoreHealthTest, AStoreThatCannotBeUsedIsRaisedAtOnce) {
  StoreHealth health("postgresql://slowscope@db/slowscope", 180s);
  health.failed("orders", "the store's schema is version 9, newer than this slowscope knows (7)",
                at(kStart), /*for_good=*/true);
  const std::optional<AlertEvent> due = health.trigger(at(kStart));
  ASSERT_TRUE(due);
  EXPECT_EQ(due->summary,
            "store postgresql://slowscope@db/slowscope: cannot be used, collect stopped: the "
            "store's schema is version 9, newer than this slowscope knows (7)");
}

class StoreAlertDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override { routing_.sinks = {{"hook", AlertSeverity::kError}}; }

  std::unique_ptr<AlertSink> webhook() {
    const std::string url = receiver_.url() + "/hook";
    return http_sink("hook",
                     [url](const AlertEvent& e, int64_t) { return webhook_request(e, url, ""); });
  }

  // "trigger health/store_errors" for each request received, in order.
  std::vector<std::string> received() {
    std::vector<std::string> out;
    for (const testing::ReceivedRequest& r : receiver_.requests()) {
      const nlohmann::json doc = nlohmann::json::parse(r.body);
      out.push_back(doc["action"].get<std::string>() + " " + doc["kind"].get<std::string>());
    }
    return out;
  }

  AlertRouting routing_;
  testing::HttpReceiver receiver_;
  RetryPolicy policy_{std::chrono::seconds(10), std::chrono::seconds(60),
                      std::chrono::seconds(3600)};
};

TEST_F(StoreAlertDeliveryTest, TriggerOnceRetriedThenResolveOnce) {
  StoreHealth health("sqlite:store.db", 60s);
  StoreAlertDelivery delivery;
  auto sink = webhook();
  health.failed("orders", "disk I/O error", at(kStart));
  delivery.step(*sink, health, routing_, policy_, 60s, at(kStart + 30));  // not lasted yet
  EXPECT_TRUE(received().empty());
  receiver_.queue_answer(testing::ScriptedAnswer::reply(503, "busy"));
  delivery.step(*sink, health, routing_, policy_, 60s, at(kStart + 60));  // 503: retried later
  delivery.step(*sink, health, routing_, policy_, 60s, at(kStart + 61));  // too soon
  EXPECT_EQ(received().size(), 1u);
  delivery.step(*sink, health, routing_, policy_, 60s, at(kStart + 120));  // delivered
  delivery.step(*sink, health, routing_, policy_, 60s, at(kStart + 121));  // told already
  EXPECT_EQ(received(), (std::vector<std::string>{"trigger health/store_errors",
                                                  "trigger health/store_errors"}));
  health.worked("orders");
  delivery.step(*sink, health, routing_, policy_, 60s, at(kStart + 130));
  delivery.step(*sink, health, routing_, policy_, 60s, at(kStart + 131));
  EXPECT_EQ(received(),
            (std::vector<std::string>{"trigger health/store_errors", "trigger health/store_errors",
                                      "resolve health/store_errors"}));
  const nlohmann::json trigger = nlohmann::json::parse(receiver_.requests()[1].body);
  const nlohmann::json resolve = nlohmann::json::parse(receiver_.requests()[2].body);
  EXPECT_EQ(trigger["dedup_key"], resolve["dedup_key"]);
  EXPECT_EQ(trigger["target"], "sqlite:store.db");
}

TEST_F(StoreAlertDeliveryTest, ASinkBelowTheSeverityIsNotTold) {
  routing_.sinks = {{"hook", AlertSeverity::kCritical}, {"other", AlertSeverity::kInfo}};
  StoreHealth health("sqlite:store.db", 60s);
  StoreAlertDelivery delivery;
  auto sink = webhook();
  health.failed("orders", "disk I/O error", at(kStart));
  delivery.step(*sink, health, routing_, policy_, 60s, at(kStart + 60));
  EXPECT_EQ(received().size(), 1u);  // critical reaches a sink that takes critical
  routing_.sinks = {{"other", AlertSeverity::kInfo}};
  StoreAlertDelivery elsewhere;
  elsewhere.step(*sink, health, routing_, policy_, 60s, at(kStart + 60));
  EXPECT_EQ(received().size(), 1u);  // "hook" is not routed to at all
}

TEST_F(StoreAlertDeliveryTest, TheSenderRaisesAStoreItCannotOpenAndResolvesItWhenItCan) {
  testing::TempDir dir;
  // The store's folder does not exist yet: every round of the sender fails to open it.
  const std::string folder = dir.file("later");
  StoreHealth health("sqlite:" + folder + "/store.db", 1s);
  SenderOptions options;
  options.poll = 100ms;
  options.routing = &routing_;
  options.store_health = &health;
  std::vector<std::unique_ptr<AlertSink>> sinks;
  sinks.push_back(webhook());
  AlertSender sender(StoreLocation::parse("sqlite:" + folder + "/store.db"), std::move(sinks),
                     options);
  ASSERT_TRUE(receiver_.wait_for_requests(1, 30s)) << "the store's failure was not raised";
  EXPECT_EQ(received(), std::vector<std::string>{"trigger health/store_errors"});
  std::filesystem::create_directories(folder);
  ASSERT_TRUE(receiver_.wait_for_requests(2, 30s)) << "not resolved once the store could open";
  sender.finish();
  EXPECT_EQ(received(), (std::vector<std::string>{"trigger health/store_errors",
                                                  "resolve health/store_errors"}));
}

}  // namespace
}  // namespace slowscope
