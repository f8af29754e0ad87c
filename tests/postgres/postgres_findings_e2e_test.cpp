// Continuous detection end to end against a real PostgreSQL 15: `collect` runs with
// detection on (short windows) while a workload runs; nothing is found over the baseline;
// an index is dropped and findings open for exactly the shapes that used it; the index comes
// back and they resolve after the configured clean passes — as `slowscope findings` shows,
// and as collect logs, with fingerprints only.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "tests/digest/digest_cli.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

using testing::run_slowscope;

class PostgresFindingsLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* server = testing::PostgresEnvironment::server();
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->ok()) << server->error();
    conninfo_ = server->conninfo();
    std::ofstream(dir_.file("slowscope.yaml"))
        << "store: sqlite:" << dir_.file("store.db") << "\ninterval: 1s\ntargets:\n"
        << "  - name: orders\n    engine: postgres\n    dsn: \"" << conninfo_ << "\"\n";
    config_ = " --config '" + dir_.file("slowscope.yaml") + "'";
    execute(
        "DROP TABLE IF EXISTS lifecycle_items; "
        "CREATE TABLE lifecycle_items (id int PRIMARY KEY, grp int NOT NULL, v int NOT NULL); "
        "INSERT INTO lifecycle_items SELECT g, g % 5000, g % 97 "
        "FROM generate_series(1, 200000) g; "
        "CREATE INDEX lifecycle_items_grp ON lifecycle_items (grp); ANALYZE lifecycle_items;");
  }

  void execute(const std::string& sql) {
    pqxx::connection c(conninfo_);
    pqxx::nontransaction(c).exec(sql);
  }

  void workload(std::atomic<bool>& stop) {
    pqxx::connection c(conninfo_);
    int i = 0;
    while (!stop) {
      pqxx::nontransaction tx(c);
      ++i;
      tx.exec_params("SELECT count(*) FROM lifecycle_items WHERE grp = $1", i % 5000);
      tx.exec_params("SELECT sum(v) FROM lifecycle_items WHERE grp = $1 AND v > $2", i % 5000, 10);
      tx.exec_params("SELECT v FROM lifecycle_items WHERE id = $1", i % 200000 + 1);
    }
  }

  nlohmann::json findings() {
    const auto r = run_slowscope("findings --status all --format json" + config_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
  }

  // Findings of `doc` with `status`, of `kind` (empty: any).
  static int count(const nlohmann::json& doc, const std::string& status,
                   const std::string& kind = "") {
    int n = 0;
    for (const auto& f : doc.value("findings", nlohmann::json::array())) {
      n += f["status"] == status && (kind.empty() || f["kind"] == kind);
    }
    return n;
  }

  // Polls `slowscope findings` until `done` holds or `timeout` passes; the last document.
  nlohmann::json wait_for(const std::function<bool(const nlohmann::json&)>& done,
                          std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    nlohmann::json doc = findings();
    while (!done(doc) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      doc = findings();
    }
    return doc;
  }

  testing::TempDir dir_;
  std::string conninfo_;
  std::string config_;
};

TEST_F(PostgresFindingsLifecycle, ADroppedIndexOpensFindingsThatResolveOnceItIsBack) {
  const std::filesystem::path log = dir_.file("collect.log");
  setenv("SPDLOG_LEVEL", "debug", 1);  // the collector's per-pass detection timing
  testing::SlowscopeProcess collect(
      "collect --detect-window 5s --detect-baseline 2m --resolve-after 3" + config_, log);
  unsetenv("SPDLOG_LEVEL");
  std::atomic<bool> stop{false};
  std::thread load([&] { workload(stop); });

  std::this_thread::sleep_for(std::chrono::seconds(15));
  EXPECT_EQ(findings()["findings"].size(), 0u) << "found something in an unchanged workload\n"
                                               << testing::read_file(log);

  execute("DROP INDEX lifecycle_items_grp");
  const auto opened_at = std::chrono::steady_clock::now();
  nlohmann::json doc =
      wait_for([](const nlohmann::json& d) { return count(d, "open", "latency") >= 2; },
               std::chrono::seconds(30));
  const auto to_open = std::chrono::steady_clock::now() - opened_at;
  EXPECT_EQ(count(doc, "open", "latency"), 2) << doc.dump(2) << testing::read_file(log);

  execute("CREATE INDEX lifecycle_items_grp ON lifecycle_items (grp)");
  doc = wait_for(
      [](const nlohmann::json& d) { return count(d, "open") == 0 && count(d, "resolved") > 0; },
      std::chrono::seconds(40));
  stop = true;
  load.join();
  collect.stop(SIGTERM);

  std::cout << "findings opened "
            << std::chrono::duration_cast<std::chrono::milliseconds>(to_open).count()
            << " ms after the index was dropped\n";
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/findings-1.schema.json"));
  const std::string collect_log = testing::read_file(log);
  // Exactly the two shapes that used the index got slower; their rows or blocks per call
  // may have surged too (the sequential scans), by the post window's own pace.
  EXPECT_EQ(count(doc, "resolved", "latency"), 2) << doc.dump(2) << collect_log;
  ASSERT_EQ(count(doc, "resolved"), static_cast<int>(doc["findings"].size())) << doc.dump(2);
  for (const auto& f : doc["findings"]) {
    const std::string fingerprint = f["fingerprint"].get<std::string>();
    EXPECT_NE(fingerprint.find("grp = $1"), std::string::npos) << fingerprint;
    EXPECT_EQ(f["status"], "resolved") << f.dump(2);
    EXPECT_TRUE(f["kind"] == "latency" || f["kind"] == "rows_per_call") << f.dump(2);
    EXPECT_EQ(f["clean_passes"], 3);
    EXPECT_EQ(f["reopen_count"], 0);
    EXPECT_GE(f["evidence"]["ratio"].get<double>(), 1.5);
    // Opened, last seen and resolved in that order, three passes of a second apart at the end.
    EXPECT_LT(f["opened_at"].get<std::string>(), f["resolved_at"].get<std::string>());
    EXPECT_LE(f["last_seen_at"].get<std::string>(), f["resolved_at"].get<std::string>());
    // The collector said so, once each, by identity and fingerprint.
    const std::string id = f["id"].get<std::string>();
    EXPECT_NE(collect_log.find("finding opened: " + id), std::string::npos) << collect_log;
    // Each in its own measure: a latency ratio, or the blocks per call.
    const size_t line = collect_log.find("finding opened: " + id);
    const std::string opened = line == std::string::npos
                                   ? ""
                                   : collect_log.substr(line, collect_log.find('\n', line) - line);
    EXPECT_NE(opened.find(f["kind"] == "latency" ? " per call (x" : "shared blocks per call "),
              std::string::npos)
        << opened;
    EXPECT_NE(collect_log.find("finding resolved: " + id), std::string::npos) << collect_log;
  }
  EXPECT_NE(collect_log.find("orders: detection "), std::string::npos) << collect_log;
  EXPECT_EQ(collect_log.find("detection failed"), std::string::npos) << collect_log;
}

}  // namespace
}  // namespace slowscope
