// Incident grouping: one bad release that regresses many shapes is one incident (one page);
// findings that share a table are one; unrelated regressions at the same time stay apart;
// keys stay while members come and go.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "reports/alerts/incidents.h"

namespace slowscope {
namespace {

IncidentFinding finding(const std::string& target, const std::string& shape,
                        std::vector<std::string> tables, const std::string& release = "") {
  return {target + "/" + shape + "/latency", target, std::move(tables), release};
}

std::map<std::string, std::string> keys_of(const std::vector<IncidentFinding>& findings,
                                           const std::vector<Incident>& incidents) {
  std::map<std::string, std::string> out;
  for (const Incident& incident : incidents) {
    for (const size_t i : incident.members) out[findings[i].id] = incident.key;
  }
  return out;
}

TEST(Incidents, ABadReleaseOnTwoTablesIsOneIncidentAnUnrelatedRegressionAnother) {
  std::vector<IncidentFinding> findings;
  // Twelve shapes after release v7 on orders, reading two tables between them.
  for (int i = 0; i < 12; ++i) {
    findings.push_back(finding("orders", "s" + std::to_string(i),
                               {i % 2 ? "public.orders" : "public.order_items"}, "v7"));
  }
  // At the same time on another target, and on this target a shape of its own table with no
  // release: neither belongs to the release's incident.
  findings.push_back(finding("billing", "b1", {"public.orders"}, "v7"));
  findings.push_back(finding("orders", "lonely", {"public.audit_log"}));
  const std::vector<Incident> incidents = group_incidents(findings, {});
  ASSERT_EQ(incidents.size(), 3u);
  EXPECT_EQ(incidents[0].members.size(), 12u);
  EXPECT_EQ(incidents[0].target, "orders");
  EXPECT_EQ(incidents[0].release, "v7");
  EXPECT_EQ(incidents[0].shared_tables,
            (std::vector<std::string>{"public.order_items", "public.orders"}));
  EXPECT_EQ(incidents[0].key, "orders/s0/latency");
  EXPECT_EQ(incidents[1].members, (std::vector<size_t>{12}));
  EXPECT_EQ(incidents[1].target, "billing");
  EXPECT_EQ(incidents[2].members, (std::vector<size_t>{13}));
  EXPECT_EQ(incidents[2].release, "");
  EXPECT_EQ(incidents[2].shared_tables, std::vector<std::string>{});
}

TEST(Incidents, ASharedTableJoinsFindingsWithoutARelease) {
  const std::vector<IncidentFinding> findings = {
      finding("shop", "a", {"items", "stock"}), finding("shop", "b", {"carts"}),
      finding("shop", "c", {"stock"}), finding("shop", "d", {"carts", "users"}),
      finding("shop", "e", {})};
  const std::vector<Incident> incidents = group_incidents(findings, {});
  ASSERT_EQ(incidents.size(), 3u);
  EXPECT_EQ(incidents[0].members, (std::vector<size_t>{0, 2}));
  EXPECT_EQ(incidents[0].shared_tables, std::vector<std::string>{"stock"});
  EXPECT_EQ(incidents[1].members, (std::vector<size_t>{1, 3}));
  EXPECT_EQ(incidents[1].shared_tables, std::vector<std::string>{"carts"});
  EXPECT_EQ(incidents[2].members, (std::vector<size_t>{4}));
  EXPECT_TRUE(group_incidents({}, {}).empty());
}

TEST(Incidents, KeysStayWhileMembersComeAndGo) {
  std::vector<IncidentFinding> pass1 = {finding("db", "a", {"t"}), finding("db", "b", {"t"}),
                                        finding("db", "c", {"u"})};
  const auto first = group_incidents(pass1, {});
  const auto previous = keys_of(pass1, first);
  EXPECT_EQ(previous.at("db/a/latency"), "db/a/latency");
  EXPECT_EQ(previous.at("db/c/latency"), "db/c/latency");

  // The first member resolved, another joined: still the same incident.
  std::vector<IncidentFinding> pass2 = {finding("db", "b", {"t"}), finding("db", "z", {"t"}),
                                        finding("db", "c", {"u"})};
  const auto second = group_incidents(pass2, previous);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].key, "db/a/latency");
  EXPECT_EQ(second[1].key, "db/c/latency");

  // A finding reading both tables merges the two: the key most members held wins.
  std::vector<IncidentFinding> pass3 = pass2;
  pass3.push_back(finding("db", "m", {"t", "u"}));
  const auto third = group_incidents(pass3, keys_of(pass2, second));
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].key, "db/a/latency");

  // It resolves and the two part again: the larger part keeps the key, the other gets a new
  // one (its old key is taken by nobody else, but keys never repeat within a pass).
  const auto fourth = group_incidents(pass2, keys_of(pass3, third));
  ASSERT_EQ(fourth.size(), 2u);
  EXPECT_EQ(fourth[0].key, "db/a/latency");
  EXPECT_EQ(fourth[1].key, "db/c/latency");
  EXPECT_NE(fourth[0].key, fourth[1].key);
}

}  // namespace
}  // namespace slowscope
