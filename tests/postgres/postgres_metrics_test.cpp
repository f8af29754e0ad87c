// `collect --metrics-file` against a real PostgreSQL 15: the file holds, for a target that
// collects and one that is down, the series teams alert on — last run and last success,
// cycle time, cycles and errors, pg_stat_statements' dealloc, open findings, the alert
// outbox's backlog — in the text format Prometheus reads (the strict reader of
// tests/support/prometheus_text_check.h); a second run carries the counters on; and a
// running collector replaces the file whole after each cycle, never leaving a part of it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/support/postgres_server.h"
#include "tests/support/prometheus_text_check.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

using testing::read_file;
using testing::TempDir;

constexpr const char* kSuccess = "slowscope_last_success_timestamp_seconds";
constexpr const char* kLastRun = "slowscope_last_run_timestamp_seconds";

double now_seconds() {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
}

class PostgresMetrics : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* server = testing::PostgresEnvironment::server();
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->ok()) << server->error();
    conninfo_ = server->conninfo();
  }

  // A configuration of target "good" and `extra`, with a file alert sink "log".
  std::string config(const std::string& extra = "") {
    const std::string path = dir_.file("slowscope.yaml");
    std::ofstream(path) << "store: sqlite:" << dir_.file("store.db") << "\ninterval: 1s\n"
                        << "targets:\n  - name: good\n    engine: postgres\n    dsn: \""
                        << conninfo_ << "\"\n"
                        << extra << "alerts:\n  sinks:\n"
                        << "    - {name: log, type: file, path: " << dir_.file("alerts.jsonl")
                        << "}\n";
    return " --config '" + path + "'";
  }

  std::string conninfo_;
  TempDir dir_;
  const std::string metrics_ = dir_.file("slowscope.prom");
};

TEST_F(PostgresMetrics, CollectOnceLeavesTheSeriesOfEachTarget) {
  const std::string args = config(
                               "  - name: down\n    engine: postgres\n"
                               "    dsn: \"host=127.0.0.1 port=1 dbname=x connect_timeout=2\"\n") +
                           " --metrics-file " + metrics_;
  {
    // An alert queued for a sink no longer configured: it waits in the outbox for ever.
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir_.file("store.db")));
    store.ensure_target("good", Engine::kPostgres);
    OutboxAlert alert;
    alert.target = "good";
    alert.dedup_key = "k";
    alert.action = "trigger";
    alert.severity = "critical";
    alert.summary = "good: something";
    alert.document = "{}";
    alert.sinks = {"gone"};
    store.queue_alerts("good", {alert}, {}, StoreTime(std::chrono::seconds(1'700'000'000)));
  }
  const double before = now_seconds();
  auto r = testing::run_slowscope("collect --once" + args);
  const double after = now_seconds();
  ASSERT_EQ(r.exit_code, 1) << r.err;  // "down" failed
  const std::string text = read_file(metrics_);
  ASSERT_TRUE(testing::is_prom_text(text));
  testing::PromText m = testing::read_prom_text(text);

  const double success = m.value(kSuccess, {{"command", "collect"}, {"target", "good"}});
  EXPECT_GE(success, before);
  EXPECT_LE(success, after);
  EXPECT_EQ(m.value(kLastRun, {{"command", "collect"}, {"target", "good"}}), success);
  const double cycle = m.value("slowscope_cycle_duration_seconds", {{"target", "good"}});
  EXPECT_GT(cycle, 0);
  EXPECT_LE(cycle, after - before + 1);
  EXPECT_EQ(m.value("slowscope_cycles_total", {{"target", "good"}}), 1);
  EXPECT_EQ(m.value("slowscope_collection_errors_total", {{"target", "good"}}), 0);
  EXPECT_EQ(m.value("slowscope_lease_held", {{"target", "good"}}), 1);
  // PostgreSQL 15 has pg_stat_statements_info: the count is there, whatever it is.
  EXPECT_GE(m.value("slowscope_pg_stat_statements_dealloc_total", {{"target", "good"}}), 0);
  EXPECT_EQ(m.types.at("slowscope_pg_stat_statements_dealloc_total"), "counter");

  EXPECT_EQ(m.value(kSuccess, {{"command", "collect"}, {"target", "down"}}), 0);  // never
  const double failed_at = m.value(kLastRun, {{"command", "collect"}, {"target", "down"}});
  EXPECT_GE(failed_at, before);
  EXPECT_LE(failed_at, after);
  EXPECT_EQ(m.value("slowscope_cycles_total", {{"target", "down"}}), 0);
  EXPECT_EQ(m.value("slowscope_collection_errors_total", {{"target", "down"}}), 1);
  EXPECT_TRUE(
      m.matching("slowscope_pg_stat_statements_dealloc_total", {{"target", "down"}}).empty());

  for (const char* target : {"good", "down"}) {
    const auto open = m.matching("slowscope_findings_open", {{"target", target}});
    EXPECT_EQ(open.size(), 12u) << target;  // every kind and severity, at 0
    for (const testing::PromSample& s : open) EXPECT_EQ(s.value, 0) << target;
  }
  const std::string outbox = "slowscope_alert_outbox_deliveries";
  EXPECT_EQ(m.value(outbox, {{"sink", "gone"}, {"state", "pending"}}), 1);
  EXPECT_EQ(m.value(outbox, {{"sink", "gone"}, {"state", "failed"}}), 0);
  EXPECT_EQ(m.value(outbox, {{"sink", "log"}, {"state", "pending"}}), 0);
  EXPECT_EQ(m.value("slowscope_last_exit_status", {{"command", "collect"}}), 1);

  // Names and numbers only: nothing of a connection string, a query or the alert's text.
  for (const testing::PromSample& s : m.samples) {
    EXPECT_EQ(s.name.rfind("slowscope_", 0), 0u) << s.name;
    for (const auto& [label, value] : s.labels) {
      EXPECT_TRUE(label == "command" || label == "target" || label == "kind" ||
                  label == "severity" || label == "sink" || label == "state")
          << label;
    }
  }
  EXPECT_EQ(text.find("dbname"), std::string::npos) << text;
  EXPECT_EQ(text.find("something"), std::string::npos) << text;
  struct stat st {};
  ASSERT_EQ(::stat(metrics_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);

  // The next run carries the counters and the last success on.
  r = testing::run_slowscope("collect --once" + args);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  m = testing::read_prom_text(read_file(metrics_));
  EXPECT_EQ(m.value("slowscope_cycles_total", {{"target", "good"}}), 2);
  EXPECT_EQ(m.value("slowscope_collection_errors_total", {{"target", "down"}}), 2);
  EXPECT_GE(m.value(kSuccess, {{"command", "collect"}, {"target", "good"}}), success);
  EXPECT_EQ(m.value(kSuccess, {{"command", "collect"}, {"target", "down"}}), 0);
}

TEST_F(PostgresMetrics, ARunningCollectorReplacesTheFileWholeAfterEachCycle) {
  testing::SlowscopeProcess collect(
      "collect --no-detect" + config() + " --metrics-file '" + metrics_ + "'",
      dir_.file("collect.log"));
  std::set<ino_t> files;  // the inodes seen: a rename makes a new one each time
  double cycles = 0;
  bool seen = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (cycles < 4 && std::chrono::steady_clock::now() < deadline) {
    struct stat st {};
    if (::stat(metrics_.c_str(), &st) != 0) {
      // Written before the first cycle; from then on it is always there.
      ASSERT_FALSE(seen) << "the file was gone for a moment";
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    seen = true;
    const std::string text = read_file(metrics_);
    ASSERT_TRUE(testing::is_prom_text(text));
    const testing::PromText m = testing::read_prom_text(text);
    const double now = m.value("slowscope_cycles_total", {{"target", "good"}});
    ASSERT_FALSE(std::isnan(now)) << "a part of the file:\n" << text;
    EXPECT_GE(now, cycles) << "the counter went back";
    cycles = now;
    files.insert(st.st_ino);
  }
  ASSERT_GE(cycles, 4) << read_file(dir_.file("collect.log"));
  EXPECT_GE(files.size(), 2u) << "rewritten in place, not replaced";
  const int status = collect.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(dir_.file("collect.log"));
  const testing::PromText m = testing::read_prom_text(read_file(metrics_));
  EXPECT_EQ(m.value("slowscope_last_exit_status", {{"command", "collect"}}), 0);
  EXPECT_GE(m.value("slowscope_cycles_total", {{"target", "good"}}), cycles);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos)
        << entry.path() << " left behind";
  }
}

}  // namespace
}  // namespace slowscope
