// `slowscope release add|list` as CI uses it: record once, refuse a repeat or an unknown
// target, list as text and JSON.
#include <gtest/gtest.h>

#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

using testing::run_slowscope;
using testing::TempDir;

TEST(ReleaseCliTest, RecordsOnceAndLists) {
  TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  {
    Store s = Store::open(StoreLocation::parse("sqlite:" + dir.file("s.db")));
    s.ensure_target("orders", Engine::kPostgres);
  }
  auto r = run_slowscope(
      "release add v2.4.1 --at 2026-11-20T10:00:00Z --target orders "
      "--meta commit=abc123 --meta by=ci" +
      store);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "recorded release v2.4.1 at 2026-11-20T10:00:00Z for orders\n");
  r = run_slowscope("release add v2.4.2 --at 2026-11-21T10:00:00Z" + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  r = run_slowscope("release add v2.4.1" + store);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("recorded already"), std::string::npos) << r.err;
  r = run_slowscope("release add v3 --target typo" + store);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no target named 'typo'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("orders"), std::string::npos) << r.err;
  r = run_slowscope("release add v3 --meta novalue" + store);
  EXPECT_EQ(r.exit_code, 2);

  r = run_slowscope("release list --from 2026-11-01 --until 2026-12-01 --format json" + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema"], "slowscope.releases/1");
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/releases-1.schema.json"));
  ASSERT_EQ(doc["releases"].size(), 2u);
  EXPECT_EQ(doc["releases"][0]["name"], "v2.4.1");
  EXPECT_EQ(doc["releases"][0]["at"], "2026-11-20T10:00:00Z");
  EXPECT_EQ(doc["releases"][0]["targets"], nlohmann::json::array({"orders"}));
  EXPECT_EQ(doc["releases"][0]["meta"]["commit"], "abc123");
  EXPECT_EQ(doc["releases"][1]["targets"], nlohmann::json::array());

  r = run_slowscope("release list --from 2026-11-01 --until 2026-12-01" + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2026-11-21T10:00:00Z  v2.4.2  (all targets)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace slowscope
