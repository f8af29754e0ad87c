// Every regression kind over a real (SQLite) store, through the release check: samples are
// written with Store::write_cycle as collectors write them, a change is injected at the
// release, and the check must name exactly that change — and nothing on a control history
// where only the traffic changes. Also: slow-log sketches deciding latency, and the
// same-hours baseline respecting a daily cycle.
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "analyzer/regression/release_check.h"
#include "analyzer/time/utc_time.h"
#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

using testing::run_slowscope;
using testing::TempDir;

// What one shape did in one interval.
struct Activity {
  int64_t calls = 0;
  double mean = 0.010;  // seconds per call, spread ±30% (uniformly, in the sketch)
  double blocks = 0;    // shared blocks per call
  bool sketch = false;  // a slow-log source: the sample carries a quantile sketch
};

using Workload = std::function<Activity(const std::string& shape, int64_t t)>;

class WindowComparisonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.emplace(Store::open(StoreLocation::parse("sqlite:" + dir_.file("s.db"))));
  }

  // One cycle per `interval` seconds over [from, until) with the shapes' activity.
  void write(int64_t from, int64_t until, const std::vector<std::string>& shapes,
             const Workload& workload, int64_t interval = 60) {
    const ServerIdentity server{"7300000000000000001", "15"};
    // Sketches come from slow-log sources, i.e. MySQL targets; the store reads none for
    // PostgreSQL ones.
    const bool slow_log = !shapes.empty() && workload(shapes.front(), from).sketch;
    store_->ensure_target("orders", slow_log ? Engine::kMysql : Engine::kPostgres);
    for (int64_t t = from; t < until; t += interval) {
      CycleWrite cycle{"orders", server, at(t + interval), {}, {}, {}, {}};
      for (const std::string& name : shapes) {
        const Activity a = workload(name, t);
        if (a.calls == 0) continue;
        const StatementKey key{"1", "10", name, true};
        if (known_.insert(name).second) {
          cycle.new_statements.push_back(
              {key, ShapeInfo{name, "select * from " + name + " where id = ?", {}}, "q"});
        }
        Sample s;
        s.key = key;
        s.bucket_start = at(t);
        s.interval = std::chrono::seconds(interval);
        QuantileSketch sketch;
        for (int64_t i = 0; i < a.calls; ++i) {
          const double x =
              a.mean * (0.7 + 0.6 * static_cast<double>(i) /
                                  static_cast<double>(std::max<int64_t>(1, a.calls - 1)));
          s.measures.calls += 1;
          s.measures.total_time += x;
          s.measures.sum_sq += x * x;
          sketch.add(x);
        }
        s.measures.shared_blks_hit = static_cast<int64_t>(a.blocks * static_cast<double>(a.calls));
        if (a.sketch) s.sketch = sketch.serialize();
        cycle.samples.push_back(s);
      }
      store_->write_cycle(cycle);
    }
  }

  TargetCheck check(const CheckOptions& options) {
    store_->add_release({"v" + std::to_string(++releases_), at(release_), {}, {}});
    const CheckResult r = check_release(*store_, *store_->release("v" + std::to_string(releases_)),
                                        options, at(now_));
    EXPECT_EQ(r.targets.size(), 1u);
    EXPECT_TRUE(r.targets[0].evaluated) << r.targets[0].reason;
    return r.targets[0];
  }
  TargetCheck check() { return check(options_); }

  static StoreTime at(int64_t t) { return StoreTime(std::chrono::seconds(t)); }
  static std::string utc(int64_t t) { return format_utc(t * 1'000'000); }

  static std::vector<std::string> ids(const TargetCheck& t) {
    std::vector<std::string> out;
    for (const Finding& f : t.findings) out.push_back(f.key.id());
    std::sort(out.begin(), out.end());
    return out;
  }

  int64_t now_ = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count() /
                 3600 * 3600;
  int64_t release_ = now_ - 3600;
  TempDir dir_;
  std::optional<Store> store_;
  std::set<std::string> known_;
  int releases_ = 0;
  CheckOptions options_{
      std::chrono::minutes(30), std::chrono::hours(2), {}, BaselineMode::kPrevious};
};

TEST_F(WindowComparisonTest, CallSurgeFiresOnNPlusOneAndNotOnMoreTraffic) {
  write(release_ - 7200, release_ + 1800, {"page", "lookup"}, [&](const std::string& s, int64_t t) {
    const bool after = t >= release_;
    return Activity{s == "page" ? 100 + t / 60 % 7 : (after ? 40 : 10) + t / 60 % 3};
  });
  const TargetCheck t = check();
  EXPECT_EQ(ids(t), std::vector<std::string>{"orders/lookup/call_surge"});
  ASSERT_EQ(t.findings.size(), 1u);
  EXPECT_NEAR(t.findings[0].ratio, 41.0 / 11, 0.4);
  EXPECT_GT(t.findings[0].added_seconds_per_hour, 0);
}

TEST_F(WindowComparisonTest, ControlTripledTrafficRaisesNothing) {
  write(release_ - 7200, release_ + 1800, {"page", "lookup", "scan"},
        [&](const std::string& s, int64_t t) {
          const int64_t k = t >= release_ ? 3 : 1;
          if (s == "scan") return Activity{k * 20, 0.010, 5.0 + t / 60 % 2};
          return Activity{k * ((s == "page" ? 100 : 10) + t / 60 % 3)};
        });
  const TargetCheck t = check();
  EXPECT_EQ(t.shapes_compared, 3);
  EXPECT_TRUE(t.findings.empty()) << t.findings[0].key.id();
}

TEST_F(WindowComparisonTest, RowsPerCallFiresOnAPlanChange) {
  // 5 blocks per call become 500, the time per call stays (all cached).
  write(release_ - 7200, release_ + 1800, {"page", "scan"}, [&](const std::string& s, int64_t t) {
    if (s == "page") return Activity{100};
    return Activity{20, 0.010, (t >= release_ ? 500.0 : 5.0) + t / 60 % 3};
  });
  const TargetCheck t = check();
  EXPECT_EQ(ids(t), std::vector<std::string>{"orders/scan/rows_per_call"});
  ASSERT_EQ(t.findings.size(), 1u);
  EXPECT_EQ(t.findings[0].measure, "shared blocks per call");
  EXPECT_NEAR(t.findings[0].after_value, 501, 1);
  EXPECT_EQ(t.findings[0].severity, Severity::kCritical);
}

TEST_F(WindowComparisonTest, NewAndVanishedShapes) {
  write(release_ - 7200, release_ + 1800, {"page", "fresh", "gone"},
        [&](const std::string& s, int64_t t) {
          const bool after = t >= release_;
          if (s == "fresh") return Activity{after ? 20 : 0, 0.050};
          if (s == "gone") return Activity{after ? 0 : 10};
          return Activity{100};
        });
  const TargetCheck t = check();
  EXPECT_EQ(ids(t), (std::vector<std::string>{"orders/fresh/new_shape", "orders/gone/vanished"}));
  ASSERT_EQ(t.findings.size(), 2u);
  // The new shape adds database time, the vanished one none: ranked in that order.
  EXPECT_EQ(t.findings[0].key.kind, FindingKind::kNewShape);
  EXPECT_NEAR(t.findings[0].after_value, 0.5, 0.01);  // 20 x 50 ms against 100 x 10 ms
  // 1200 calls per 12000 other calls before; 3600 other calls after (the new shape's
  // included): 360 expected.
  EXPECT_NEAR(t.findings[1].before_value, 360, 1e-6);
}

TEST_F(WindowComparisonTest, SketchesDecideLatencyAndGiveQuantiles) {
  // A slow-log target: a fifth of the calls become ten times slower after the release.
  write(release_ - 7200, release_ + 1800, {"page", "report"}, [&](const std::string& s, int64_t t) {
    const bool slow = s == "report" && t >= release_ && t / 60 % 5 == 0;
    return Activity{20, slow ? 0.100 : 0.010, 0, true};
  });
  const TargetCheck t = check();
  EXPECT_EQ(ids(t), std::vector<std::string>{"orders/report/latency"});
  ASSERT_EQ(t.findings.size(), 1u);
  const Finding& f = t.findings[0];
  ASSERT_TRUE(f.before_p50 && f.after_p50 && f.before_p95 && f.after_p95);
  EXPECT_NEAR(*f.before_p50, 0.010, 0.0003);
  EXPECT_NEAR(*f.after_p50, 0.0108, 0.0003);  // the fast four fifths hold the median
  EXPECT_NEAR(*f.before_p95, 0.0127, 0.0003);
  EXPECT_GT(*f.after_p95, 0.1);
  EXPECT_NEAR(f.ratio, *f.after_p95 / *f.before_p95, 1e-9);  // the quantile that moved

  // The same through the command, in JSON, against the schema.
  store_.reset();
  const auto r = run_slowscope("check --release v1 --format json --baseline 2h --store sqlite:" +
                               dir_.file("s.db"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/check-1.schema.json"));
  EXPECT_GT(doc["targets"][0]["findings"][0]["after_p95"].get<double>(), 0.1);
  EXPECT_EQ(doc["baseline"]["mode"], "previous");
}

TEST_F(WindowComparisonTest, ControlSketchesOfAnUnchangedSlowLogRaiseNothing) {
  write(release_ - 7200, release_ + 1800, {"page", "report"}, [&](const std::string&, int64_t) {
    return Activity{20, 0.010, 0, true};
  });
  EXPECT_TRUE(check().findings.empty());
}

TEST_F(WindowComparisonTest, SameHoursBaselineRespectsADailyCycle) {
  // "report" is five times slower in the same hour every day, the hour of the release.
  const int64_t interval = 600;
  write(
      release_ - 2 * 86400 - 3600, release_ + 1800, {"page", "report"},
      [&](const std::string& s, int64_t t) {
        const bool busy_hour = (t - release_ + 2 * 86400) % 86400 < 3600;
        return Activity{200, s == "report" && busy_hour ? 0.050 : 0.010};
      },
      interval);
  CheckOptions previous{
      std::chrono::minutes(30), std::chrono::hours(48), {}, BaselineMode::kPrevious};
  EXPECT_EQ(ids(check(previous)), std::vector<std::string>{"orders/report/latency"});
  CheckOptions same_hours = previous;
  same_hours.baseline_mode = BaselineMode::kSameHours;
  EXPECT_TRUE(check(same_hours).findings.empty());

  store_.reset();
  const auto r = run_slowscope(
      "check --release v2 --format json --baseline 2d --baseline-mode same-hours "
      "--store sqlite:" +
      dir_.file("s.db"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/check-1.schema.json"));
  EXPECT_EQ(doc["baseline"]["mode"], "same-hours");
  ASSERT_EQ(doc["baseline"]["spans"].size(), 2u);
  EXPECT_EQ(doc["baseline"]["spans"][0]["from"], utc(release_ - 2 * 86400));
  EXPECT_EQ(doc["baseline"]["spans"][1]["from"], utc(release_ - 86400));
  EXPECT_EQ(doc["baseline"]["spans"][1]["until"], utc(release_ - 86400 + 1800));
}

}  // namespace
}  // namespace slowscope
