// --metrics-file as users run it, through the binary: `check` and `report` leave their
// outcome (exit status, last success carried over a failure, the check's findings) in a file
// Prometheus reads; `collect` refuses a path it cannot write before it starts; and each
// command's --help names the option. (Collect's file against a real PostgreSQL:
// tests/postgres/postgres_metrics_test.cpp.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"
#include "tests/support/prometheus_text_check.h"

namespace slowscope {
namespace {

using testing::read_file;
using testing::run_slowscope;
using testing::TempDir;

constexpr const char* kSuccess = "slowscope_last_success_timestamp_seconds";
constexpr const char* kLastRun = "slowscope_last_run_timestamp_seconds";
constexpr const char* kStatus = "slowscope_last_exit_status";

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

testing::PromText written(const std::string& path) {
  const std::string text = read_file(path);
  EXPECT_TRUE(testing::is_prom_text(text));
  return testing::read_prom_text(text);
}

class MetricsCli : public ::testing::Test {
 protected:
  // A store where shape "slow" of target "orders" got four times slower at release v2.
  void SetUp() override {
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir_.file("s.db")));
    store.ensure_target("orders", Engine::kPostgres);
    const int64_t now = now_seconds() / 60 * 60;
    const int64_t release = now - 3600;
    testing::write_history(store, release - 7200, release + 1800,
                           [&](const std::string& name, int64_t t) {
                             return name == "slow" && t >= release ? 0.040 : 0.010;
                           });
    store.add_release({"v2", StoreTime(std::chrono::seconds(release)), {}, {}});
  }

  TempDir dir_;
  const std::string store_ = " --store sqlite:" + dir_.file("s.db");
};

TEST_F(MetricsCli, CheckLeavesItsVerdictAndFindings) {
  const std::string metrics = dir_.file("check.prom");
  const int64_t before = now_seconds();
  auto r = run_slowscope("check --release v2 --baseline 2h --metrics-file " + metrics + store_);
  ASSERT_EQ(r.exit_code, 1) << r.err;
  testing::PromText m = written(metrics);
  EXPECT_EQ(m.value(kStatus, {{"command", "check"}}), 1);
  const double success = m.value(kSuccess, {{"command", "check"}});
  EXPECT_GE(success, before);
  EXPECT_LE(success, now_seconds());
  EXPECT_EQ(m.value(kLastRun, {{"command", "check"}}), success);
  EXPECT_GE(m.value("slowscope_last_run_duration_seconds", {{"command", "check"}}), 0);
  const std::string checked = "slowscope_check_findings";
  EXPECT_EQ(m.value(checked, {{"target", "orders"}, {"kind", "latency"}, {"severity", "critical"}}),
            1);
  EXPECT_EQ(
      m.value(checked, {{"target", "orders"}, {"kind", "new_shape"}, {"severity", "warning"}}), 0);
  for (const testing::PromSample& s : m.samples) {
    EXPECT_EQ(s.name.rfind("slowscope_", 0), 0u) << s.name;
    for (const auto& [label, value] : s.labels) {
      EXPECT_TRUE(label == "command" || label == "target" || label == "kind" || label == "severity")
          << label;
    }
  }
  const std::string text = read_file(metrics);
  EXPECT_EQ(text.find("select"), std::string::npos) << "query text in the metrics";
  EXPECT_EQ(text.find("v2"), std::string::npos) << "a release name is no label";
  struct stat st {};
  ASSERT_EQ(::stat(metrics.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);

  // A check that cannot give a verdict keeps the last success the file had.
  r = run_slowscope("check --release nope --metrics-file " + metrics + store_);
  ASSERT_EQ(r.exit_code, 2) << r.err;
  m = written(metrics);
  EXPECT_EQ(m.value(kStatus, {{"command", "check"}}), 2);
  EXPECT_EQ(m.value(kSuccess, {{"command", "check"}}), success);
  EXPECT_GE(m.value(kLastRun, {{"command", "check"}}), success);
  EXPECT_TRUE(m.matching(checked).empty());

  // A passing check is a success too; its findings are zeros.
  r = run_slowscope("check --release v2 --baseline 2h --min-ratio 5 --metrics-file " + metrics +
                    store_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  m = written(metrics);
  EXPECT_EQ(m.value(kStatus, {{"command", "check"}}), 0);
  EXPECT_EQ(m.value(checked, {{"target", "orders"}, {"kind", "latency"}, {"severity", "critical"}}),
            0);
}

TEST_F(MetricsCli, ReportLeavesItsOutcome) {
  const std::string metrics = dir_.file("report.prom");
  auto r = run_slowscope("report --since 4h --json " + dir_.file("r.json") + " --metrics-file " +
                         metrics + store_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::PromText m = written(metrics);
  EXPECT_EQ(m.value(kStatus, {{"command", "report"}}), 0);
  const double success = m.value(kSuccess, {{"command", "report"}});
  EXPECT_GT(success, 0);
  EXPECT_EQ(m.value(kLastRun, {{"command", "report"}}), success);

  // Nothing to report (exit 3) is no success.
  r = run_slowscope("report --from 2001-01-01 --until 2001-01-02 --json " + dir_.file("r.json") +
                    " --metrics-file " + metrics + store_);
  ASSERT_EQ(r.exit_code, 3) << r.err;
  m = written(metrics);
  EXPECT_EQ(m.value(kStatus, {{"command", "report"}}), 3);
  EXPECT_EQ(m.value(kSuccess, {{"command", "report"}}), success);
}

TEST_F(MetricsCli, AFileThatCannotBeWrittenIsSaid) {
  // check and report: the verdict stands, the error is logged.
  auto r = run_slowscope("check --release v2 --baseline 2h --metrics-file " +
                         dir_.file("missing/check.prom") + store_);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--metrics-file: cannot create " + dir_.file("missing/check.prom")),
            std::string::npos)
      << r.err;

  // collect: refused before the first cycle, as a bad setting.
  std::ofstream(dir_.file("slow.log")) << "";
  std::ofstream(dir_.file("slowscope.yaml"))
      << "store: sqlite:" << dir_.file("c.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: shop\n    engine: mysql\n    source: slow_log_file\n"
      << "    slow_log: " << dir_.file("slow.log") << "\n";
  r = run_slowscope("collect --once --config " + dir_.file("slowscope.yaml") + " --metrics-file " +
                    dir_.file("missing/collect.prom"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--metrics-file: cannot create"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("c.db"))) << "a cycle ran: " << r.err;

  // Written, the file of a slow-log target has no dealloc count (PostgreSQL's alone).
  r = run_slowscope("collect --once --config " + dir_.file("slowscope.yaml") + " --metrics-file " +
                    dir_.file("collect.prom"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const testing::PromText m = written(dir_.file("collect.prom"));
  EXPECT_EQ(m.value("slowscope_cycles_total", {{"target", "shop"}}), 1);
  EXPECT_EQ(m.value(kStatus, {{"command", "collect"}}), 0);
  EXPECT_TRUE(m.matching("slowscope_pg_stat_statements_dealloc_total").empty());
}

TEST(MetricsHelp, EachCommandNamesTheOption) {
  for (const char* command : {"collect", "check", "report"}) {
    const auto r = run_slowscope(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("--metrics-file PATH"), std::string::npos) << command << r.out;
    EXPECT_NE(r.out.find("docs/METRICS.md"), std::string::npos) << command << r.out;
  }
}

}  // namespace
}  // namespace slowscope
