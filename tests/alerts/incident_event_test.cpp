// Incident events: a lone finding's incident reads as the finding; several read as one
// regression with its release, shared tables, total cost and worst member; the severity
// counts the members' time together, each query's once; the key is the incident's, whoever
// its members are.
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

TEST(IncidentEvent, AQueryWithSeveralFindingsCountsOnce) {
  // One query, slower and reading more rows per call: its time is added once.
  Finding rows = slower("a", 494, 3);
  rows.key.kind = FindingKind::kRowsPerCall;
  const IncidentSnapshot one_query{
      "orders/a/latency", "orders", {slower("a", 494, 3), rows}, {"orders"}, "v2.4.1"};
  EXPECT_EQ(incident_summary(one_query), finding_summary(one_query.members[0]));
  EXPECT_EQ(incident_severity(one_query, AlertThresholds{}), AlertSeverity::kWarning);  // < 10 min/h
  // With another query beside it: two queries, each counted once.
  IncidentSnapshot two = one_query;
  two.members.push_back(slower("b", 200, 2));
  EXPECT_EQ(incident_summary(two).substr(0, 80),
            "orders: 2 queries regressed since v2.4.1 (table orders), +11.6 min/h of database");
  EXPECT_EQ(incident_severity(two, AlertThresholds{}), AlertSeverity::kError);
}

}  // namespace
}  // namespace slowscope
