// The metrics registry behind --metrics-file (app/run_metrics.h), on real files and a real
// SQLite store: what each event sets, what a later run of the same command carries forward
// (and of another command does not), the store's findings and outbox read back, a file
// replaced whole while threads write it, and its mode. Every file is read with the strict
// reader of tests/support/prometheus_text_check.h.
#include "app/run_metrics.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <thread>

#include "tests/digest/digest_cli.h"
#include "tests/support/prometheus_text_check.h"

namespace slowscope {
namespace {

using Clock = std::chrono::system_clock;
using testing::read_file;
using testing::read_prom_text;
using testing::TempDir;

constexpr const char* kSuccess = "slowscope_last_success_timestamp_seconds";

Clock::time_point at(int64_t seconds) {
  return Clock::time_point(std::chrono::seconds(seconds));
}

testing::PromText written(const std::string& path) {
  const std::string text = read_file(path);
  EXPECT_TRUE(testing::is_prom_text(text));
  return read_prom_text(text);
}

TEST(RunMetrics, CollectsCyclesOfEachTarget) {
  TempDir dir;
  RunMetrics metrics("collect", dir.file("m.prom"));
  metrics.add_targets({"db1", "db2", "db3"});
  metrics.cycle_ended("db1", CycleResult::kRan, at(1'700'000'060), 0.25, int64_t{7});
  metrics.cycle_ended("db1", CycleResult::kRan, at(1'700'000'120), 0.5);
  metrics.cycle_ended("db2", CycleResult::kFailed, at(1'700'000'061), 3.0);
  metrics.cycle_ended("db3", CycleResult::kStandingBy, at(1'700'000'062), 0.01);
  metrics.write();
  const testing::PromText m = written(dir.file("m.prom"));
  for (const testing::PromSample& s : m.samples) {
    EXPECT_EQ(s.name.rfind("slowscope_", 0), 0u) << s.name;
  }
  EXPECT_EQ(m.value(kSuccess, {{"command", "collect"}, {"target", "db1"}}), 1'700'000'120);
  EXPECT_EQ(m.value(kSuccess, {{"command", "collect"}, {"target", "db2"}}), 0);  // never
  EXPECT_EQ(
      m.value("slowscope_last_run_timestamp_seconds", {{"command", "collect"}, {"target", "db2"}}),
      1'700'000'061);
  EXPECT_TRUE(m.matching("slowscope_last_run_timestamp_seconds", {{"target", "db3"}}).empty());
  EXPECT_EQ(m.value("slowscope_cycle_duration_seconds", {{"target", "db1"}}), 0.5);
  EXPECT_EQ(m.value("slowscope_cycle_duration_seconds", {{"target", "db2"}}), 3.0);
  EXPECT_EQ(m.value("slowscope_cycles_total", {{"target", "db1"}}), 2);
  EXPECT_EQ(m.value("slowscope_cycles_total", {{"target", "db2"}}), 0);
  EXPECT_EQ(m.value("slowscope_collection_errors_total", {{"target", "db2"}}), 1);
  EXPECT_EQ(m.value("slowscope_lease_held", {{"target", "db1"}}), 1);
  EXPECT_EQ(m.value("slowscope_lease_held", {{"target", "db3"}}), 0);
  // The server's count as last read: a cycle that did not read one keeps it.
  EXPECT_EQ(m.value("slowscope_pg_stat_statements_dealloc_total", {{"target", "db1"}}), 7);
  EXPECT_TRUE(
      m.matching("slowscope_pg_stat_statements_dealloc_total", {{"target", "db2"}}).empty());
  EXPECT_EQ(m.types.at("slowscope_cycles_total"), "counter");
  EXPECT_EQ(m.types.at(kSuccess), "gauge");
  // Not ended yet: no exit status; and collect has no run-wide success, only its targets'.
  EXPECT_TRUE(m.matching("slowscope_last_exit_status").empty());
  metrics.command_ended(0, true, at(1'700'000'200), 140);
  metrics.write();
  const testing::PromText ended = written(dir.file("m.prom"));
  EXPECT_EQ(ended.value("slowscope_last_exit_status", {{"command", "collect"}}), 0);
  EXPECT_EQ(ended.value("slowscope_last_run_duration_seconds", {{"command", "collect"}}), 140);
  EXPECT_TRUE(std::isnan(ended.value(kSuccess, {{"command", "collect"}})));
}

TEST(RunMetrics, ALaterRunOfTheSameCommandCarriesSuccessesAndCountersForward) {
  TempDir dir;
  const std::string path = dir.file("m.prom");
  {
    RunMetrics first("collect", path);
    first.add_targets({"db1", "db2"});
    first.cycle_ended("db1", CycleResult::kRan, at(1'700'000'060), 1);
    first.cycle_ended("db2", CycleResult::kFailed, at(1'700'000'060), 1);
    first.write();
  }
  {
    RunMetrics second("collect", path);
    second.add_targets({"db1", "db3"});  // db2 is no longer configured
    second.cycle_ended("db1", CycleResult::kFailed, at(1'700'000'120), 1);
    second.write();
  }
  testing::PromText m = written(path);
  EXPECT_EQ(m.value(kSuccess, {{"command", "collect"}, {"target", "db1"}}), 1'700'000'060);
  EXPECT_EQ(m.value("slowscope_cycles_total", {{"target", "db1"}}), 1);
  EXPECT_EQ(m.value("slowscope_collection_errors_total", {{"target", "db1"}}), 1);
  EXPECT_EQ(m.value(kSuccess, {{"command", "collect"}, {"target", "db3"}}), 0);
  EXPECT_TRUE(m.matching("slowscope_cycles_total", {{"target", "db2"}}).empty());

  // A run that ends before it has its targets (a bad configuration) keeps theirs.
  {
    RunMetrics broken("collect", path);
    broken.command_ended(2, false, at(1'700'000'180), 0.01);
    broken.write();
  }
  m = written(path);
  EXPECT_EQ(m.value("slowscope_last_exit_status", {{"command", "collect"}}), 2);
  EXPECT_EQ(m.value(kSuccess, {{"command", "collect"}, {"target", "db1"}}), 1'700'000'060);
  EXPECT_EQ(m.value("slowscope_collection_errors_total", {{"target", "db1"}}), 1);

  // Another command's file is not this command's history.
  {
    RunMetrics check("check", path);
    check.command_ended(3, false, at(1'700'000'240), 2);
    check.write();
  }
  m = written(path);
  EXPECT_EQ(m.value(kSuccess, {{"command", "check"}}), 0);
  EXPECT_TRUE(m.matching("slowscope_cycles_total").empty());
  {
    RunMetrics check("check", path);
    check.command_ended(1, true, at(1'700'000'300), 2);
    check.write();
  }
  {
    RunMetrics check("check", path);
    check.command_ended(2, false, at(1'700'000'360), 2);
    check.write();
  }
  m = written(path);
  EXPECT_EQ(m.value(kSuccess, {{"command", "check"}}), 1'700'000'300);
  EXPECT_EQ(m.value("slowscope_last_run_timestamp_seconds", {{"command", "check"}}), 1'700'000'360);
  EXPECT_EQ(m.value("slowscope_last_exit_status", {{"command", "check"}}), 2);
}

TEST(RunMetrics, ReadsOpenFindingsAndTheOutboxFromTheStore) {
  TempDir dir;
  Store store = Store::open(StoreLocation::parse("sqlite:" + dir.file("s.db")));
  const ServerIdentity server{"7300000000000000001", "15"};
  for (const char* target : {"db1", "db2"}) {
    store.ensure_target(target, Engine::kPostgres);
    CycleWrite cycle{target, server, StoreTime(std::chrono::seconds(1'700'000'000)), {}, {},
                     {},     {}};
    cycle.new_statements.push_back(
        {{"1", "10", "q1", true}, {"shape-1", "select * from secret_table where a = ?", {}}, ""});
    store.write_cycle(cycle);
  }
  FindingRecord finding;
  finding.target = "db1";
  finding.shape_hash = "shape-1";
  finding.kind = "latency";
  finding.severity = "critical";
  finding.evidence = "{}";
  store.update_findings(
      "db1", {}, [&](const std::vector<FindingRecord>&) { return FindingsUpdate({finding}); });
  OutboxAlert alert;
  alert.target = "db1";
  alert.dedup_key = "k";
  alert.action = "trigger";
  alert.severity = "critical";
  alert.summary = "select * from secret_table";
  alert.document = "{}";
  alert.sinks = {"hook", "old"};
  store.queue_alerts("db1", {alert}, {}, StoreTime(std::chrono::seconds(1'700'000'000)));

  RunMetrics metrics("collect", dir.file("m.prom"));
  metrics.add_targets({"db1", "db2"});
  metrics.add_sinks({"hook", "chat"});
  metrics.read_store(store, "db1");
  metrics.write();
  testing::PromText m = written(dir.file("m.prom"));
  const std::string open = "slowscope_findings_open";
  EXPECT_EQ(m.value(open, {{"target", "db1"}, {"kind", "latency"}, {"severity", "critical"}}), 1);
  EXPECT_EQ(m.value(open, {{"target", "db1"}, {"kind", "latency"}, {"severity", "warning"}}), 0);
  EXPECT_EQ(m.value(open, {{"target", "db1"}, {"kind", "trend"}, {"severity", "critical"}}), 0);
  EXPECT_EQ(m.matching(open, {{"target", "db1"}}).size(), 12u);  // 6 kinds × 2 severities
  EXPECT_TRUE(m.matching(open, {{"target", "db2"}}).empty());    // not read yet
  const std::string outbox = "slowscope_alert_outbox_deliveries";
  EXPECT_EQ(m.value(outbox, {{"sink", "hook"}, {"state", "pending"}}), 1);
  EXPECT_EQ(m.value(outbox, {{"sink", "hook"}, {"state", "failed"}}), 0);
  EXPECT_EQ(m.value(outbox, {{"sink", "old"}, {"state", "pending"}}), 1);  // not configured
  EXPECT_EQ(m.value(outbox, {{"sink", "chat"}, {"state", "pending"}}), 0);
  // Names and counts only: the shape's text and the alert's summary stay in the store.
  EXPECT_EQ(read_file(dir.file("m.prom")).find("secret_table"), std::string::npos);

  // Every target at once, as collect reads the store at its end.
  metrics.read_store(store, "");
  metrics.write();
  m = written(dir.file("m.prom"));
  EXPECT_EQ(m.matching(open, {{"target", "db2"}}).size(), 12u);
}

TEST(RunMetrics, CountsTheChecksFindingsOfEvaluatedTargets) {
  TempDir dir;
  CheckResult result;
  TargetCheck orders;
  orders.target = "orders";
  orders.evaluated = true;
  Finding slower;
  slower.key = {"orders", "shape-1", FindingKind::kLatency};
  slower.severity = Severity::kCritical;
  slower.fingerprint = "select * from secret_table";
  Finding more = slower;
  more.key.shape_hash = "shape-2";
  orders.findings = {slower, more};
  TargetCheck billing;
  billing.target = "billing";
  billing.reason = "no samples";
  result.targets = {orders, billing};
  RunMetrics metrics("check", dir.file("m.prom"));
  metrics.check_findings(result);
  metrics.command_ended(1, true, at(1'700'000'000), 1.5);
  metrics.write();
  const testing::PromText m = written(dir.file("m.prom"));
  const std::string checked = "slowscope_check_findings";
  EXPECT_EQ(m.value(checked, {{"target", "orders"}, {"kind", "latency"}, {"severity", "critical"}}),
            2);
  EXPECT_EQ(m.value(checked, {{"target", "orders"}, {"kind", "vanished"}, {"severity", "warning"}}),
            0);
  EXPECT_TRUE(m.matching(checked, {{"target", "billing"}}).empty());
  EXPECT_EQ(m.value("slowscope_last_exit_status", {{"command", "check"}}), 1);
  EXPECT_EQ(m.value(kSuccess, {{"command", "check"}}), 1'700'000'000);
  EXPECT_EQ(m.value("slowscope_last_run_duration_seconds", {{"command", "check"}}), 1.5);
  EXPECT_EQ(read_file(dir.file("m.prom")).find("secret_table"), std::string::npos);
}

TEST(RunMetrics, ReplacesTheFileWholeWhileThreadsWriteIt) {
  TempDir dir;
  const std::string path = dir.file("m.prom");
  RunMetrics metrics("collect", path);
  const std::vector<std::string> targets = {"a", "b", "c", "d"};
  metrics.add_targets(targets);
  metrics.write();
  constexpr int kCycles = 150;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::vector<std::string> bad;
  std::thread reader([&] {
    while (!done) {
      const std::string text = read_file(path);
      const testing::PromText m = read_prom_text(text);
      // Every read is a whole file: each target's counters are there.
      if (!m.errors.empty() || m.matching("slowscope_cycles_total").size() != targets.size()) {
        bad.push_back(text);
      }
      ++reads;
    }
  });
  std::vector<std::thread> writers;
  for (const std::string& target : targets) {
    writers.emplace_back([&, target] {
      for (int i = 0; i < kCycles; ++i) {
        metrics.cycle_ended(target, CycleResult::kRan, Clock::now(), 0.001);
        metrics.write_or_warn();
      }
    });
  }
  for (std::thread& t : writers) t.join();
  while (reads < 10) std::this_thread::yield();
  done = true;
  reader.join();
  EXPECT_TRUE(bad.empty()) << bad.size() << " partial reads, e.g.:\n" << bad.front();
  // The last write holds the newest state: every cycle of every target.
  const testing::PromText m = written(path);
  for (const std::string& target : targets) {
    EXPECT_EQ(m.value("slowscope_cycles_total", {{"target", target}}), kCycles) << target;
  }
  // Nothing left behind but the file.
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    files.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(files, std::vector<std::string>{"m.prom"});
}

TEST(RunMetrics, WritesMode0644WhateverTheUmaskAndSaysWhyItCannotWrite) {
  TempDir dir;
  const mode_t before = ::umask(077);
  RunMetrics metrics("report", dir.file("m.prom"));
  metrics.command_ended(0, true, Clock::now(), 1);
  metrics.write();
  ::umask(before);
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("m.prom").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);

  RunMetrics nowhere("report", dir.file("missing/m.prom"));
  nowhere.command_ended(0, true, Clock::now(), 1);
  try {
    nowhere.write();
    ADD_FAILURE() << "wrote into a folder that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.file("missing/m.prom")), std::string::npos)
        << e.what();
  }
  EXPECT_NO_THROW(nowhere.write_or_warn());
}

}  // namespace
}  // namespace slowscope
