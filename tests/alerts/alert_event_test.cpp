// Alert events of findings: severity from the thresholds, a summary an on-call engineer
// reads at 05:00, dedup keys that are short and stable, and the slowscope.alert/1 document
// without a literal value.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "reports/alerts/alert_event.h"

namespace slowscope {
namespace {

Finding latency_finding() {
  Finding f;
  f.key = {"orders", "9a3f0c1e22b4d5e6", FindingKind::kLatency};
  f.fingerprint =
      "select id, status, total from orders where customer_id = ? order by created_at desc limit ?";
  f.before_mean = 0.0012;
  f.after_mean = 0.0170;
  f.before_calls = 2400;
  f.after_calls = 2500;
  f.ratio = 14.2;
  f.added_seconds_per_hour = 38 * 60;
  f.release = "v2.4.1";
  return f;
}

TEST(AlertEvent, SeverityIsTheHighestBarBothMeasuresReach) {
  const AlertThresholds t;  // warning +1 min/h 1.5x, error +10 min/h 2x, critical +30 min/h 4x
  Finding f = latency_finding();
  EXPECT_EQ(finding_severity(f, t), AlertSeverity::kCritical);
  f.added_seconds_per_hour = 20 * 60;  // big ratio, less time: error
  EXPECT_EQ(finding_severity(f, t), AlertSeverity::kError);
  f.added_seconds_per_hour = 5 * 3600;
  f.ratio = 1.8;  // much time, small ratio: warning
  EXPECT_EQ(finding_severity(f, t), AlertSeverity::kWarning);
  f.ratio = 1.2;
  EXPECT_EQ(finding_severity(f, t), AlertSeverity::kInfo);
  f.ratio = 10;
  f.added_seconds_per_hour = 30;  // a rare query 10x slower: not worth a page
  EXPECT_EQ(finding_severity(f, t), AlertSeverity::kInfo);
  // New shapes are judged by the time they take; vanished ones as the detector said.
  Finding fresh = latency_finding();
  fresh.key.kind = FindingKind::kNewShape;
  fresh.ratio = 0;
  fresh.added_seconds_per_hour = 15 * 60;
  EXPECT_EQ(finding_severity(fresh, t), AlertSeverity::kError);
  Finding gone = latency_finding();
  gone.key.kind = FindingKind::kVanished;
  gone.added_seconds_per_hour = 0;
  EXPECT_EQ(finding_severity(gone, t), AlertSeverity::kWarning);
  gone.severity = Severity::kCritical;
  EXPECT_EQ(finding_severity(gone, t), AlertSeverity::kError);
  for (const AlertSeverity s : {AlertSeverity::kInfo, AlertSeverity::kWarning,
                                AlertSeverity::kError, AlertSeverity::kCritical}) {
    EXPECT_EQ(alert_severity_from_string(to_string(s)), s);
  }
  EXPECT_EQ(alert_severity_from_string("fatal"), std::nullopt);
}

TEST(AlertEvent, SummaryNamesTargetShapeSizeReleaseAndCost) {
  EXPECT_EQ(finding_summary(latency_finding()),
            "orders: `select id, status, total from orders where customer_id = ? order by "
            "created_at desc limit ?` 14.2x slower since v2.4.1, +38.0 min/h of database time");
  Finding surge = latency_finding();
  surge.key.kind = FindingKind::kCallSurge;
  surge.ratio = 3.04;
  surge.release.clear();
  surge.added_seconds_per_hour = 90;
  EXPECT_EQ(finding_summary(surge).substr(surge.fingerprint.size() + 11),
            "3.0x more calls, +1.50 min/h of database time");
  Finding gone = latency_finding();
  gone.key.kind = FindingKind::kVanished;
  EXPECT_TRUE(finding_summary(gone).ends_with("` stopped running since v2.4.1"));
  // A long fingerprint is cut to 120 characters (whitespace runs first made one space), a
  // long release name makes the summary no longer than 1,024 bytes, cut between characters.
  Finding long_one = latency_finding();
  long_one.fingerprint = "select\n\n  " + std::string(500, 'x');
  const std::string summary = finding_summary(long_one);
  EXPECT_NE(summary.find("`select " + std::string(113, 'x') + "\u2026`"), std::string::npos)
      << summary;
  std::string release;
  for (int i = 0; i < 1000; ++i) release += "\u00e9";  // two bytes each
  for (const char* prefix : {"", "r"}) {               // one of the two cuts lands inside one
    long_one.release = std::string(prefix) + release;
    const std::string cut = finding_summary(long_one);
    EXPECT_LE(cut.size(), kMaxAlertSummaryBytes);
    EXPECT_GE(cut.size(), kMaxAlertSummaryBytes - 1);
    EXPECT_EQ(std::count(cut.begin(), cut.end(), '\xC3'),
              std::count(cut.begin(), cut.end(), '\xA9'))
        << "cut inside a character";
  }
}

TEST(AlertEvent, DedupKeysAreShortStableAndDistinct) {
  const std::string key = alert_dedup_key("orders", "9a3f0c1e22b4d5e6", "latency");
  EXPECT_EQ(key.size(), 40u);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(key, alert_dedup_key("orders", "9a3f0c1e22b4d5e6", "latency"));
  // Pinned (SHA-256 of "slowscope-alert-key/1\n6:orders\n16:9a3f0c1e22b4d5e6\n7:latency"): a
  // key that changed between versions would page everyone again.
  EXPECT_EQ(key, "469d2308168a229742ddade3bfb91ca236d90095");
  std::set<std::string> keys = {key};
  keys.insert(alert_dedup_key("orders", "9a3f0c1e22b4d5e6", "call_surge"));
  keys.insert(alert_dedup_key("orders2", "9a3f0c1e22b4d5e6", "latency"));
  keys.insert(alert_dedup_key("orders", "", "unreachable"));
  // The parts cannot run into one another.
  keys.insert(alert_dedup_key("a", "bc", "d"));
  keys.insert(alert_dedup_key("ab", "c", "d"));
  EXPECT_EQ(keys.size(), 6u);
}

TEST(AlertEvent, FindingEventAndItsDocument) {
  const AlertEvent e = finding_event(latency_finding(), AlertAction::kTrigger, 1796558400,
                                     AlertThresholds{}, "https://reports.example/latest.html");
  EXPECT_EQ(e.dedup_key, alert_dedup_key("orders", "9a3f0c1e22b4d5e6", "latency"));
  EXPECT_EQ(e.severity, AlertSeverity::kCritical);
  const nlohmann::ordered_json doc = alert_document(e);
  EXPECT_EQ(doc["schema"], kAlertSchemaId);
  EXPECT_EQ(doc["action"], "trigger");
  EXPECT_EQ(doc["severity"], "critical");
  EXPECT_EQ(doc["target"], "orders");
  EXPECT_EQ(doc["kind"], "latency");
  EXPECT_EQ(doc["query_id"], "9a3f0c1e22b4d5e6");
  EXPECT_EQ(doc["incident"], nullptr);
  EXPECT_EQ(doc["release"], "v2.4.1");
  EXPECT_EQ(doc["details"]["ratio"], 14.2);
  EXPECT_EQ(doc["links"][0]["href"], "https://reports.example/latest.html");
  EXPECT_EQ(doc["at"], "2026-12-06T12:00:00Z");
  // The resolve of the same episode has the same key.
  const AlertEvent resolve =
      finding_event(latency_finding(), AlertAction::kResolve, 1796562000, AlertThresholds{}, "");
  EXPECT_EQ(resolve.dedup_key, e.dedup_key);
  EXPECT_EQ(alert_document(resolve)["action"], "resolve");
  EXPECT_EQ(alert_document(resolve)["links"], nlohmann::ordered_json::array());
}

TEST(AlertEvent, ReadsBackFromItsDocument) {
  AlertEvent e = finding_event(latency_finding(), AlertAction::kTrigger, 1796558400,
                               AlertThresholds{}, "https://reports.example/latest.html");
  e.incident = "orders/9a3f0c1e22b4d5e6/latency";
  const std::optional<AlertEvent> back = alert_event_from_document(alert_document(e).dump());
  ASSERT_TRUE(back);
  EXPECT_EQ(alert_document(*back), alert_document(e));
  EXPECT_FALSE(alert_event_from_document("not json"));
  EXPECT_FALSE(alert_event_from_document(R"({"schema":"slowscope.alert/2"})"));
  nlohmann::ordered_json bad = alert_document(e);
  bad["severity"] = "apocalyptic";
  EXPECT_FALSE(alert_event_from_document(bad.dump()));
  bad = alert_document(e);
  bad.erase("at");
  EXPECT_FALSE(alert_event_from_document(bad.dump()));
}

}  // namespace
}  // namespace slowscope
