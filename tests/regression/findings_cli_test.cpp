// `slowscope findings` in text: each kind of stored finding is shown in its own measure —
// rows or blocks per call with their counts, calls per call of the other shapes, share of
// database time, calls expected, the daily rise — not every kind as a latency ratio. The
// findings go into a real (SQLite) store the way continuous detection writes them.
#include <gtest/gtest.h>

#include "analyzer/regression/finding_tracker.h"
#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"

namespace slowscope {
namespace {

using testing::run_slowscope;
using testing::TempDir;

constexpr int64_t kStart = 1'700'006'400;

StoreTime at(int64_t s) {
  return StoreTime(std::chrono::seconds(s));
}

Finding finding(const std::string& shape, FindingKind kind) {
  Finding f;
  f.key = {"orders", "shape-" + shape, kind};
  f.fingerprint = "select * from " + shape + " where id = ?";
  f.before_mean = 0.001464;
  f.after_mean = 0.005907;
  f.added_seconds_per_hour = 2.5;
  f.q_value = 0.001;
  return f;
}

// One finding of every kind, with the numbers its detector would give it.
std::vector<Finding> one_of_each_kind() {
  std::vector<Finding> all;
  Finding latency = finding("fast", FindingKind::kLatency);
  latency.ratio = 4.03;
  latency.before_p50 = 0.001;
  latency.after_p50 = 0.004;
  latency.before_p95 = 0.003;
  latency.after_p95 = 0.012;
  all.push_back(latency);
  // The case: the blocks grew x4.95 while the latency grew x4.03.
  Finding rows = finding("fast", FindingKind::kRowsPerCall);
  rows.measure = "shared blocks per call";
  rows.before_value = 12;
  rows.after_value = 59.4;
  rows.ratio = 4.95;
  all.push_back(rows);
  Finding surge = finding("fast", FindingKind::kCallSurge);
  surge.measure = "calls per call of other shapes";
  surge.before_value = 0.5;
  surge.after_value = 5;
  surge.ratio = 10;
  surge.after_mean = surge.before_mean;
  all.push_back(surge);
  Finding fresh = finding("slow", FindingKind::kNewShape);
  fresh.measure = "share of database time";
  fresh.after_value = 0.25;
  fresh.after_calls = 1200;
  all.push_back(fresh);
  Finding vanished = finding("slow", FindingKind::kVanished);
  vanished.measure = "calls expected in the post window";
  vanished.before_calls = 900;
  vanished.before_value = 450;
  vanished.added_seconds_per_hour = 0;
  all.push_back(vanished);
  Finding trend = finding("slow", FindingKind::kTrend);
  trend.before_mean = 0.010;
  trend.after_mean = 0.0152;
  trend.ratio = 1.52;
  trend.daily_rise = 0.04;
  all.push_back(trend);
  return all;
}

TEST(FindingsCliTest, EachKindShowsItsOwnMeasure) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.file("s.db");
  {
    Store store = Store::open(StoreLocation::parse(url));
    store.ensure_target("orders", Engine::kPostgres);
    testing::write_history(store, kStart, kStart + 60,
                           [](const std::string&, int64_t) { return 0.001; });
    DetectionPass pass;
    pass.target = "orders";
    pass.baseline_from = at(kStart - 3600);
    pass.baseline_until = pass.post_from = at(kStart);
    pass.at = at(kStart + 60);
    pass.evaluated = true;
    pass.findings = one_of_each_kind();
    std::vector<FindingRecord> rows;
    for (const FindingChange& c : track_findings({}, pass, {})) rows.push_back(c.record);
    ASSERT_EQ(rows.size(), 6u);
    store.update_findings("orders", found_identities(pass),
                          [&](const std::vector<FindingRecord>&) { return rows; });
  }

  const auto r = run_slowscope("findings --status all --store " + url);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto shows = [&](const std::string& id, const std::string& evidence) {
    const size_t at = r.out.find(id + "\n");
    if (at == std::string::npos) return ::testing::AssertionFailure() << id << " missing";
    const size_t line = r.out.find('\n', r.out.find('\n', at) + 1) + 1;  // after "opened ..."
    const std::string shown = r.out.substr(line, r.out.find('\n', line) - line);
    if (shown == "    " + evidence) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << id << " shows '" << shown << "'";
  };
  // shape-fast's three findings are one change: its added time is shown once, with the first
  // listed (kinds in order: call_surge, latency, rows_per_call), the others refer to it.
  EXPECT_TRUE(shows("orders/shape-fast/call_surge",
                    "calls per call of other shapes 0.5 -> 5 (x10.00), 1.46ms -> 1.46ms per "
                    "call, +2.50 s/h of database time"))
      << r.out;
  EXPECT_TRUE(shows("orders/shape-fast/latency",
                    "1.46ms -> 5.91ms per call (x4.03); p50 1.00ms -> 4.00ms, p95 3.00ms -> "
                    "12.0ms, added database time: see its call_surge finding"))
      << r.out;
  EXPECT_TRUE(shows("orders/shape-fast/rows_per_call",
                    "shared blocks per call 12 -> 59.4 (x4.95), 1.46ms -> 5.91ms per call, "
                    "added database time: see its call_surge finding"))
      << r.out;
  EXPECT_TRUE(shows("orders/shape-slow/new_shape",
                    "new, 25% of database time, 1200 calls, +2.50 s/h of database time"))
      << r.out;
  EXPECT_TRUE(shows("orders/shape-slow/vanished",
                    "vanished: 900 calls before, about 450 expected since, none seen"))
      << r.out;
  EXPECT_TRUE(shows("orders/shape-slow/trend",
                    "trending slower: +4.0%/day, 10.0ms -> 15.2ms per call (x1.52), added "
                    "database time: see its new_shape finding"))
      << r.out;
}

}  // namespace
}  // namespace slowscope
