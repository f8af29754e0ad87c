// Incident events: a lone finding's incident reads as the finding; several read as one
// regression with its release, shared tables, total cost and worst member; the severity
// counts the members' time together; the key is the incident's, whoever its members are.
#include "reports/alerts/incident_event.h"

#include <gtest/gtest.h>

namespace slowscope {
namespace {

Finding slower(const std::string& hash, double added_per_hour, double ratio) {
  Finding f;
  f.key = {"orders", hash, FindingKind::kLatency};
  f.fingerprint = "select * from orders where id = ?";
  f.ratio = ratio;
  f.added_seconds_per_hour = added_per_hour;
  f.release = "v2.4.1";
  return f;
}

TEST(IncidentEvent, ALoneMemberReadsAsItsFinding) {
  const IncidentSnapshot one{"orders/a/latency", "orders", {slower("a", 900, 3)}, {}, "v2.4.1"};
  EXPECT_EQ(incident_summary(one), finding_summary(one.members[0]));
  const AlertEvent e =
      incident_event(one, AlertAction::kTrigger, AlertSeverity::kError, 1796558400, {}, "");
  EXPECT_EQ(e.dedup_key, incident_dedup_key("orders", "orders/a/latency"));
  EXPECT_EQ(e.incident, "orders/a/latency");
  EXPECT_EQ(e.query_id, "a");
  EXPECT_EQ(e.details["members"].size(), 1u);
}

TEST(IncidentEvent, SeveralMembersReadAsOneRegression) {
  IncidentSnapshot many{"orders/a/latency", "orders", {}, {"order_items", "orders"}, "v2.4.1"};
  for (int i = 0; i < 12; ++i) {
    many.members.push_back(slower(std::string(1, static_cast<char>('a' + i)), 300, 5));
  }
  many.members[7].added_seconds_per_hour = 420;
  many.members[7].ratio = 14.2;
  EXPECT_EQ(incident_summary(many),
            "orders: 12 queries regressed since v2.4.1 (tables order_items, orders), +1.03 h/h "
            "of database time; worst: `select * from orders where id = ?` 14.2x slower since "
            "v2.4.1, +7.00 min/h of database time");
  // Each member alone is a warning (under 10 min/h); together they cost an hour an hour.
  EXPECT_EQ(incident_severity(many, AlertThresholds{}), AlertSeverity::kCritical);
  const AlertEvent e =
      incident_event(many, AlertAction::kTrigger, AlertSeverity::kCritical, 1796558400, {}, "");
  EXPECT_EQ(e.query_id, "h");  // the worst member
  EXPECT_EQ(e.details["members"].size(), 12u);
  EXPECT_EQ(e.details["members"][7]["severity"], "warning");
  EXPECT_EQ(e.details["shared_tables"], (std::vector<std::string>{"order_items", "orders"}));
  EXPECT_EQ(e.details["worst"]["ratio"], 14.2);
  // Members come and go; the key is the incident's.
  many.members.pop_back();
  EXPECT_EQ(
      incident_event(many, AlertAction::kTrigger, AlertSeverity::kCritical, 0, {}, "").dedup_key,
      e.dedup_key);
}

}  // namespace
}  // namespace slowscope
