// The sender over a real SQLite outbox and a real loopback HTTP receiver: each receiver gets
// exactly the documented request; 500s and dropped connections are retried, a 429's
// Retry-After honoured, a hang costs its timeout, a refused connection is retried, a 400 is
// failed at once with the receiver's message; per dedup key events go out in order; what
// was acknowledged is never sent again; and no literal of a query reaches any body.
#include "app/alert_sender.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "app/alert_routing.h"
#include "reports/alerts/sinks/sink_requests.h"
#include "tests/digest/digest_cli.h"
#include "tests/support/http_receiver.h"

namespace slowscope {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::HttpReceiver;
using testing::ScriptedAnswer;

AlertEvent event(const std::string& scope, AlertAction action) {
  AlertEvent e;
  e.dedup_key = alert_dedup_key("orders", scope, "incident");
  e.action = action;
  e.severity = AlertSeverity::kCritical;
  e.summary = "orders: `select * from users where token = ?` 14.2x slower since v2.4.1";
  e.target = "orders";
  e.kind = "latency";
  e.query_id = "9a3f0c1e22b4d5e6";
  e.fingerprint = "select * from users where token = ?";
  e.incident = "orders/" + scope + "/latency";
  e.release = "v2.4.1";
  e.details = {{"ratio", 14.2}};
  e.at = 1'796'558'400;
  return e;
}

class AlertSenderTest : public ::testing::Test {
 protected:
  void SetUp() override { store_.ensure_target("orders", Engine::kPostgres); }

  void queue(const AlertEvent& e, const std::string& sink = "hook") {
    store_.queue_alerts("orders", {outbox_alert(e, {sink})}, {}, now());
  }

  static StoreTime now() {
    return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
  }

  std::unique_ptr<AlertSink> webhook(const std::string& name = "hook",
                                     milliseconds timeout = milliseconds(2000)) {
    HttpPostOptions options;
    options.timeout = timeout;
    return http_sink(
        name,
        [url = receiver_.url() + "/hook"](const AlertEvent& e, int64_t) {
          return webhook_request(e, url, "s3cret");
        },
        options);
  }

  AlertDelivery only_delivery() {
    const std::vector<AlertDelivery> all = store_.deliveries({});
    EXPECT_EQ(all.size(), 1u);
    return all.empty() ? AlertDelivery{} : all[0];
  }

  HttpReceiver receiver_;
  testing::TempDir dir_;
  Store store_ = Store::open(StoreLocation::parse("sqlite:" + dir_.file("store.db")));
  // Retries due at once, so that a test needs no clock.
  SenderOptions options_{.retry = {seconds(0), seconds(0), seconds(3600)}};
};

TEST_F(AlertSenderTest, EachReceiverGetsItsDocumentedRequest) {
  const AlertEvent trigger = event("a", AlertAction::kTrigger);
  const std::string base = receiver_.url();
  std::vector<std::unique_ptr<AlertSink>> sinks;
  sinks.push_back(http_sink("pd", [base](const AlertEvent& e, int64_t) {
    return pagerduty_request(e, base + "/v2/enqueue", "R0UTINGKEY", "db-host");
  }));
  sinks.push_back(http_sink("og", [base](const AlertEvent& e, int64_t) {
    return opsgenie_request(e, base, "GENIEKEY");
  }));
  sinks.push_back(http_sink("vo", [base](const AlertEvent& e, int64_t) {
    return splunk_oncall_request(e, base + "/integrations/generic/20131114/alert/KEY/orders");
  }));
  sinks.push_back(http_sink("slack", [base](const AlertEvent& e, int64_t) {
    return slack_request(e, base + "/services/T0/B0/XYZ");
  }));
  receiver_.queue_answer("/v2/alerts", ScriptedAnswer::json(202, R"({"requestId":"r1"})"));
  for (auto& sink : sinks) {
    queue(trigger, sink->name());
    EXPECT_EQ(send_all_due(store_, *sink, options_).delivered, 1) << sink->name();
  }
  const std::vector<testing::ReceivedRequest> got = receiver_.requests();
  ASSERT_EQ(got.size(), 4u);
  // Each body is exactly what the sink's request builder makes of the event.
  EXPECT_EQ(got[0].path, "/v2/enqueue");
  EXPECT_EQ(got[0].body, pagerduty_request(trigger, "", "R0UTINGKEY", "db-host").body);
  const nlohmann::json pd = nlohmann::json::parse(got[0].body);
  EXPECT_EQ(pd["routing_key"], "R0UTINGKEY");
  EXPECT_EQ(pd["event_action"], "trigger");
  EXPECT_EQ(pd["dedup_key"], trigger.dedup_key);
  EXPECT_EQ(pd["payload"]["severity"], "critical");
  EXPECT_EQ(got[1].path, "/v2/alerts");
  EXPECT_EQ(got[1].header("Authorization"), "GenieKey GENIEKEY");
  EXPECT_EQ(nlohmann::json::parse(got[1].body)["alias"], trigger.dedup_key);
  EXPECT_EQ(nlohmann::json::parse(got[2].body)["entity_id"], trigger.dedup_key);
  EXPECT_EQ(nlohmann::json::parse(got[2].body)["message_type"], "CRITICAL");
  EXPECT_EQ(got[3].body, slack_request(trigger, "").body);
  for (const AlertDelivery& d : store_.deliveries({})) {
    EXPECT_EQ(d.state, DeliveryState::kDelivered) << d.sink;
  }
}

TEST_F(AlertSenderTest, RetriesServerErrorsAndDroppedConnectionsThenDelivers) {
  queue(event("a", AlertAction::kTrigger));
  receiver_.queue_answer(ScriptedAnswer::reply(500, "internal error"));
  receiver_.queue_answer(ScriptedAnswer::close_connection());
  auto sink = webhook();
  SendCounts first = send_due(store_, *sink, options_);
  EXPECT_EQ(first.retrying, 1);
  AlertDelivery d = only_delivery();
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.last_error, "HTTP 500: internal error");
  EXPECT_EQ(send_due(store_, *sink, options_).retrying, 1);
  EXPECT_EQ(send_due(store_, *sink, options_).delivered, 1);
  d = only_delivery();
  EXPECT_EQ(d.state, DeliveryState::kDelivered);
  EXPECT_EQ(d.attempts, 3);
  // Acknowledged: never sent again.
  EXPECT_EQ(send_all_due(store_, *sink, options_).delivered, 0);
  EXPECT_EQ(receiver_.requests().size(), 3u);
  // Each attempt carried the same signed body.
  const auto got = receiver_.requests();
  EXPECT_EQ(got[0].body, got[2].body);
  EXPECT_EQ(got[2].header("X-Slowscope-Signature"),
            webhook_request(event("a", AlertAction::kTrigger), "", "s3cret").headers[0].second);
}

TEST_F(AlertSenderTest, HonoursRetryAfter) {
  queue(event("a", AlertAction::kTrigger));
  receiver_.queue_answer(ScriptedAnswer::reply(429, "slow down", {{"Retry-After", "120"}}));
  auto sink = webhook();
  const StoreTime before = now();
  EXPECT_EQ(send_due(store_, *sink, options_).retrying, 1);
  const AlertDelivery d = only_delivery();
  EXPECT_GE(d.next_attempt_at, before + seconds(120));
  // Not due before then.
  EXPECT_EQ(
      send_due(store_, *sink, options_).delivered + send_due(store_, *sink, options_).retrying, 0);
  EXPECT_EQ(receiver_.requests().size(), 1u);
}

TEST_F(AlertSenderTest, AHangCostsItsTimeoutAndARefusedConnectionIsRetried) {
  queue(event("a", AlertAction::kTrigger));
  receiver_.queue_answer(ScriptedAnswer::hang(milliseconds(60'000)));
  auto sink = webhook("hook", milliseconds(300));
  EXPECT_EQ(send_due(store_, *sink, options_).retrying, 1);
  EXPECT_NE(only_delivery().last_error.find("timed out"), std::string::npos)
      << only_delivery().last_error;

  auto refused =
      http_sink("hook", [port = testing::unused_loopback_port()](const AlertEvent& e, int64_t) {
        return webhook_request(e, "http://127.0.0.1:" + std::to_string(port) + "/hook", "");
      });
  EXPECT_EQ(send_due(store_, *refused, options_).retrying, 1);
  EXPECT_EQ(only_delivery().state, DeliveryState::kPending);
  EXPECT_EQ(only_delivery().attempts, 2);
  EXPECT_EQ(send_due(store_, *sink, options_).delivered, 1);
}

TEST_F(AlertSenderTest, ARefusalIsFailedAtOnceWithTheReceiversMessage) {
  queue(event("a", AlertAction::kTrigger));
  receiver_.queue_answer(ScriptedAnswer::json(400, R"({"message":"Invalid routing key"})"));
  auto sink = webhook();
  EXPECT_EQ(send_due(store_, *sink, options_).failed, 1);
  const AlertDelivery d = only_delivery();
  EXPECT_EQ(d.state, DeliveryState::kFailed);
  EXPECT_EQ(d.last_error, R"(HTTP 400: {"message":"Invalid routing key"})");
  EXPECT_EQ(send_all_due(store_, *sink, options_).failed, 0);
  EXPECT_EQ(receiver_.requests().size(), 1u);
}

TEST_F(AlertSenderTest, AFailedDeliveryIsRaisedOnTheOtherSinksUntilTheSinkDeliversAgain) {
  AlertRouting routing;
  routing.sinks = {{"hook", AlertSeverity::kInfo}, {"log", AlertSeverity::kWarning}};
  options_.routing = &routing;
  queue(event("a", AlertAction::kTrigger));
  receiver_.queue_answer(ScriptedAnswer::reply(400, "unknown integration"));
  auto sink = webhook();
  EXPECT_EQ(send_due(store_, *sink, options_).failed, 1);
  std::vector<AlertDelivery> told = store_.deliveries({"log", {}, {}, 10});
  ASSERT_EQ(told.size(), 1u);
  const nlohmann::json raised = nlohmann::json::parse(told[0].alert.document);
  EXPECT_EQ(raised["kind"], "health/alert_delivery");
  EXPECT_EQ(raised["action"], "trigger");
  EXPECT_EQ(raised["summary"],
            "orders: alerts to sink hook are not delivered: HTTP 400: unknown integration");
  // A second failure is not raised again.
  queue(event("b", AlertAction::kTrigger));
  receiver_.queue_answer(ScriptedAnswer::reply(400, "unknown integration"));
  EXPECT_EQ(send_due(store_, *sink, options_).failed, 1);
  EXPECT_EQ(store_.deliveries({"log", {}, {}, 10}).size(), 1u);
  // The sink delivers again: the other sinks hear that it is resolved.
  queue(event("c", AlertAction::kTrigger));
  EXPECT_EQ(send_due(store_, *sink, options_).delivered, 1);
  told = store_.deliveries({"log", {}, {}, 10});
  ASSERT_EQ(told.size(), 2u);
  EXPECT_EQ(told[0].alert.action, "resolve");
  EXPECT_EQ(told[0].alert.dedup_key, told[1].alert.dedup_key);
}

TEST_F(AlertSenderTest, GivesUpAfterThePolicysTime) {
  queue(event("a", AlertAction::kTrigger));
  receiver_.set_default_answer(ScriptedAnswer::reply(503, "down"));
  auto sink = webhook();
  options_.retry.give_up_after = seconds(0);
  EXPECT_EQ(send_due(store_, *sink, options_).failed, 1);
  EXPECT_EQ(only_delivery().last_error, "gave up after 1 attempts: HTTP 503: down");
}

TEST_F(AlertSenderTest, EventsOfOneKeyGoOutInOrder) {
  queue(event("a", AlertAction::kTrigger));
  queue(event("b", AlertAction::kTrigger));
  queue(event("a", AlertAction::kResolve));
  receiver_.queue_answer(ScriptedAnswer::reply(502, "bad gateway"));  // a's trigger
  auto sink = webhook();
  const SendCounts first = send_due(store_, *sink, options_);
  EXPECT_EQ(first.retrying, 1);
  EXPECT_EQ(first.delivered, 1);  // b; a's resolve waits for a's trigger
  send_all_due(store_, *sink, options_);
  std::vector<std::string> arrived;
  for (const auto& r : receiver_.requests()) {
    const nlohmann::json doc = nlohmann::json::parse(r.body);
    arrived.push_back(doc["incident"].get<std::string>() + " " + doc["action"].get<std::string>());
  }
  EXPECT_EQ(arrived,
            (std::vector<std::string>{"orders/a/latency trigger", "orders/b/latency trigger",
                                      "orders/a/latency trigger", "orders/a/latency resolve"}));
}

TEST_F(AlertSenderTest, TheFileSinkAppendsOneDocumentPerLineOwnerOnly) {
  const std::string path = dir_.file("alerts.jsonl");
  auto sink = file_sink("log", path);
  queue(event("a", AlertAction::kTrigger), "log");
  queue(event("a", AlertAction::kResolve), "log");
  EXPECT_EQ(send_all_due(store_, *sink, options_).delivered, 2);
  std::ifstream in(path);
  std::string line;
  std::vector<std::string> actions;
  while (std::getline(in, line)) {
    actions.push_back(nlohmann::json::parse(line)["action"].get<std::string>());
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"trigger", "resolve"}));
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AlertSenderTest, TheBackgroundSenderDeliversWhenWoken) {
  std::vector<std::unique_ptr<AlertSink>> sinks;
  sinks.push_back(webhook());
  SenderOptions slow_poll = options_;
  slow_poll.poll = milliseconds(3'600'000);  // only a wake makes it look
  AlertSender sender(StoreLocation::parse("sqlite:" + dir_.file("store.db")), std::move(sinks),
                     slow_poll);
  queue(event("a", AlertAction::kTrigger));
  sender.wake();
  EXPECT_TRUE(receiver_.wait_for_requests(1, milliseconds(30'000)));
  sender.finish();
  EXPECT_EQ(only_delivery().state, DeliveryState::kDelivered);
}

}  // namespace
}  // namespace slowscope
