// `config check` calls a configuration valid only when `collect` starts with it: each file
// `collect` refuses after reading it — no targets, a password file it cannot read,
// detection settings no pass can use — `config check` refuses with the same message, both
// exit 2; and what `collect`'s command line overrides is held to the same rule.
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

}  // namespace
}  // namespace slowscope::testing
