// Latency regressions on shapes built from known per-call times: what is found, what is not,
// and in which order.
#include "analyzer/regression/latency_detector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <string>

namespace slowscope {
namespace {

// The measures of `calls` calls of about `mean` seconds, spread ±30% (seeded, so fixed).
Measures calls_of(int64_t calls, double mean, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> spread(0.7, 1.3);
  Measures m;
  for (int64_t i = 0; i < calls; ++i) {
    const double t = mean * spread(random);
    ++m.calls;
    m.total_time += t;
    m.sum_sq += t * t;
  }
  return m;
}

ShapeWindows shape(const std::string& hash, Measures before, Measures after) {
  ShapeWindows s;
  s.target = "orders";
  s.shape_hash = hash;
  s.fingerprint = "select ?";
  s.baseline = before;
  s.post = after;
  s.post_span = std::chrono::hours(1);
  return s;
}

TEST(LatencyDetectorTest, FindsAShapeTwiceAsSlowWithItsEvidence) {
  const std::vector<ShapeWindows> shapes{
      shape("slower", calls_of(500, 0.010, 1), calls_of(400, 0.020, 2)),
      shape("steady", calls_of(500, 0.010, 3), calls_of(400, 0.010, 4)),
  };
  const auto findings = detect_latency_regressions(shapes, {});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.key.id(), "orders/slower/latency");
  EXPECT_NEAR(f.ratio, 2.0, 0.1);
  EXPECT_EQ(f.before_calls, 500);
  EXPECT_EQ(f.after_calls, 400);
  EXPECT_LT(f.q_value, 1e-6);
  EXPECT_LE(f.p_value, f.q_value);
  // (0.020 - 0.010) s more per call, 400 calls in the one-hour post window.
  EXPECT_NEAR(f.added_seconds_per_hour, (f.after_mean - f.before_mean) * 400, 1e-12);
  EXPECT_NEAR(f.added_seconds_per_hour, 4.0, 0.4);
  EXPECT_EQ(f.severity, Severity::kWarning);
}

TEST(LatencyDetectorTest, KeepsOnlyWhatIsSignificantAndLargeEnough) {
  const std::vector<ShapeWindows> shapes{
      // Certainly slower, but only 1.2x: below --min-ratio.
      shape("a-little", calls_of(5000, 0.010, 5), calls_of(5000, 0.012, 6)),
      // 3x, but microseconds: below --min-delta.
      shape("tiny", calls_of(500, 0.0001, 7), calls_of(500, 0.0003, 8)),
      // Too few calls to be tested.
      shape("rare", calls_of(5, 0.010, 9), calls_of(5, 0.100, 10)),
      // 4x: critical.
      shape("much", calls_of(200, 0.010, 11), calls_of(200, 0.040, 12)),
  };
  const auto findings = detect_latency_regressions(shapes, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].key.shape_hash, "much");
  EXPECT_EQ(findings[0].severity, Severity::kCritical);

  LatencyThresholds loose;
  loose.min_ratio = 1.1;
  loose.min_delta = 0;
  loose.min_calls = 2;
  EXPECT_EQ(detect_latency_regressions(shapes, loose).size(), 4u);
}

TEST(LatencyDetectorTest, JudgesThePracticalSizeWithItsUncertainty) {
  // Measured 1.45x on 40 calls a side: a true 1.5x is well within its confidence bound.
  const ShapeWindows near = shape("near", calls_of(40, 0.010, 21), calls_of(40, 0.0145, 22));
  // 1.3x on 5,000 calls a side: certainly slower, certainly not 1.5x.
  const ShapeWindows small = shape("small", calls_of(5000, 0.010, 23), calls_of(5000, 0.013, 24));
  const std::vector<ShapeWindows> shapes{near, small};
  const auto findings = detect_latency_regressions(shapes, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].key.shape_hash, "near");
  EXPECT_LT(findings[0].ratio, 1.5);  // the measured ratio is what is reported

  LatencyThresholds measured_only;
  measured_only.size_confidence_z = 0;
  EXPECT_TRUE(detect_latency_regressions(shapes, measured_only).empty());
  // A wide bound alone is not enough: the measurement must be halfway to the threshold.
  LatencyThresholds far;
  far.min_ratio = 2.0;
  far.size_confidence_z = 100;
  EXPECT_TRUE(detect_latency_regressions(shapes, far).empty());
}

// Two intervals of 100 calls each after a baseline of 10 ms calls, the first at `first`
// seconds a call and the second at `second`, with their per-interval sums.
ShapeWindows two_intervals(const std::string& hash, double first, double second) {
  const Measures a = calls_of(100, first, 41);
  const Measures b = calls_of(100, second, 42);
  ShapeWindows s = shape(hash, calls_of(5000, 0.010, 43), a);
  s.post += b;
  s.post_buckets = {{StoreTime(std::chrono::seconds(0)), a.calls, 0, 0, a.total_time},
                    {StoreTime(std::chrono::seconds(60)), b.calls, 0, 0, b.total_time}};
  return s;
}

TEST(LatencyDetectorTest, CanAskForTheSlowdownInEveryInterval) {
  // Both 2x on the window: "step" in each interval, "burst" in one of them.
  const std::vector<ShapeWindows> shapes{two_intervals("step", 0.020, 0.020),
                                         two_intervals("burst", 0.010, 0.030)};
  ASSERT_EQ(detect_latency_regressions(shapes, {}).size(), 2u);  // not asked by default

  LatencyThresholds every_interval;
  every_interval.min_interval_ratio = 1.25;
  const auto findings = detect_latency_regressions(shapes, every_interval);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].key.shape_hash, "step");
  EXPECT_NEAR(findings[0].ratio, 2.0, 0.1);
}

// Heavy-tailed calls: every 20th takes `slow` seconds, the others `fast` (coefficient of
// variation about 2 for 5 ms and 105 ms).
Measures with_slow_tail(int64_t calls, double fast, double slow) {
  Measures m;
  for (int64_t i = 0; i < calls; ++i) {
    const double t = i % 20 == 19 ? slow : fast;
    ++m.calls;
    m.total_time += t;
    m.sum_sq += t * t;
  }
  return m;
}

TEST(LatencyDetectorTest, CanJudgeThePostSpreadAsAtLeastTheBaselines) {
  // A baseline of 10 ms on average, mostly 5 ms with a 105 ms tail. "few-calls": 40 calls
  // at 20 ms ±30 % and none of the tail: 2x with a spread that makes it look certain, but
  // 40 calls of the baseline's spread cannot tell 2x from chance. "many-calls": the whole
  // distribution 2x slower over 4,000 calls, certain either way.
  const Measures baseline = with_slow_tail(20000, 0.005, 0.105);
  const std::vector<ShapeWindows> shapes{
      shape("few-calls", baseline, calls_of(40, 0.020, 51)),
      shape("many-calls", baseline, with_slow_tail(4000, 0.010, 0.210)),
  };
  ASSERT_EQ(detect_latency_regressions(shapes, {}).size(), 2u);  // not asked by default

  LatencyThresholds baseline_spread;
  baseline_spread.post_spread_at_least_baseline = true;
  const auto findings = detect_latency_regressions(shapes, baseline_spread);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].key.shape_hash, "many-calls");
  EXPECT_NEAR(findings[0].ratio, 2.0, 1e-9);
}

// The shapes found at a minimum ratio of 1.75x, asking for a sure `low` (0: not asked) at
// `low_z` standard errors, by hash.
std::set<std::string> found_at_175x(const std::vector<ShapeWindows>& shapes, double low,
                                    double low_z = 1.645) {
  LatencyThresholds thresholds;
  thresholds.min_ratio = 1.75;
  thresholds.min_ratio_low = low;
  thresholds.low_confidence_z = low_z;
  std::set<std::string> hashes;
  for (const Finding& f : detect_latency_regressions(shapes, thresholds)) {
    hashes.insert(f.key.shape_hash);
  }
  return hashes;
}

TEST(LatencyDetectorTest, CanAskForASureSlowdownOfAtLeastALowerRatio) {
  // Both 1.8x. "heavy-tailed": 200 calls of a tail-heavy baseline's shape (CV about 2), so
  // significant but its 95 % interval reaches down to about 1.4x. "steady": 4,000 calls at
  // ±30 %, its interval within a few percent of 1.8x.
  const std::vector<ShapeWindows> shapes{
      shape("heavy-tailed", with_slow_tail(20000, 0.005, 0.105), with_slow_tail(200, 0.009, 0.189)),
      shape("steady", calls_of(4000, 0.010, 61), calls_of(4000, 0.018, 62)),
  };
  using Hashes = std::set<std::string>;
  EXPECT_EQ(found_at_175x(shapes, 0), (Hashes{"heavy-tailed", "steady"}));
  EXPECT_EQ(found_at_175x(shapes, 1.5), Hashes{"steady"});
  // At a lower confidence the heavy-tailed one's bound clears 1.5x: about 1.8 * exp(-z * 0.15).
  EXPECT_EQ(found_at_175x(shapes, 1.5, 0.5), (Hashes{"heavy-tailed", "steady"}));
}

// `s` with `intervals` post buckets (their counts matter only to min_interval_ratio).
ShapeWindows over_intervals(ShapeWindows s, int intervals) {
  s.post_buckets.assign(intervals, IntervalCounts{});
  return s;
}

// The hashes of `findings`.
std::set<std::string> hashes_of(const std::vector<Finding>& findings) {
  std::set<std::string> hashes;
  for (const Finding& f : findings) hashes.insert(f.key.shape_hash);
  return hashes;
}

TEST(LatencyDetectorTest, IntervalNoiseWidensTheUncertaintyOfFewIntervals) {
  // 1.6x over 400 calls of ±30 %: per call, a log ratio known within 1 %. With 12 % noise
  // per interval over 2 intervals its standard error is about 0.085, and ln 1.6 = 0.47 is
  // 5.5 of them; at 20 % noise, 0.14 and 3.3; over 8 intervals of 20 %, 0.071 and 6.6.
  const ShapeWindows steady = shape("steady", calls_of(4000, 0.010, 71), calls_of(400, 0.016, 72));
  LatencyThresholds strict;
  strict.min_z = 4.5;
  const auto found = [&](int intervals, double noise) {
    strict.interval_noise = noise;
    return detect_latency_regressions(std::vector{over_intervals(steady, intervals)}, strict)
        .size();
  };
  EXPECT_EQ(found(2, 0), 1u);
  EXPECT_EQ(found(2, 0.12), 1u);
  EXPECT_EQ(found(2, 0.20), 0u);
  EXPECT_EQ(found(8, 0.20), 1u);
  // Without min_z, noise widens the bounds and the p-value (3.3 standard errors: 0.0005,
  // under the FDR): still a finding.
  strict.min_z = 0;
  EXPECT_EQ(detect_latency_regressions(std::vector{over_intervals(steady, 2)}, strict).size(), 1u);
}

// 2x over 2 intervals of 200 calls of ±30 %: certain on its calls.
ShapeWindows twice_as_slow_over_2_intervals() {
  return over_intervals(shape("drifting", calls_of(4000, 0.010, 91), calls_of(400, 0.020, 92)), 2);
}

TEST(LatencyDetectorTest, AShapesMeasuredDriftCountsAsIntervalNoise) {
  // A measured drift of 30 % per interval makes its log ratio (0.69) 3.3 standard errors
  // of 0.21 (p 0.0005); 50 % makes it 2.0 (p 0.025, over the FDR).
  ShapeWindows drifting = twice_as_slow_over_2_intervals();
  LatencyThresholds thresholds;
  const auto found = [&](double measured) {
    drifting.interval_noise.noise = measured;
    return detect_latency_regressions(std::vector{drifting}, thresholds).size();
  };
  EXPECT_EQ(found(0), 1u);
  EXPECT_EQ(found(0.3), 1u);
  EXPECT_EQ(found(0.5), 0u);
  // A floor above the measured drift counts instead.
  thresholds.interval_noise = 0.5;
  EXPECT_EQ(found(0.3), 0u);
  // min_drift_z asks the log ratio to stand out of the drift alone: 3 × 0.21 = 0.64 it
  // does, 5 × 0.21 = 1.06 it does not.
  thresholds.interval_noise = 0;
  thresholds.min_drift_z = 3;
  EXPECT_EQ(found(0.3), 1u);
  thresholds.min_drift_z = 5;
  EXPECT_EQ(found(0.3), 0u);
  EXPECT_EQ(found(0), 1u);  // nothing measured: nothing to stand out of
}

TEST(LatencyDetectorTest, ADriftMeasuredOnFewIntervalsRaisesTheBar) {
  // The same 2x step over 2 intervals, 30 % drift: 3.3 drift deviations. A bar of 3 is
  // raised to 3·√(1 + 30/k): 4.2 for a drift measured on 30 intervals, 3.1 on 300.
  ShapeWindows drifting = twice_as_slow_over_2_intervals();
  drifting.interval_noise.noise = 0.3;
  LatencyThresholds thresholds;
  thresholds.min_drift_z = 3;
  thresholds.drift_estimate_widening = 30;
  const auto found = [&](size_t measured_on) {
    drifting.interval_noise.intervals = measured_on;
    return detect_latency_regressions(std::vector{drifting}, thresholds).size();
  };
  EXPECT_EQ(found(30), 0u);
  EXPECT_EQ(found(300), 1u);
  EXPECT_EQ(found(0), 1u);  // a drift given, not measured: not raised
  // A floor above the measured drift is an assumption, not an estimate: not raised either.
  thresholds.interval_noise = 0.31;
  EXPECT_EQ(found(30), 1u);
}

TEST(LatencyDetectorTest, StrictSignificanceAllowsForHeavyTails) {
  // Both found by Welch and large enough. "heavy-tailed": 2x over 400 calls of a CV of 2.4,
  // a log ratio of 5.7 standard errors; but a mean of 400 such calls is skewed right
  // (lognormal skewness 21 / sqrt(400)), which raises 4.5 standard errors to about 7.9.
  // "steady": 1.6x over 40 calls of ±30 %, 17 standard errors.
  const std::vector<ShapeWindows> shapes{
      shape("heavy-tailed", with_slow_tail(20000, 0.005, 0.105), with_slow_tail(400, 0.010, 0.210)),
      shape("steady", calls_of(4000, 0.010, 81), calls_of(40, 0.016, 82)),
  };
  using Hashes = std::set<std::string>;
  LatencyThresholds thresholds;
  EXPECT_EQ(hashes_of(detect_latency_regressions(shapes, thresholds)),
            (Hashes{"heavy-tailed", "steady"}));
  thresholds.min_z = 4.5;
  EXPECT_EQ(hashes_of(detect_latency_regressions(shapes, thresholds)), Hashes{"steady"});
  thresholds.min_z = 3;  // 3 + 1.05 × (9 - 1) / 6 = 4.4, under 5.7
  EXPECT_EQ(hashes_of(detect_latency_regressions(shapes, thresholds)),
            (Hashes{"heavy-tailed", "steady"}));
}

TEST(LatencyDetectorTest, RanksByAddedDatabaseTime) {
  const std::vector<ShapeWindows> shapes{
      shape("rare-but-very-slow", calls_of(100, 0.010, 13), calls_of(100, 0.050, 14)),
      shape("busy-and-slower", calls_of(5000, 0.010, 15), calls_of(5000, 0.020, 16)),
  };
  const auto findings = detect_latency_regressions(shapes, {});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].key.shape_hash, "busy-and-slower");  // ~50 s/h against ~4 s/h
  EXPECT_GT(findings[0].added_seconds_per_hour, findings[1].added_seconds_per_hour);
}

TEST(LatencyDetectorTest, ControlsTheFalseDiscoveryRateAcrossShapes) {
  // 200 shapes with no change at all: at FDR 1% and any ratio, nothing.
  std::vector<ShapeWindows> shapes;
  for (unsigned i = 0; i < 200; ++i) {
    shapes.push_back(shape("same-" + std::to_string(i), calls_of(300, 0.010, 100 + 2 * i),
                           calls_of(300, 0.010, 101 + 2 * i)));
  }
  LatencyThresholds any_size;
  any_size.min_ratio = 0;
  any_size.min_delta = -1;
  EXPECT_TRUE(detect_latency_regressions(shapes, any_size).empty());
}

// `n` calls evenly spread over [from, to] seconds, as sums and as a sketch.
struct Calls {
  Measures measures;
  QuantileSketch sketch;
};
Calls spread(int n, double from, double to) {
  Calls c;
  for (int i = 0; i < n; ++i) {
    const double t = from + (to - from) * i / (n - 1);
    ++c.measures.calls;
    c.measures.total_time += t;
    c.measures.sum_sq += t * t;
    c.sketch.add(t);
  }
  return c;
}
Calls operator+(Calls a, const Calls& b) {
  a.measures += b.measures;
  a.sketch.merge(b.sketch);
  return a;
}

ShapeWindows sketched(const std::string& hash, const Calls& before, const Calls& after) {
  ShapeWindows s = shape(hash, before.measures, after.measures);
  s.baseline_sketch = before.sketch;
  s.post_sketch = after.sketch;
  return s;
}

TEST(LatencyDetectorTest, SketchesJudgeByQuantilesWhereTheyExist) {
  const Calls before = spread(1000, 0.007, 0.013);
  // A tail that grew tenfold: p95 from 12.7 ms to 124.7 ms (ranks 949 of 1000), the median
  // unchanged.
  const Calls tail = spread(900, 0.007, 0.0125) + spread(100, 0.1, 0.15);
  auto findings = detect_latency_regressions(std::vector{sketched("tail", before, tail)}, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].key.id(), "orders/tail/latency");
  EXPECT_NEAR(findings[0].ratio, 0.1247 / 0.0127, 0.1);  // the p95's ratio
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_LT(findings[0].p_value, 1e-6);

  // Ten calls of 2 s among a thousand unchanged ones: the mean triples and Welch's test
  // calls it significant, but p50 and p95 stay: with sketches, not a regression.
  const Calls outliers = spread(1000, 0.007, 0.013) + spread(10, 2.0, 2.0);
  EXPECT_EQ(detect_latency_regressions(
                std::vector{shape("outliers", before.measures, outliers.measures)}, {})
                .size(),
            1u);
  EXPECT_TRUE(
      detect_latency_regressions(std::vector{sketched("outliers", before, outliers)}, {}).empty());

  // The same distribution: nothing. A whole shift twice as slow: found.
  EXPECT_TRUE(detect_latency_regressions(
                  std::vector{sketched("same", before, spread(800, 0.007, 0.013))}, {})
                  .empty());
  findings = detect_latency_regressions(
      std::vector{sketched("slower", before, spread(800, 0.014, 0.026))}, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NEAR(findings[0].ratio, 2.0, 0.05);
  // Too few calls for the test.
  EXPECT_TRUE(detect_latency_regressions(
                  std::vector{sketched("rare", spread(10, 0.007, 0.013), spread(10, 0.1, 0.2))}, {})
                  .empty());
}

TEST(LatencyDetectorTest, SketchesCanAskForASureSlowdownToo) {
  // Every call 1.8x as slow (p50 10 -> 18 ms, p95 18 -> 33 ms), over 20,000 calls or over
  // 30. The 95 % lower bounds of the ratios at p50 and p95 (from the ranks' binomial
  // intervals): 1.76x and 1.79x with 20,000 calls; 1.30x and 1.68x with 30.
  const Calls before = spread(20000, 0.001, 0.019);
  const std::vector<ShapeWindows> shapes{
      sketched("many", before, spread(20000, 0.0018, 0.0342)),
      sketched("few", before, spread(30, 0.0018, 0.0342)),
  };
  using Hashes = std::set<std::string>;
  EXPECT_EQ(found_at_175x(shapes, 0), (Hashes{"few", "many"}));
  EXPECT_EQ(found_at_175x(shapes, 1.72), Hashes{"many"});
  // min_z is defined for Welch: asked of sketched shapes, it finds none.
  LatencyThresholds strict;
  strict.min_z = 1;
  EXPECT_TRUE(detect_latency_regressions(shapes, strict).empty());
}

TEST(LatencyDetectorTest, SketchesStandOutOfTheDriftToo) {
  // p50 and p95 twice as slow over 2 intervals of a shape drifting 30 % per interval: a log
  // ratio of 0.69, 3.3 drift deviations (0.21): over 3, under 5.
  ShapeWindows s =
      over_intervals(sketched("slower", spread(1000, 0.007, 0.013), spread(800, 0.014, 0.026)), 2);
  s.interval_noise.noise = 0.3;
  LatencyThresholds thresholds;
  thresholds.min_drift_z = 3;
  EXPECT_EQ(detect_latency_regressions(std::vector{s}, thresholds).size(), 1u);
  thresholds.min_drift_z = 5;
  EXPECT_TRUE(detect_latency_regressions(std::vector{s}, thresholds).empty());
}

TEST(LatencyDetectorTest, SkipsShapesWithoutPerCallVariance) {
  Measures before = calls_of(500, 0.010, 17);
  Measures after = calls_of(500, 0.030, 18);
  before.sum_sq = 0;  // e.g. performance_schema: no sum of squares
  after.sum_sq = 0;
  EXPECT_TRUE(detect_latency_regressions(std::vector{shape("x", before, after)}, {}).empty());
  EXPECT_TRUE(detect_latency_regressions(std::vector<ShapeWindows>{}, {}).empty());
}

}  // namespace
}  // namespace slowscope
