// The post-release gate end to end against a real PostgreSQL 15: `collect` runs while a
// workload runs, CI records a release, the release drops an index (or changes nothing, the
// control run), the workload goes on, and `check` names exactly the shapes that used the
// index — with ratio and added time — and exits 1, or exits 0 for the control run.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "tests/digest/digest_cli.h"
#include "tests/support/check_findings.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;
using testing::run_slowscope;

class PostgresRegressionCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* server = testing::PostgresEnvironment::server();
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->ok()) << server->error();
    conninfo_ = server->conninfo();
    std::ofstream(dir_.file("slowscope.yaml"))
        << "store: sqlite:" << dir_.file("store.db") << "\ninterval: 1s\ntargets:\n"
        << "  - name: orders\n    engine: postgres\n    dsn: \"" << conninfo_ << "\"\n";
    pqxx::connection c(conninfo_);
    pqxx::nontransaction tx(c);
    tx.exec(
        "DROP TABLE IF EXISTS e2e_items; "
        "CREATE TABLE e2e_items (id int PRIMARY KEY, grp int NOT NULL, v int NOT NULL); "
        "INSERT INTO e2e_items SELECT g, g % 5000, g % 97 FROM generate_series(1, 200000) g; "
        "CREATE INDEX e2e_items_grp ON e2e_items (grp); ANALYZE e2e_items;");
  }

  // Runs the four statements of the workload in a loop until told to stop.
  void workload(std::atomic<bool>& stop) {
    pqxx::connection c(conninfo_);
    int i = 0;
    while (!stop) {
      pqxx::nontransaction tx(c);
      ++i;
      tx.exec_params("SELECT count(*) FROM e2e_items WHERE grp = $1", i % 5000);
      tx.exec_params("SELECT sum(v) FROM e2e_items WHERE grp = $1 AND v > $2", i % 5000, 10);
      tx.exec_params("SELECT v FROM e2e_items WHERE id = $1", i % 200000 + 1);
      tx.exec_params("SELECT id FROM e2e_items WHERE id BETWEEN $1 AND $2", i, i + 5);
    }
  }

  // Collects while the workload runs; the release (and `change`, if any) comes after a
  // baseline. Returns check's result as JSON and its exit code.
  std::pair<int, nlohmann::json> run(const std::string& change) {
    const fs::path log = dir_.file("collect.log");
    const std::string config = " --config '" + dir_.file("slowscope.yaml") + "'";
    testing::SlowscopeProcess collect("collect" + config, log);
    std::atomic<bool> stop{false};
    std::thread load([&] { workload(stop); });
    std::this_thread::sleep_for(std::chrono::seconds(20));
    const auto r = run_slowscope("release add v2" + config);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (!change.empty()) {
      pqxx::connection c(conninfo_);
      pqxx::nontransaction(c).exec(change);
    }
    std::this_thread::sleep_for(std::chrono::seconds(20));
    stop = true;
    load.join();
    std::this_thread::sleep_for(std::chrono::seconds(2));  // the last interval is stored
    collect.stop(SIGTERM);
    const auto check = run_slowscope(
        "check --release v2 --window 30s --baseline 5m "
        "--format json" +
        config);
    EXPECT_TRUE(check.exit_code == 0 || check.exit_code == 1)
        << check.exit_code << check.err << testing::read_file(log);
    return {check.exit_code, nlohmann::json::parse(check.out)};
  }

  testing::TempDir dir_;
  std::string conninfo_;
};

TEST_F(PostgresRegressionCheck, ADroppedIndexIsNamedByItsShapes) {
  const auto [code, check] = run("DROP INDEX e2e_items_grp");
  EXPECT_EQ(code, 1) << check.dump(2);
  const std::set<std::string> shapes = testing::regressed_fingerprints(check, "latency");
  ASSERT_EQ(shapes.size(), 2u) << check.dump(2);
  for (const std::string& fp : shapes) {
    EXPECT_NE(fp.find("grp"), std::string::npos) << fp;  // only the shapes using the index
  }
  // A lost index is also a plan change: the same two shapes, and only those, do far more
  // work per call (shared blocks); nothing else is reported.
  EXPECT_EQ(testing::regressed_fingerprints(check, "rows_per_call"), shapes) << check.dump(2);
  EXPECT_EQ(testing::regressed_fingerprints(check), shapes) << check.dump(2);
}

TEST_F(PostgresRegressionCheck, AControlRunWithoutChangePasses) {
  const auto [code, check] = run("");
  EXPECT_EQ(code, 0) << check.dump(2);
  EXPECT_TRUE(testing::regressed_fingerprints(check).empty()) << check.dump(2);
}

}  // namespace
}  // namespace slowscope
