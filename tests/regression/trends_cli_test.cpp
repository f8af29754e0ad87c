// `slowscope trends` over a real (SQLite) store: a shape getting slower every day is
// reported with its daily rise, exit 1 and a document that matches its schema; a target
// whose shapes hold steady exits 0; an unknown target is a usage error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analyzer/store/store.h"
#include "analyzer/store/tiers.h"
#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"

namespace slowscope {
namespace {

using testing::read_file;
using testing::run_slowscope;
using testing::TempDir;

TEST(TrendsCliTest, ReportsTheShapeGettingSlowerEveryDay) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.file("s.db");
  {
    Store store = Store::open(StoreLocation::parse(url));
    testing::write_daily_history(store, "orders", true);
    testing::write_daily_history(store, "billing", false);
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
