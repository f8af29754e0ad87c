// Query ids as users pass them between commands: `top` prints whole ids to a pipe or file
// (and with --wide), cuts long ones on a terminal; `show` takes a whole id in any case, a
// unique start of 8 or more characters (the cut one included), and pt-query-digest's 0x
// forms, and tells an unknown id, an ambiguous one and a range without samples apart. The
// statements' stored texts are shown only with --examples.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"

namespace slowscope::testing {
namespace {

constexpr size_t npos = std::string::npos;

const std::string kMysqlId = "E81D0B3DB4FB31BC558CAEF5F387E929";
const std::string kTwinId = "E81D0B3D11111111AAAAAAAAAAAAAAAA";  // the same first 8 digits
const std::string kPostgresId = "0123456789abcdef";
const std::string kIdleId = "FEDCBA9876543210FEDCBA9876543210";  // stored, no samples
const std::string kSecretText = "select * from users where email = 'alice@example.com'";

class QueryIdCli : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = " --store sqlite:" + dir_.file("s.db");
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir_.file("s.db")));
    store.ensure_target("shop", Engine::kMysql);
    const auto now = std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now());
    const StoreTime bucket =
        std::chrono::time_point_cast<std::chrono::seconds>(now) - std::chrono::minutes(10);
    CycleWrite cycle{"shop", {"uuid", "10.11"}, bucket + std::chrono::minutes(1), {}, {}, {}, {}};
    int n = 0;
    for (const std::string& id : {kMysqlId, kTwinId, kPostgresId, kIdleId}) {
      const StatementKey key{"shop", "", id, true};
      cycle.new_statements.push_back(
          {key, ShapeInfo{id, "select * from t" + std::to_string(n) + " where email = ?", {}},
           id == kMysqlId ? kSecretText : "select " + std::to_string(n)});
      ++n;
      if (id == kIdleId) continue;
      Sample s;
      s.key = key;
      s.bucket_start = bucket;
      s.measures.calls = 10 * n;
      s.measures.total_time = 0.5 * n;
      cycle.samples.push_back(s);
    }
    cycle.keep_examples = true;  // a target with `examples: true`
    store.write_cycle(cycle);
  }

  RunResult show(const std::string& id, const std::string& more = "") {
    return run_slowscope("show " + id + more + store_);
  }

  TempDir dir_;
  std::string store_;
};

TEST_F(QueryIdCli, TopPrintsWholeIdsExceptOnATerminal) {
  const RunResult piped = run_slowscope("top" + store_);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  for (const std::string& id : {kMysqlId, kTwinId, kPostgresId}) {
    EXPECT_NE(piped.out.find("  " + id + "  "), npos) << id << "\n" << piped.out;
  }
  EXPECT_EQ(piped.out.find("..."), npos) << piped.out;

  const std::string terminal = run_on_terminal("top" + store_);
  const std::string cut = kMysqlId.substr(0, 24) + "...";
  EXPECT_NE(terminal.find(cut), npos) << terminal;
  EXPECT_EQ(terminal.find(kMysqlId), npos) << terminal;
  EXPECT_NE(terminal.find(kPostgresId), npos) << terminal;
  const std::string wide = run_on_terminal("top --wide" + store_);
  EXPECT_NE(wide.find(kMysqlId), npos) << wide;

  // What the terminal showed is an id `show` takes.
  const RunResult shown = show(cut);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("Query " + kMysqlId), npos) << shown.out;
}

TEST_F(QueryIdCli, ShowTakesAnyCaseUniqueStartsAndPtForms) {
  const std::string lower = "e81d0b3db4fb31bc558caef5f387e929";
  for (const std::string& id : {kMysqlId, lower, std::string("e81d0b3db4"), "0x" + kMysqlId,
                                "0x" + kMysqlId.substr(16), "0X" + lower.substr(16)}) {
    const RunResult r = show(id);
    ASSERT_EQ(r.exit_code, 0) << id << "\n" << r.err;
    EXPECT_NE(r.out.find("Query " + kMysqlId), npos) << id << "\n" << r.out;
    EXPECT_NE(r.out.find("calls 10,"), npos) << id << "\n" << r.out;
  }
  const RunResult postgres = show("01234567");
  ASSERT_EQ(postgres.exit_code, 0) << postgres.err;
  EXPECT_NE(postgres.out.find("Query " + kPostgresId), npos) << postgres.out;
}

TEST_F(QueryIdCli, ShowTellsUnknownAmbiguousAndIdleApart) {
  RunResult r = show("e81d0b3d");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("query id e81d0b3d names several shapes"), npos) << r.err;
  EXPECT_NE(r.err.find(kMysqlId), npos) << r.err;
  EXPECT_NE(r.err.find(kTwinId), npos) << r.err;

  r = show("ffffffffff");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no query id ffffffffff in the store"), npos) << r.err;

  r = show("e81d0b3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("too short"), npos) << r.err;

  r = show(kIdleId);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no samples of query " + kIdleId + " in this range"), npos) << r.err;
  EXPECT_EQ(r.err.find("no query id"), npos) << r.err;

  r = show(kMysqlId, " --target nosuch");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no target named 'nosuch'"), npos) << r.err;
}

TEST_F(QueryIdCli, ShowPrintsStatementTextsOnlyWithExamples) {
  RunResult r = show(kMysqlId);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("alice@example.com"), npos) << r.out;
  EXPECT_NE(r.out.find("select * from t0 where email = ?"), npos) << r.out;
  EXPECT_NE(r.out.find("--examples"), npos) << r.out;
  r = show(kMysqlId, " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("alice@example.com"), npos) << r.out;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["targets"][0]["statements"].size(), 1u);
  EXPECT_FALSE(doc["targets"][0]["statements"][0].contains("query"));
  EXPECT_EQ(doc["targets"][0]["statements"][0]["queryid"], kMysqlId);

  r = show(kMysqlId, " --examples");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("    " + kSecretText + "\n"), npos) << r.out;
  r = show(kMysqlId, " --examples --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["targets"][0]["statements"][0]["query"], kSecretText);

  r = run_slowscope("show --help");
  EXPECT_NE(r.out.find("examples: true"), npos) << r.out;
}

}  // namespace
}  // namespace slowscope::testing
