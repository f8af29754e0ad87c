// `config check` calls a configuration valid only when `collect` starts with it: each file
// `collect` refuses after reading it — no targets, a password file it cannot read,
// detection settings no pass can use, an alert sink's secret it cannot read — `config
// check` refuses with the same message, both exit 2; and what `collect`'s command line
// overrides is held to the same rule. It lists the alert sinks with where their secrets
// come from, never the secrets, and warns about secret files others may read.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/digest/digest_cli.h"

namespace slowscope::testing {
namespace {

constexpr size_t npos = std::string::npos;

// A configuration in its own folder; the store's folder does not exist, so that a `collect`
// that got past its checks would fail to open it instead of collecting.
class ConfigCheckCli : public ::testing::Test {
 protected:
  std::string write(const std::string& yaml) {
    std::ofstream(dir_.file("slowscope.yaml")) << "store: sqlite:./missing/s.db\n" << yaml;
    return dir_.file("slowscope.yaml");
  }

  // Runs `config check` and `collect --once` on `config` (as an unprivileged user with
  // `unprivileged`) and expects both to refuse it with `message`.
  void expect_both_refuse(const std::string& config, const std::string& message,
                          bool unprivileged = false) {
    const auto run = [&](const std::string& args) {
      return unprivileged ? run_slowscope_unprivileged(args) : run_slowscope(args);
    };
    const RunResult check = run("config check --config " + config);
    EXPECT_EQ(check.exit_code, 2) << check.out << check.err;
    EXPECT_NE(check.err.find(message), npos) << check.err;
    EXPECT_EQ(check.out.find("valid"), npos) << check.out;
    const RunResult collect = run("collect --once --config " + config);
    EXPECT_EQ(collect.exit_code, 2) << collect.err;
    EXPECT_NE(collect.err.find(message), npos) << collect.err;
    EXPECT_FALSE(std::filesystem::exists(dir_.file("missing")));
  }

  TempDir dir_;
};

TEST_F(ConfigCheckCli, AFileWithoutTargetsIsNotValid) {
  expect_both_refuse(write(""), "no targets: `collect` has nothing to collect");
  expect_both_refuse(write("targets: []\n"), "no targets");
}

TEST_F(ConfigCheckCli, ASameHoursWindowLongerThan23HoursIsRefusedWhereItIsWritten) {
  const std::string message =
      "window 1d is longer than baseline_mode same-hours allows (23h: its clock hours on each "
      "day before must not overlap)";
  expect_both_refuse(write("detection: {window: 1d}\n"),
                     "slowscope.yaml:2:12: detection: " + message);
  // A target's own settings over the file's: the target's section is named.
  expect_both_refuse(write("detection: {window: 1d, baseline_mode: previous}\n"
                           "targets:\n"
                           "  - name: orders\n"
                           "    engine: postgres\n"
                           "    dsn: \"host=/nowhere dbname=orders\"\n"
                           "    detection: {baseline_mode: same-hours}\n"),
                     "targets[0].detection: " + message);

  // 23h is the longest, and previous takes any window.
  const std::string fine = write(
      "detection: {window: 23h}\n"
      "targets:\n"
      "  - name: orders\n"
      "    engine: postgres\n"
      "    dsn: \"host=/nowhere dbname=orders\"\n"
      "    detection: {window: 2d, baseline_mode: previous}\n");
  const RunResult check = run_slowscope("config check --config " + fine);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("the last 2d against the 7d before"), npos) << check.out;

  // collect's command line may not make what the file allows unusable.
  const RunResult collect =
      run_slowscope("collect --once --config " + fine + " --detect-baseline-mode same-hours");
  EXPECT_EQ(collect.exit_code, 2) << collect.err;
  EXPECT_NE(collect.err.find("orders: detection window 2d is longer than baseline_mode "
                             "same-hours allows"),
            npos)
      << collect.err;
}

TEST_F(ConfigCheckCli, APasswordFileCollectCannotReadIsNotValid) {
  const std::string password = dir_.file("pw");
  std::ofstream(password) << "secret\n";
  ::chmod(password.c_str(), 0600);
  const std::string config = write(
      "targets:\n"
      "  - name: orders\n"
      "    engine: postgres\n"
      "    dsn: \"host=/nowhere dbname=orders\"\n"
      "    password_file: pw\n");
  ASSERT_EQ(run_slowscope("config check --config " + config).exit_code, 0);
  // Unreadable by whoever runs slowscope (nobody, when the test runs as root).
  ::chmod(dir_.path().c_str(), 0755);
  ::chmod(config.c_str(), 0644);
  if (::geteuid() != 0) ::chmod(password.c_str(), 0);
  bool available = true;
  run_slowscope_unprivileged("--version", &available);
  if (!available) GTEST_SKIP() << "needs setpriv as root";
  expect_both_refuse(config, "target orders: password file " + password + ": cannot open", true);
}

// The alerts section with a sink of each type, its secrets in files next to it and in an
// environment variable.
constexpr const char* kAlertsConfig =
    "targets:\n"
    "  - {name: orders, engine: postgres, dsn: \"host=/nowhere dbname=orders\"}\n"
    "alerts:\n"
    "  min_severity: error\n"
    "  report_url: https://reports.example/slowscope/latest.html\n"
    "  thresholds:\n"
    "    warning: {added_per_hour: 90s, ratio: 1.2}\n"
    "  sinks:\n"
    "    - {name: oncall, type: pagerduty, routing_key_file: pagerduty.key}\n"
    "    - {name: ops, type: opsgenie, api_key_file: opsgenie.key, url: "
    "https://api.eu.opsgenie.com}\n"
    "    - {name: victor, type: splunk_oncall, url_file: victorops.url}\n"
    "    - {name: am, type: alertmanager, url: http://127.0.0.1:9093, min_severity: warning}\n"
    "    - {name: chat, type: slack, webhook_url: env:SLOWSCOPE_CLI_TEST_SLACK_URL}\n"
    "    - {name: hook, type: webhook, url: https://hooks.example/slowscope, hmac_secret_file: "
    "hook.key}\n"
    "    - {name: log, type: file, path: ./slowscope-alerts.jsonl}\n";

// The secrets the files and the variable hold: none may appear in any output.
constexpr const char* kAlertSecrets[] = {"pd-r0uting-k3y", "0psgenie-k3y", "v1ct0r-k3y",
                                         "sl4ck-k3y", "h00k-k3y"};

class ConfigCheckAlertsCli : public ConfigCheckCli {
 protected:
  void SetUp() override {
    secret("pagerduty.key", "pd-r0uting-k3y", 0644);  // readable by others: warned about
    secret("opsgenie.key", "0psgenie-k3y", 0600);
    secret("victorops.url", "https://alert.victorops.com/integrations/v1ct0r-k3y/route", 0600);
    secret("hook.key", "h00k-k3y", 0600);
  }
  void secret(const std::string& name, const std::string& value, mode_t mode) {
    std::ofstream(dir_.file(name)) << value << "\n";
    ::chmod(dir_.file(name).c_str(), mode);
  }
  static RunResult run_with_slack_url(const std::string& args) {
    return run_slowscope_as(
        "SLOWSCOPE_CLI_TEST_SLACK_URL=https://hooks.slack.com/services/sl4ck-k3y ", args);
  }
  static void expect_no_secret(const RunResult& r) {
    for (const char* s : kAlertSecrets) {
      EXPECT_EQ(r.out.find(s), npos) << s << " in\n" << r.out;
      EXPECT_EQ(r.err.find(s), npos) << s << " in\n" << r.err;
    }
  }
};

TEST_F(ConfigCheckAlertsCli, ListsTheSinksWithWhereTheirSecretsComeFromAndWarns) {
  const std::string config = write(kAlertsConfig);
  const RunResult check = run_with_slack_url("config check --config " + config);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  const std::string dir = dir_.path().string();
  const std::string expected =
      "alerts:\n"
      "  min_severity: error\n"
      "  report_url: https://reports.example/slowscope/latest.html\n"
      "  timeout: 10s\n"
      "  thresholds: warning +90s/h and 1.2x, error +10m/h and 2x, critical +30m/h and 4x\n"
      "  sinks (7):\n"
      "    oncall (pagerduty, routing key from " +
      dir +
      "/pagerduty.key)\n"
      "    ops (opsgenie, https://api.eu.opsgenie.com, API key from " +
      dir +
      "/opsgenie.key)\n"
      "    victor (splunk_oncall, URL from " +
      dir +
      "/victorops.url)\n"
      "    am (alertmanager, http://127.0.0.1:9093, min_severity warning)\n"
      "    chat (slack, webhook URL from env:SLOWSCOPE_CLI_TEST_SLACK_URL)\n"
      "    hook (webhook, https://hooks.example/slowscope, HMAC secret from " +
      dir +
      "/hook.key)\n"
      "    log (file, " +
      dir + "/slowscope-alerts.jsonl)\n";
  EXPECT_NE(check.out.find(expected), npos) << check.out;
  EXPECT_NE(check.err.find("alert sink oncall: " + dir +
                           "/pagerduty.key is readable by others than its owner (mode 0644); "
                           "chmod 600 it"),
            npos)
      << check.err;
  expect_no_secret(check);

  // collect says it too at start (then fails on the store's missing folder).
  const RunResult collect = run_with_slack_url("collect --once --config " + config);
  EXPECT_NE(collect.err.find("alert sink oncall: " + dir + "/pagerduty.key is readable by others"),
            npos)
      << collect.err;
  expect_no_secret(collect);

  // Once it is private, no warning; a file without an alerts section says so.
  ::chmod(dir_.file("pagerduty.key").c_str(), 0600);
  const RunResult quiet = run_with_slack_url("config check --config " + config);
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("readable by others"), npos) << quiet.err;
  const RunResult none = run_slowscope(
      "config check --config " +
      write("targets:\n  - {name: orders, engine: postgres, dsn: \"dbname=orders\"}\n"));
  EXPECT_NE(none.out.find("alerts: none (no alerts section)\n"), npos) << none.out;
}

TEST_F(ConfigCheckAlertsCli, ASecretCollectCannotReadIsNotValid) {
  const std::string config = write(kAlertsConfig);
  // The variable unset (run_slowscope does not set it).
  expect_both_refuse(config,
                     "alert sink chat: webhook URL: environment variable "
                     "SLOWSCOPE_CLI_TEST_SLACK_URL is not set");
  std::filesystem::remove(dir_.file("hook.key"));
  const RunResult check = run_with_slack_url("config check --config " + config);
  EXPECT_EQ(check.exit_code, 2) << check.out;
  EXPECT_NE(check.err.find("alert sink hook: HMAC secret: secret file " + dir_.file("hook.key") +
                           ": No such file or directory"),
            npos)
      << check.err;
  expect_no_secret(check);
  const RunResult collect = run_with_slack_url("collect --once --config " + config);
  EXPECT_EQ(collect.exit_code, 2) << collect.err;
  EXPECT_NE(collect.err.find("alert sink hook: HMAC secret: secret file"), npos) << collect.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("missing")));
}

TEST_F(ConfigCheckAlertsCli, ASecretFileOnlyItsOwnerMayReadIsRefusedToOthers) {
  // The key file belongs to whoever runs the test, mode 0600; slowscope runs as another user
  // (nobody, when the test runs as root).
  const std::string config = write(
      "targets:\n"
      "  - {name: orders, engine: postgres, dsn: \"host=/nowhere dbname=orders\"}\n"
      "alerts:\n"
      "  sinks: [{name: oncall, type: pagerduty, routing_key_file: opsgenie.key}]\n");
  ASSERT_EQ(run_slowscope("config check --config " + config).exit_code, 0);
  ::chmod(dir_.path().c_str(), 0755);
  ::chmod(config.c_str(), 0644);
  if (::geteuid() != 0) ::chmod(dir_.file("opsgenie.key").c_str(), 0);
  bool available = true;
  run_slowscope_unprivileged("--version", &available);
  if (!available) GTEST_SKIP() << "needs setpriv as root";
  expect_both_refuse(config,
                     "alert sink oncall: routing key: secret file " + dir_.file("opsgenie.key") +
                         ": cannot open: Permission denied",
                     true);
}

TEST_F(ConfigCheckAlertsCli, ASecretWrittenInTheFileIsRefusedAndNotShown) {
  const std::string config = write(
      "targets:\n"
      "  - {name: orders, engine: postgres, dsn: \"host=/nowhere dbname=orders\"}\n"
      "alerts:\n"
      "  sinks: [{name: oncall, type: pagerduty, routing_key: pd-r0uting-k3y}]\n");
  expect_both_refuse(config,
                     "slowscope.yaml:5:56: alerts.sinks[0].routing_key: a secret is not written "
                     "in the file: give routing_key_file: PATH");
  const RunResult check = run_slowscope("config check --config " + config);
  expect_no_secret(check);
}

}  // namespace
}  // namespace slowscope::testing
