// `slowscope trends` over a real (SQLite) store: a shape getting slower every day is
// reported with its daily rise, exit 1 and a document that matches its schema; a target
// whose shapes hold steady exits 0; an unknown target is a usage error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analyzer/store/store.h"
#include "analyzer/store/tiers.h"
#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

using testing::read_file;
using testing::run_slowscope;
using testing::TempDir;

// One hour of `calls` calls a day, at noon, for each of the 20 days before today, per shape;
// shape "creeping" gets 4 % slower every day on target "orders".
void write_days(Store& store, const std::string& target, bool creeping) {
  store.ensure_target(target, Engine::kPostgres);
  const ServerIdentity server{"7300000000000000001", "15"};
  const int64_t today = floor_to(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count(),
                                 kSecondsPerDay);
  for (int d = 20; d >= 1; --d) {
    const int64_t noon = today - d * kSecondsPerDay + 12 * kSecondsPerHour;
    CycleWrite cycle{target, server, StoreTime(std::chrono::seconds(noon + 3600)), {}, {}, {}, {}};
    for (const std::string name : {"steady", "creeping"}) {
      const StatementKey key{"1", "10", name, true};
      if (d == 20) {
        cycle.new_statements.push_back(
            {key, ShapeInfo{"shape-" + name, "select * from " + name + " where id = ?", {}}, "q"});
      }
      const double mean = name == "creeping" && creeping ? 0.010 * (1 + 0.04 * (20 - d)) : 0.010;
      Sample s;
      s.key = key;
      s.bucket_start = StoreTime(std::chrono::seconds(noon));
      s.interval = std::chrono::seconds(3600);
      s.measures.calls = 3000;
      s.measures.total_time = 3000 * mean;
      s.measures.sum_sq = 3000 * mean * mean * 1.09;
      cycle.samples.push_back(s);
    }
    store.write_cycle(cycle);
  }
}

TEST(TrendsCliTest, ReportsTheShapeGettingSlowerEveryDay) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.file("s.db");
  {
    Store store = Store::open(StoreLocation::parse(url));
    write_days(store, "orders", true);
    write_days(store, "billing", false);
  }
  const std::string out = dir.file("trends.json");
  auto r = run_slowscope("trends --store " + url + " --format json --output " + out);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const auto doc = nlohmann::json::parse(read_file(out));
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/trends-1.schema.json"));
  EXPECT_EQ(doc["schema"], "slowscope.trends/1");
  ASSERT_EQ(doc["targets"].size(), 2u);
  for (const auto& target : doc["targets"]) {
    EXPECT_EQ(target["shapes_tested"], 2);
    if (target["target"] == "billing") {
      EXPECT_TRUE(target["findings"].empty());
      continue;
    }
    ASSERT_EQ(target["findings"].size(), 1u);
    const auto& f = target["findings"][0];
    EXPECT_EQ(f["id"], "orders/shape-creeping/trend");
    // 14 days of +4 % of the first one's latency each: x1.52 over the span.
    EXPECT_NEAR(f["daily_rise"].get<double>(), 0.04 / (1 + 0.04 * 6), 1e-6);
    EXPECT_NEAR(f["ratio"].get<double>(), (1 + 0.04 * 19) / (1 + 0.04 * 6), 1e-6);
  }

  r = run_slowscope("trends --store " + url + " --target billing");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("billing: 2 shapes with daily history, 0 trending slower"),
            std::string::npos)
      << r.out;
  r = run_slowscope("trends --store " + url + " --days 20");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("trending slower: +4.0%/day"), std::string::npos) << r.out;
  EXPECT_EQ(run_slowscope("trends --store " + url + " --target nosuch").exit_code, 2);
  EXPECT_EQ(run_slowscope("trends --store " + url + " --days 1").exit_code, 2);
}

}  // namespace
}  // namespace slowscope
