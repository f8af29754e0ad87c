// The post-release gate end to end against a real MariaDB whose slow log `collect` follows:
// a release drops an index (or changes nothing, the control run) while a workload runs, and
// `check` names exactly the shapes that used the index and exits 1, or exits 0.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/digest/digest_cli.h"
#include "tests/support/check_findings.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

using testing::run_slowscope;

class MariadbRegressionCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::MariadbEnvironment::server();
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->ok()) << server_->error();
    std::ofstream(dir_.file("slowscope.yaml"))
        << "store: sqlite:" << dir_.file("store.db") << "\ninterval: 1s\ntargets:\n"
        << "  - name: shop\n    engine: mysql\n    source: slow_log_file\n    slow_log: "
        << server_->slow_log().string() << "\n";
    server_->sql(
        "CREATE DATABASE IF NOT EXISTS e2e; USE e2e; DROP TABLE IF EXISTS e2e.items; "
        "CREATE TABLE e2e.items (id INT PRIMARY KEY, grp INT NOT NULL, v INT NOT NULL); "
        "INSERT INTO e2e.items SELECT seq, seq % 5000, seq % 97 FROM seq_1_to_200000; "
        "CREATE INDEX items_grp ON e2e.items (grp); ANALYZE TABLE e2e.items;");
  }

  void workload(std::atomic<bool>& stop) {
    int i = 0;
    while (!stop) {
      std::string script;
      for (int k = 0; k < 20; ++k, ++i) {
        script +=
            "SELECT count(*) FROM e2e.items WHERE grp = " + std::to_string(i % 5000) +
            ";\nSELECT sum(v) FROM e2e.items WHERE grp = " + std::to_string(i % 5000) +
            " AND v > 10;\nSELECT v FROM e2e.items WHERE id = " + std::to_string(i % 200000 + 1) +
            ";\n";
      }
      server_->sql(script);
    }
  }

  std::pair<int, nlohmann::json> run(const std::string& change) {
    const std::string config = " --config '" + dir_.file("slowscope.yaml") + "'";
    // From the end: the table set-up above is no part of the baseline.
    testing::SlowscopeProcess collect("collect --from-end" + config, dir_.file("collect.log"));
    std::atomic<bool> stop{false};
    std::thread load([&] { workload(stop); });
    std::this_thread::sleep_for(std::chrono::seconds(20));
    const auto r = run_slowscope("release add v2" + config);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (!change.empty()) server_->sql(change);
    std::this_thread::sleep_for(std::chrono::seconds(20));
    stop = true;
    load.join();
    std::this_thread::sleep_for(std::chrono::seconds(3));  // read to the end of the log
    collect.stop(SIGTERM);
    const auto check = run_slowscope(
        "check --release v2 --window 30s --baseline 5m "
        "--format json" +
        config);
    EXPECT_TRUE(check.exit_code == 0 || check.exit_code == 1) << check.exit_code << check.err;
    return {check.exit_code, nlohmann::json::parse(check.out)};
  }

  testing::MariadbServer* server_ = nullptr;
  testing::TempDir dir_;
};

TEST_F(MariadbRegressionCheck, ADroppedIndexIsNamedByItsShapes) {
  const auto [code, check] = run("DROP INDEX items_grp ON e2e.items;");
  EXPECT_EQ(code, 1) << check.dump(2);
  const std::set<std::string> shapes = testing::regressed_fingerprints(check, "latency");
  ASSERT_EQ(shapes.size(), 2u) << check.dump(2);
  for (const std::string& fp : shapes) {
    EXPECT_NE(fp.find("grp"), std::string::npos) << fp;  // only the shapes using the index
  }
  // A lost index is also a plan change: the same two shapes, and only those, do far more
  // work per call (rows examined); nothing else is reported.
  EXPECT_EQ(testing::regressed_fingerprints(check, "rows_per_call"), shapes) << check.dump(2);
  EXPECT_EQ(testing::regressed_fingerprints(check), shapes) << check.dump(2);
}

TEST_F(MariadbRegressionCheck, AControlRunWithoutChangePasses) {
  const auto [code, check] = run("");
  EXPECT_EQ(code, 0) << check.dump(2);
  EXPECT_TRUE(testing::regressed_fingerprints(check).empty()) << check.dump(2);
}

}  // namespace
}  // namespace slowscope
