// Command-line values as users type them, checked by the rules slowscope.yaml's keys are
// checked by: a threshold the file refuses is refused on the command line in the same
// words (and one it takes, like `min_delta: 1ms`, is taken), counts say "at least 1"
// instead of printing the largest double, times too far away to count are refused instead
// of wrapping around, a range with one bound in the wrong place names that bound, and
// `digest` options that apply only with --store are refused without it.
#include <gtest/gtest.h>

#include <fstream>

#include "analyzer/config/config.h"
#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"

namespace slowscope::testing {
namespace {

constexpr size_t npos = std::string::npos;

// The message slowscope.yaml gets for `detection: {key: value}`, from its key on.
std::string yaml_message(const std::string& key, const std::string& value) {
  try {
    parse_config("detection:\n  " + key + ": " + value + "\n", "test.yaml", ".");
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    const size_t at = what.find("detection." + key + ": ");
    return at == npos ? what : what.substr(at + std::string("detection." + key + ": ").size());
  }
  return "accepted";
}

class OptionRulesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir_.file("s.db")));
    store.ensure_target("orders", Engine::kPostgres);
    store.add_release({"v1", StoreTime(std::chrono::seconds(1'700'000'000)), {}, {}});
    store_ = " --store sqlite:" + dir_.file("s.db");
  }

  TempDir dir_;
  std::string store_;
};

TEST_F(OptionRulesCli, CheckThresholdsAreReadByTheConfigurationsRules) {
  struct Case {
    std::string option, key, value;
  };
  // Each refused by slowscope.yaml; the command line must say the same after its option.
  const std::vector<Case> refused = {{"--min-ratio", "min_ratio", "0.5"},
                                     {"--min-calls", "min_calls", "-5"},
                                     {"--min-calls", "min_calls", "0"},
                                     {"--min-delta", "min_delta", "fast"},
                                     {"--fdr", "fdr", "1"},
                                     {"--fdr", "fdr", "0"}};
  for (const Case& c : refused) {
    const std::string expected = yaml_message(c.key, c.value);
    ASSERT_NE(expected, "accepted") << c.key << ": " << c.value;
    const RunResult r = run_slowscope("check --release v1 " + c.option + " " + c.value + store_);
    EXPECT_EQ(r.exit_code, 2) << c.option << " " << c.value << "\n" << r.err;
    EXPECT_NE(r.err.find(c.option + ": " + expected), npos) << c.option << " " << c.value << "\n"
                                                            << r.err << "\nexpected: " << expected;
  }
  // What the file takes, the command line takes: min_delta as a duration, or seconds.
  for (const std::string delta : {"1ms", "0.5ms", "0.002"}) {
    ASSERT_EQ(yaml_message("min_delta", delta), "accepted");
    const RunResult r = run_slowscope("check --release v1 --min-delta " + delta + store_);
    EXPECT_EQ(r.exit_code, 3) << delta << "\n" << r.err;  // evaluated: no samples yet
    EXPECT_NE(r.out.find("orders: not evaluated"), npos) << r.out;
  }
  const RunResult spans = run_slowscope("check --release v1 --window 0s" + store_);
  EXPECT_EQ(spans.exit_code, 2);
  EXPECT_NE(spans.err.find("--window: " + yaml_message("window", "0s")), npos) << spans.err;
  const RunResult trends = run_slowscope("trends --min-ratio 0.9" + store_);
  EXPECT_EQ(trends.exit_code, 2);
  EXPECT_NE(trends.err.find("--min-ratio: " + yaml_message("min_ratio", "0.9")), npos)
      << trends.err;
}

TEST_F(OptionRulesCli, CollectDetectionOverridesAreReadByTheConfigurationsRules) {
  struct Case {
    std::string option, key, value;
  };
  for (const Case& c : std::vector<Case>{{"--detect-every", "every", "0"},
                                         {"--resolve-after", "resolve_after", "-1"},
                                         {"--detect-window", "window", "0s"},
                                         {"--detect-baseline", "baseline", "7x"}}) {
    const std::string expected = yaml_message(c.key, c.value);
    ASSERT_NE(expected, "accepted") << c.key;
    // Refused while parsing: no configuration file is read.
    const RunResult r = run_slowscope("collect --once --config " + dir_.file("none.yaml") + " " +
                                      c.option + " " + c.value);
    EXPECT_EQ(r.exit_code, 2) << c.option;
    EXPECT_NE(r.err.find(c.option + ": " + expected), npos) << r.err << "\nexpected: " << expected;
  }
}

TEST_F(OptionRulesCli, CountsOfZeroSayAtLeastOne) {
  for (const std::string& command :
       std::vector<std::string>{"top --limit 0" + store_, "digest --limit 0 /dev/null",
                                "check --release v1 --surge-ratio 0" + store_}) {
    const RunResult r = run_slowscope(command);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_TRUE(r.err.find("at least 1, got '0'") != npos || r.err.find("above 0") != npos)
        << command << "\n"
        << r.err;
    // Never the range's upper end of 1.8e308 written out in 300 digits.
    EXPECT_EQ(r.err.find("179769313486231570814527423731704356798070567525844996598917"), npos)
        << command << "\n"
        << r.err;
    EXPECT_LT(r.err.size(), 200u) << command << "\n" << r.err;
  }
}

TEST_F(OptionRulesCli, TimesTooFarAwayAreRefusedNotWrappedAround) {
  for (const std::string since : {"99999999999999999d", "1e300", "3000000d"}) {
    const RunResult r = run_slowscope("top --since " + since + store_);
    EXPECT_EQ(r.exit_code, 2) << since << "\n" << r.out;
    EXPECT_NE(r.err.find("time '" + since + "' is out of range"), npos) << since << "\n" << r.err;
    EXPECT_EQ(r.out, "") << since;
  }
  const RunResult digest = run_slowscope("digest --since 99999999999999999d /dev/null");
  EXPECT_EQ(digest.exit_code, 2);
  EXPECT_NE(digest.err.find("out of range"), npos) << digest.err;
}

TEST_F(OptionRulesCli, ARangeWithABoundInTheWrongPlaceNamesIt) {
  const RunResult since = run_slowscope("top --since 2099-01-01" + store_);
  EXPECT_EQ(since.exit_code, 2);
  EXPECT_NE(since.err.find("--since 2099-01-01 (2099-01-01T00:00:00Z) is not in the past"), npos)
      << since.err;
  const RunResult from = run_slowscope("release list --from '2099-01-01 12:00'" + store_);
  EXPECT_EQ(from.exit_code, 2);
  EXPECT_NE(from.err.find("--from 2099-01-01 12:00 (2099-01-01T12:00:00Z) is not in the past"),
            npos)
      << from.err;
  const RunResult findings = run_slowscope("findings --since 2099-01-01" + store_);
  EXPECT_EQ(findings.exit_code, 2);
  EXPECT_NE(findings.err.find("--since 2099-01-01 (2099-01-01T00:00:00Z) is not in the past"), npos)
      << findings.err;
  const RunResult until = run_slowscope("show 0123456789abcdef --until 2001-01-01" + store_);
  EXPECT_EQ(until.exit_code, 2);
  EXPECT_NE(until.err.find("--until 2001-01-01 (2001-01-01T00:00:00Z) is not after the range's "
                           "default start, 24h ago; give --since or --from too"),
            npos)
      << until.err;
  const RunResult both = run_slowscope("top --since 2h --until 3h" + store_);
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find(") is not after --since 2h ("), npos) << both.err;
}

TEST(DigestOptionsCli, StoreOnlyOptionsNeedStore) {
  TempDir dir;
  const std::string log = data_path("slowlogs/hand-mysql57.log");
  for (const std::string option : {"--target shop", "--interval 5m"}) {
    const RunResult r = run_slowscope("digest " + log + " " + option);
    EXPECT_EQ(r.exit_code, 2) << option;
    EXPECT_NE(r.err.find(option.substr(0, option.find(' ')) + " applies only with --store"), npos)
        << r.err;
    EXPECT_EQ(r.out, "") << option;  // no report that looks like the logs were stored
  }
  // A target's name follows the rule of targets[].name in slowscope.yaml.
  const RunResult named =
      run_slowscope("digest " + log + " --store sqlite:" + dir.file("s.db") + " --target Shop");
  EXPECT_EQ(named.exit_code, 2);
  EXPECT_NE(named.err.find("--target: 'Shop' must match [a-z0-9][a-z0-9_.-]*"), npos) << named.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("s.db")));
}

// Every command's --help, the groups `release` and `config` too, ends with its exit
// statuses, as scripts and CI need them.
TEST(HelpCli, EveryCommandListsItsExitStatus) {
  for (const std::string command :
       {"digest", "collect", "top", "show", "release", "release add", "release list", "check",
        "trends", "findings", "config", "config check"}) {
    const RunResult r = run_slowscope(command + " --help");
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    const size_t statuses = r.out.find("Exit status");
    ASSERT_NE(statuses, npos) << command << "\n" << r.out;
    EXPECT_NE(r.out.find("2 ", statuses), npos) << command << ": the usage error's status\n"
                                                << r.out;
  }
}

}  // namespace
}  // namespace slowscope::testing
