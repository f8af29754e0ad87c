// A shape's measured interval noise: the drift of its intervals' log means beyond its calls'
// spread, and how many intervals the estimate stands on.
#include "analyzer/regression/interval_noise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace slowscope {
namespace {

// Per-call moments of 1,000 calls of mean 10 ms and a CV of 0.5.
Measures per_call_cv_half() {
  Measures m;
  m.calls = 1000;
  m.total_time = 10.0;
  const double mean = 0.010, sd = 0.005;
  m.sum_sq = (sd * sd * 999 + mean * mean * 1000);
  return m;
}

// Intervals of `calls` calls each whose means alternate between 10 ms·e^±d.
std::vector<IntervalCounts> alternating(size_t count, int64_t calls, double d) {
  std::vector<IntervalCounts> out;
  for (size_t i = 0; i < count; ++i) {
    const double mean = 0.010 * std::exp(i % 2 == 0 ? d : -d);
    out.push_back(
        {StoreTime(std::chrono::minutes(i)), calls, 0, 0, mean * static_cast<double>(calls)});
  }
  return out;
}

TEST(IntervalNoiseTest, TheDriftBeyondTheCallsSpreadAndWhatItStandsOn) {
  // Successive log differences of 2d = 0.4: MSSD/2 = 0.08; the calls explain 0.25/100 per
  // interval, 0.0025 of each half difference: τ² = 0.08 - 0.0025.
  const IntervalNoise n = measured_interval_noise(alternating(31, 100, 0.2), per_call_cv_half());
  EXPECT_NEAR(n.noise, std::sqrt(0.08 - 0.0025), 1e-3);
  EXPECT_EQ(n.intervals, 31u);
}

TEST(IntervalNoiseTest, CountsOnlyIntervalsWithCalls) {
  std::vector<IntervalCounts> intervals = alternating(20, 100, 0.2);
  for (size_t i = 0; i < 20; i += 4) intervals[i].calls = 0;  // 5 idle minutes
  EXPECT_EQ(measured_interval_noise(intervals, per_call_cv_half()).intervals, 15u);
}

TEST(IntervalNoiseTest, TooFewIntervalsOrNoSpreadGiveNoEstimate) {
  const IntervalNoise few =
      measured_interval_noise(alternating(kMinNoiseIntervals - 1, 100, 0.2), per_call_cv_half());
  EXPECT_EQ(few.noise, 0);
  EXPECT_EQ(few.intervals, 0u);
  Measures no_sum_sq = per_call_cv_half();
  no_sum_sq.sum_sq = 0;  // a source without Σx²
  EXPECT_EQ(measured_interval_noise(alternating(30, 100, 0.2), no_sum_sq).intervals, 0u);
}

}  // namespace
}  // namespace slowscope
