// `slowscope release add|list` as CI uses it: record once, refuse a repeat or an unknown
// target, list as text and JSON; and the reports over a range name the releases in it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "analyzer/aggregate/quantile_sketch.h"
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
    s.ensure_target("billing", Engine::kPostgres);
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

// A shell word holding what printf makes of `format` (octal escapes such as \033).
std::string printf_word(const std::string& format) {
  return "\"$(printf '" + format + "')\"";
}

// Release names reach terminals and CI logs: refused when empty, longer than 200
// characters or holding control characters (exit 2, before the store is touched), and
// escaped wherever a command echoes one it was given.
TEST(ReleaseCliTest, NamesAreCheckedAndEchoedSafely) {
  TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  {
    Store s = Store::open(StoreLocation::parse("sqlite:" + dir.file("s.db")));
    s.ensure_target("orders", Engine::kPostgres);
  }
  auto r = run_slowscope("release add ''" + store);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("a release needs a name"), std::string::npos) << r.err;

  r = run_slowscope("release add " + printf_word(R"(v1\033[2J)") + store);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("cannot hold control characters"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": 'v1\\x1b[2J'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\033'), std::string::npos) << "the escape reached the terminal";
  r = run_slowscope("release add " + printf_word(R"(v1\302\233)") + store);  // C1: CSI
  EXPECT_EQ(r.exit_code, 2) << r.err;

  // 200 characters (400 bytes of UTF-8) are a name; 201 are not.
  std::string longest;
  for (int i = 0; i < 200; ++i) longest += R"(\303\251)";  // é
  r = run_slowscope("release add " + printf_word(longest) + store);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_slowscope("release add " + printf_word(longest + "x") + store);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("at most 200 characters, not 201"), std::string::npos) << r.err;

  // The store keeps the rule too, for every other writer.
  Store s = Store::open(StoreLocation::parse("sqlite:" + dir.file("s.db")), StoreOpen::kMustExist);
  EXPECT_THROW(s.add_release({"bad\nname", StoreTime{}, {}, {}}), StoreError);
  EXPECT_THROW(s.add_release({"", StoreTime{}, {}, {}}), StoreError);
  EXPECT_EQ(
      s.releases({std::nullopt, StoreTime{}, StoreTime(std::chrono::hours(1'000'000))}).size(), 1u);

  // A name given to `check` is echoed escaped when unknown.
  r = run_slowscope("check --release " + printf_word(R"(x\033]0;pwned\007)") + store);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("no release named 'x\\x1b]0;pwned\\x07'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\033'), std::string::npos);
}

TEST(ReleaseCliTest, ReportsOverARangeNameItsReleases) {
  TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  {
    Store s = Store::open(StoreLocation::parse("sqlite:" + dir.file("s.db")));
    s.ensure_target("orders", Engine::kPostgres);
    s.ensure_target("billing", Engine::kPostgres);
    s.add_release({"orders-7",
                   StoreTime(std::chrono::seconds(1'763'632'800)),
                   {"orders"},
                   {{"commit", "abc"}}});  // 2025-11-20T10:00:00Z
    s.add_release({"billing-3", StoreTime(std::chrono::seconds(1'763'636'400)), {"billing"}, {}});
    s.add_release({"all-1", StoreTime(std::chrono::seconds(1'763'640'000)), {}, {}});
    s.add_release({"later", StoreTime(std::chrono::seconds(1'763'726'400)), {}, {}});
  }
  const std::string range = " --from 2025-11-20T00:00:00Z --until 2025-11-21T00:00:00Z";
  auto r = run_slowscope("top --target orders --format json" + range + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/top-1.schema.json"));
  ASSERT_EQ(doc["releases"].size(), 2u) << doc.dump();
  EXPECT_EQ(doc["releases"][0]["name"], "orders-7");
  EXPECT_EQ(doc["releases"][0]["meta"]["commit"], "abc");
  EXPECT_EQ(doc["releases"][1]["name"], "all-1");

  r = run_slowscope("top" + range + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Releases in this range:\n"
                       "  2025-11-20T10:00:00Z  orders-7  orders commit=abc\n"
                       "  2025-11-20T11:00:00Z  billing-3  billing\n"
                       "  2025-11-20T12:00:00Z  all-1  (all targets)\n\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("later"), std::string::npos) << r.out;
}

// A sketch in the store that does not decode is stored data gone bad, not a usage error:
// `check` reads the slow-log target's sketches and fails with its own code (3, could not
// evaluate), naming the store, the read and what was wrong with the bytes.
TEST(ReleaseCliTest, ACorruptSketchInTheStoreIsAFailureNotUsage) {
  TempDir dir;
  const std::string path = dir.file("s.db");
  const int64_t release = 1'763'640'000;  // 2025-11-20T12:00:00Z
  {
    Store s = Store::open(StoreLocation::parse("sqlite:" + path));
    s.ensure_target("orders", Engine::kMysql);
    const StatementKey key{"shop", "app", "slow", true};
    for (int64_t t = release - 7200; t < release + 1800; t += 60) {
      CycleWrite cycle{"orders",
                       ServerIdentity{"mariadb-1", "10.11"},
                       StoreTime(std::chrono::seconds(t + 60)),
                       {},
                       {},
                       {},
                       {}};
      if (t == release - 7200) {
        cycle.new_statements.push_back(
            {key, ShapeInfo{"shape-slow", "select * from slow where id = ?", {}}, "q"});
      }
      Sample sample;
      sample.key = key;
      sample.bucket_start = StoreTime(std::chrono::seconds(t));
      sample.interval = std::chrono::seconds(60);
      sample.measures.calls = 20;
      sample.measures.total_time = 20 * 0.010;
      sample.measures.sum_sq = 20 * 0.010 * 0.010;
      QuantileSketch sketch;
      for (int i = 0; i < 20; ++i) sketch.add(0.010);
      sample.sketch = sketch.serialize();
      cycle.samples.push_back(sample);
      s.write_cycle(cycle);
    }
    s.add_release({"v2", StoreTime(std::chrono::seconds(release)), {}, {}});
  }
  const std::string store = " --store sqlite:" + path + " --baseline 2h";
  auto r = run_slowscope("check --release v2" + store);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, "UPDATE samples SET sketch = x'6e6f20736b65746368'", nullptr, nullptr,
                         &error),
            SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  ASSERT_GT(sqlite3_changes(db), 0);
  sqlite3_close(db);

  r = run_slowscope("check --release v2" + store);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("merged_sketches"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("QuantileSketch: not a serialized sketch"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace slowscope
