// The post-release check over a real (SQLite) store: a shape that got twice as slow after
// the release is found with its evidence; an unchanged history is not; missing data gives
// "could not evaluate"; and `slowscope check` maps all of it to its exit codes.
#include "analyzer/regression/release_check.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analyzer/time/utc_time.h"

#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"

namespace slowscope {
namespace {

using testing::run_slowscope;
using testing::TempDir;

using testing::write_history;

constexpr int64_t kInterval = testing::kHistoryInterval;

class ReleaseCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.emplace(Store::open(StoreLocation::parse("sqlite:" + dir_.file("s.db"))));
    store_->ensure_target("orders", Engine::kPostgres);
  }
  int64_t now_ = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count() /
                 kInterval * kInterval;
  int64_t release_ = now_ - 3600;
  TempDir dir_;
  std::optional<Store> store_;
  CheckOptions options_{
      std::chrono::minutes(30), std::chrono::hours(2), {}, BaselineMode::kPrevious};
};

TEST_F(ReleaseCheckTest, FindsTheShapeThatGotSlower) {
  write_history(*store_, release_ - 7200, release_ + 1800, [&](const std::string& name, int64_t t) {
    return name == "slow" && t >= release_ ? 0.020 : 0.010;
  });
  store_->add_release({"v2", StoreTime(std::chrono::seconds(release_)), {}, {}});
  const CheckResult r = check_release(*store_, *store_->release("v2"), options_,
                                      StoreTime(std::chrono::seconds(now_)));
  ASSERT_EQ(r.targets.size(), 1u);
  const TargetCheck& t = r.targets[0];
  ASSERT_TRUE(t.evaluated) << t.reason;
  EXPECT_EQ(t.shapes_compared, 2);
  ASSERT_EQ(t.findings.size(), 1u);
  const Finding& f = t.findings[0];
  EXPECT_EQ(f.key.id(), "orders/shape-slow/latency");
  EXPECT_EQ(f.release, "v2");
  EXPECT_NEAR(f.ratio, 2.0, 1e-9);
  EXPECT_EQ(f.before_calls, 120 * 20);
  EXPECT_EQ(r.baseline.back().until, StoreTime(std::chrono::seconds(release_)));
  EXPECT_EQ(f.after_calls, 30 * 20);
  // 10 ms more per call, 600 calls in half an hour: 12 s per hour.
  EXPECT_NEAR(f.added_seconds_per_hour, 12.0, 1e-6);
  EXPECT_EQ(r.exit_code(Severity::kWarning), 1);
  EXPECT_EQ(r.exit_code(Severity::kCritical), 0);  // 2x is a warning
}

// A release at 12:00:30 with 60 s buckets: the 12:00 bucket holds calls from before and
// after it, so it is in neither window — the post window starts with 12:01, the baseline
// ends at 12:00. Here that bucket is absurdly slow: counted on either side, it would move
// the means (and the ratio off 2.0) and the calls.
TEST_F(ReleaseCheckTest, TheBucketHoldingTheReleaseIsInNeitherWindow) {
  write_history(*store_, release_ - 7200, release_ + 1800, [&](const std::string& name, int64_t t) {
    if (t == release_) return 10.0;  // the mixed bucket
    return name == "slow" && t > release_ ? 0.020 : 0.010;
  });
  const int64_t at = release_ + 30;
  store_->add_release({"v2", StoreTime(std::chrono::seconds(at)), {}, {}});
  const CheckResult r = check_release(*store_, *store_->release("v2"), options_,
                                      StoreTime(std::chrono::seconds(now_)));
  ASSERT_EQ(r.targets.size(), 1u);
  const TargetCheck& t = r.targets[0];
  ASSERT_TRUE(t.evaluated) << t.reason;
  EXPECT_EQ(t.windows.baseline.back().until, StoreTime(std::chrono::seconds(release_)));
  EXPECT_EQ(r.baseline.back().until, StoreTime(std::chrono::seconds(release_)));
  EXPECT_EQ(r.post_from, StoreTime(std::chrono::seconds(at)));
  ASSERT_EQ(t.findings.size(), 1u);
  const Finding& f = t.findings[0];
  EXPECT_EQ(f.key.id(), "orders/shape-slow/latency");
  EXPECT_NEAR(f.ratio, 2.0, 1e-9);
  EXPECT_NEAR(f.before_mean, 0.010, 1e-12);
  EXPECT_NEAR(f.after_mean, 0.020, 1e-12);
  // 12:00:30 - 2 h to 12:00: 119.5 minutes of buckets, the first starting at 10:01.
  EXPECT_EQ(f.before_calls, 119 * 20);
  EXPECT_EQ(f.after_calls, 29 * 20);  // 12:01 to 12:29 (the history ends at 12:30)

  // The same through the command: the JSON names the baseline it used.
  const auto cli = run_slowscope(
      "check --release v2 --window 30m --baseline 2h --format json"
      " --store sqlite:" +
      dir_.file("s.db"));
  ASSERT_EQ(cli.exit_code, 1) << cli.err;
  const nlohmann::json doc = nlohmann::json::parse(cli.out);
  EXPECT_EQ(doc["baseline"]["until"], format_utc(release_ * 1'000'000));
  EXPECT_EQ(doc["post"]["from"], format_utc(at * 1'000'000));
  EXPECT_EQ(doc["targets"][0]["findings"][0]["before_calls"], 119 * 20)
      << doc["targets"][0]["findings"][0].dump();
}
TEST_F(ReleaseCheckTest, AnUnchangedHistoryPasses) {
  write_history(*store_, release_ - 7200, release_ + 1800,
                [](const std::string&, int64_t) { return 0.010; });
  store_->add_release({"v2", StoreTime(std::chrono::seconds(release_)), {"orders"}, {}});
  const CheckResult r = check_release(*store_, *store_->release("v2"), options_,
                                      StoreTime(std::chrono::seconds(now_)));
  ASSERT_TRUE(r.targets[0].evaluated);
  EXPECT_TRUE(r.targets[0].findings.empty());
  EXPECT_EQ(r.exit_code(Severity::kWarning), 0);
}

TEST_F(ReleaseCheckTest, SaysWhyItCannotEvaluate) {
  // Samples only before the release: nothing to compare after it.
  write_history(*store_, release_ - 7200, release_,
                [](const std::string&, int64_t) { return 0.010; });
  store_->add_release({"v2", StoreTime(std::chrono::seconds(release_)), {}, {}});
  CheckResult r = check_release(*store_, *store_->release("v2"), options_,
                                StoreTime(std::chrono::seconds(now_)));
  EXPECT_FALSE(r.targets[0].evaluated);
  EXPECT_NE(r.targets[0].reason.find("no samples in the post window"), std::string::npos);
  EXPECT_EQ(r.exit_code(Severity::kWarning), 3);
  // No history before a release long ago: no baseline.
  store_->add_release({"old", StoreTime(std::chrono::seconds(release_ - 7200)), {}, {}});
  r = check_release(
      *store_, *store_->release("old"),
      CheckOptions{std::chrono::minutes(30), std::chrono::minutes(10), {}, BaselineMode::kPrevious},
      StoreTime(std::chrono::seconds(now_)));
  EXPECT_FALSE(r.targets[0].evaluated);
  EXPECT_NE(r.targets[0].reason.find("no baseline"), std::string::npos);
}

TEST_F(ReleaseCheckTest, SaysWhenThePostWindowWasPruned) {
  // A release 10 days ago: its minutes are past the 7-day raw retention, its hours are not.
  const int64_t old = release_ - 10 * 86400;
  write_history(*store_, old - 7200, old + 1800, [](const std::string&, int64_t) { return 0.010; });
  store_->rollup_and_prune(StoreTime(std::chrono::seconds(now_)), Retention{});
  store_->add_release({"v1", StoreTime(std::chrono::seconds(old)), {}, {}});
  const CheckResult r = check_release(*store_, *store_->release("v1"), options_,
                                      StoreTime(std::chrono::seconds(now_)));
  EXPECT_FALSE(r.targets[0].evaluated);
  EXPECT_NE(r.targets[0].reason.find("per-interval samples were pruned"), std::string::npos)
      << r.targets[0].reason;
  EXPECT_NE(r.targets[0].reason.find("30 min window"), std::string::npos);
  EXPECT_EQ(r.exit_code(Severity::kWarning), 3);
}

TEST_F(ReleaseCheckTest, TheCommandGatesOnItsExitCodes) {
  write_history(*store_, release_ - 7200, release_ + 1800, [&](const std::string& name, int64_t t) {
    return name == "slow" && t >= release_ ? 0.040 : 0.010;
  });
  store_->add_release({"v2", StoreTime(std::chrono::seconds(release_)), {}, {}});
  store_.reset();
  const std::string store = " --store sqlite:" + dir_.file("s.db") + " --baseline 2h";
  auto r = run_slowscope("check --release v2 --format json" + store);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json found = nlohmann::json::parse(r.out);
  EXPECT_TRUE(testing::matches_schema(found, "reports/json/schemas/check-1.schema.json"));
  EXPECT_EQ(found["targets"][0]["findings"][0]["id"], "orders/shape-slow/latency");
  EXPECT_EQ(found["targets"][0]["findings"][0]["release"], "v2");
  r = run_slowscope("check --release v2" + store);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("critical  latency  shape-slow"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("shape-fast"), std::string::npos) << r.out;

  r = run_slowscope("check --release v2 --format json --min-ratio 5" + store);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema"], "slowscope.check/1");
  EXPECT_EQ(doc["verdict"], "no regression");
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/check-1.schema.json"));

  r = run_slowscope("check --release nope" + store);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no release named 'nope'"), std::string::npos) << r.err;
  r = run_slowscope("check --release v2 --window banana" + store);
  EXPECT_EQ(r.exit_code, 2);
  r = run_slowscope("check" + store);
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace slowscope
