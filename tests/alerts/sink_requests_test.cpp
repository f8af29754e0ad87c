// The request each receiver gets for an event, field by field as its API documents it;
// secrets only where the API wants them; nothing from a statement but its fingerprint.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "reports/alerts/sinks/sink_requests.h"

namespace slowscope {
namespace {

using Json = nlohmann::json;

AlertEvent trigger_event() {
  Finding f;
  f.key = {"orders", "9a3f0c1e22b4d5e6", FindingKind::kLatency};
  f.fingerprint = "select * from orders where customer_id = ? and note = ?";
  f.ratio = 14.2;
  f.before_mean = 0.001;
  f.after_mean = 0.0142;
  f.added_seconds_per_hour = 38 * 60;
  f.release = "v2.4.1 <b>&";
  AlertEvent e = finding_event(f, AlertAction::kTrigger, 1796558400, AlertThresholds{},
                               "https://reports.example/latest.html");
  e.incident = "orders/9a3f0c1e22b4d5e6/latency";
  return e;
}

AlertEvent resolve_event() {
  AlertEvent e = trigger_event();
  e.action = AlertAction::kResolve;
  e.at = 1796562000;
  return e;
}

std::string header(const HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(SinkRequests, PagerDutyEventsV2) {
  const HttpRequest r = pagerduty_request(
      trigger_event(), "https://events.pagerduty.com/v2/enqueue", "R0UT1NGKEY", "db-watch-1");
  EXPECT_EQ(r.url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_TRUE(r.headers.empty());
  const Json body = Json::parse(r.body);
  EXPECT_EQ(body["routing_key"], "R0UT1NGKEY");
  EXPECT_EQ(body["event_action"], "trigger");
  EXPECT_EQ(body["dedup_key"], trigger_event().dedup_key);
  EXPECT_EQ(body["payload"]["summary"], trigger_event().summary);
  EXPECT_EQ(body["payload"]["source"], "db-watch-1");
  EXPECT_EQ(body["payload"]["severity"], "critical");
  EXPECT_EQ(body["payload"]["timestamp"], "2026-12-06T12:00:00Z");
  EXPECT_EQ(body["payload"]["component"], "orders");
  EXPECT_EQ(body["payload"]["group"], "orders/9a3f0c1e22b4d5e6/latency");
  EXPECT_EQ(body["payload"]["class"], "latency");
  EXPECT_EQ(body["payload"]["custom_details"]["schema"], "slowscope.alert/1");
  EXPECT_EQ(body["links"][0]["href"], "https://reports.example/latest.html");
  // A resolve needs the key and the action only.
  const Json resolve = Json::parse(pagerduty_request(resolve_event(), "u", "K", "s").body);
  EXPECT_EQ(resolve, (Json{{"routing_key", "K"},
                           {"event_action", "resolve"},
                           {"dedup_key", trigger_event().dedup_key}}));
}

TEST(SinkRequests, OpsgenieCreatesByAliasAndClosesByAlias) {
  const HttpRequest create =
      opsgenie_request(trigger_event(), "https://api.eu.opsgenie.com/", "G3N13");
  EXPECT_EQ(create.url, "https://api.eu.opsgenie.com/v2/alerts");
  EXPECT_EQ(header(create, "Authorization"), "GenieKey G3N13");
  const Json body = Json::parse(create.body);
  EXPECT_EQ(body["alias"], trigger_event().dedup_key);
  const auto characters = [](const std::string& text) {
    return std::count_if(text.begin(), text.end(),
                         [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  };
  EXPECT_EQ(body["message"], trigger_event().summary);  // 126 characters: as it is
  AlertEvent wordy = trigger_event();
  wordy.summary = std::string(200, 'x') + "\u00e9";
  const std::string message =
      Json::parse(opsgenie_request(wordy, "https://a", "k").body)["message"];
  EXPECT_EQ(characters(message), 130);  // at most 130 characters: 129 and "…"
  EXPECT_TRUE(message.ends_with("\u2026"));
  EXPECT_EQ(body["priority"], "P1");
  EXPECT_EQ(body["details"]["query_id"], "9a3f0c1e22b4d5e6");
  EXPECT_EQ(body["details"]["release"], "v2.4.1 <b>&");
  EXPECT_EQ(body["tags"], (Json{"slowscope", "latency", "orders"}));
  const HttpRequest close = opsgenie_request(resolve_event(), "https://api.opsgenie.com", "G3N13");
  EXPECT_EQ(close.url, "https://api.opsgenie.com/v2/alerts/" + trigger_event().dedup_key +
                           "/close?identifierType=alias");
  EXPECT_EQ(Json::parse(close.body)["source"], "slowscope");
}

TEST(SinkRequests, SplunkOnCallRest) {
  const std::string url =
      "https://alert.victorops.com/integrations/generic/20131114/alert/KEY/route";
  const Json trigger = Json::parse(splunk_oncall_request(trigger_event(), url).body);
  EXPECT_EQ(trigger["message_type"], "CRITICAL");
  EXPECT_EQ(trigger["entity_id"], trigger_event().dedup_key);
  EXPECT_EQ(trigger["entity_display_name"], trigger_event().summary);
  EXPECT_EQ(trigger["state_start_time"], 1796558400);
  EXPECT_EQ(trigger["monitoring_tool"], "slowscope");
  EXPECT_EQ(Json::parse(splunk_oncall_request(resolve_event(), url).body)["message_type"],
            "RECOVERY");
  AlertEvent warning = trigger_event();
  warning.severity = AlertSeverity::kWarning;
  EXPECT_EQ(Json::parse(splunk_oncall_request(warning, url).body)["message_type"], "WARNING");
}

TEST(SinkRequests, AlertmanagerAlertsAlwaysEnd) {
  const HttpRequest r = alertmanager_request({trigger_event(), resolve_event()},
                                             "http://127.0.0.1:9093/", 1796558460, 300);
  EXPECT_EQ(r.url, "http://127.0.0.1:9093/api/v2/alerts");
  const Json alerts = Json::parse(r.body);
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0]["labels"], (Json{{"alertname", "SlowscopeFinding"},
                                       {"target", "orders"},
                                       {"kind", "latency"},
                                       {"severity", "critical"},
                                       {"query_id", "9a3f0c1e22b4d5e6"},
                                       {"incident", "orders/9a3f0c1e22b4d5e6/latency"}}));
  EXPECT_EQ(alerts[0]["startsAt"], "2026-12-06T12:00:00Z");
  EXPECT_EQ(alerts[0]["endsAt"], "2026-12-06T12:06:00Z");  // firing for 5 more minutes
  EXPECT_EQ(alerts[0]["annotations"]["fingerprint"], trigger_event().fingerprint);
  EXPECT_EQ(alerts[0]["generatorURL"], "https://reports.example/latest.html");
  EXPECT_EQ(alerts[1]["endsAt"], "2026-12-06T12:01:00Z");  // resolved: ends now
  AlertEvent health = trigger_event();
  health.query_id.clear();
  health.fingerprint.clear();
  health.kind = "unreachable";
  EXPECT_EQ(
      Json::parse(alertmanager_request({health}, "http://a", 0, 60).body)[0]["labels"]["alertname"],
      "SlowscopeHealth");
}

TEST(SinkRequests, SlackEscapesWhatMrkdwnWouldRead) {
  const HttpRequest r = slack_request(trigger_event(), "https://hooks.slack.com/services/T/B/X");
  EXPECT_TRUE(r.headers.empty());
  const Json body = Json::parse(r.body);
  EXPECT_EQ(body["blocks"][0]["type"], "section");
  const std::string context = body["blocks"][1]["elements"][0]["text"];
  EXPECT_NE(context.find("after release *v2.4.1 &lt;b&gt;&amp;*"), std::string::npos) << context;
  EXPECT_NE(context.find("<https://reports.example/latest.html|slowscope report>"),
            std::string::npos);
  EXPECT_EQ(r.body.find("<b>"), std::string::npos);
  EXPECT_NE(Json::parse(slack_request(resolve_event(), "u").body)["blocks"][0]["text"]["text"]
                .get<std::string>()
                .find("*Resolved*"),
            std::string::npos);
}

TEST(SinkRequests, WebhookSignsTheExactBody) {
  const HttpRequest unsigned_request =
      webhook_request(trigger_event(), "https://hooks.example/x", "");
  EXPECT_TRUE(unsigned_request.headers.empty());
  EXPECT_EQ(Json::parse(unsigned_request.body)["schema"], "slowscope.alert/1");
  AlertEvent fixed = trigger_event();
  const HttpRequest r = webhook_request(fixed, "https://hooks.example/x", "s3cret");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "X-Slowscope-Signature");
  EXPECT_EQ(r.headers[0].second.size(), 7u + 64u);
  EXPECT_TRUE(r.headers[0].second.starts_with("sha256="));
  // Pinned: Python's hmac.new(b"s3cret", body, hashlib.sha256) over this body gives it.
  AlertEvent small;
  small.dedup_key = alert_dedup_key("orders", "abc", "latency");
  small.summary = "orders: `select ?` 2.0x slower";
  small.target = "orders";
  small.kind = "latency";
  small.query_id = "abc";
  small.fingerprint = "select ?";
  small.at = 1796558400;
  const HttpRequest pinned = webhook_request(small, "u", "s3cret");
  EXPECT_EQ(
      pinned.body,
      "{\"schema\":\"slowscope.alert/"
      "1\",\"dedup_key\":\"c37021b69c8cff3dda286dd9241184a2be620dfb\","
      "\"action\":\"trigger\",\"severity\":\"warning\",\"summary\":\"orders: `select ?` 2.0x "
      "slower\",\"target\":\"orders\",\"kind\":\"latency\",\"query_id\":\"abc\",\"fingerprint\":"
      "\"select ?\",\"incident\":null,\"release\":null,\"details\":{},\"links\":[],\"at\":"
      "\"2026-12-06T12:00:00Z\"}");
  EXPECT_EQ(pinned.headers[0].second,
            "sha256=9c572a3ee809205d7e33dcc092489207bf61228e145aa7ffb64ce5a7f146174d");
  // Another secret, another signature; the same, the same.
  EXPECT_NE(webhook_request(fixed, "u", "other").headers[0].second, r.headers[0].second);
  EXPECT_EQ(webhook_request(fixed, "u", "s3cret").headers[0].second, r.headers[0].second);
}

}  // namespace
}  // namespace slowscope
