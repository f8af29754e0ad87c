// The exceedance test of a quantile shift: the beta-binomial tail against exact values
// (computed independently with rational arithmetic: Σ C(m,j) B(j+α, m-j+β) / B(α,β)), the
// distribution-free law against a case that can be counted by hand, and the test on
// sketches.
#include "analyzer/regression/stats/quantile_shift_test.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace slowscope::stats {
namespace {

TEST(QuantileShiftTest, BetaBinomialTailMatchesExactValues) {
  EXPECT_NEAR(beta_binomial_upper_tail(3, 10, 2, 19), 0.09523809523809523, 1e-12);
  EXPECT_NEAR(beta_binomial_upper_tail(7, 10, 2, 19), 0.0004177398480247056, 1e-15);
  EXPECT_NEAR(beta_binomial_upper_tail(6, 12, 5, 5), 0.5750178613955704, 1e-12);
  EXPECT_NEAR(beta_binomial_upper_tail(15, 100, 20, 400), 0.0005197868052318993, 1e-14);
  EXPECT_NEAR(beta_binomial_upper_tail(40, 100, 20, 400) / 1.452716403144864e-18, 1, 1e-9);
  EXPECT_NEAR(beta_binomial_upper_tail(100, 100, 1, 1), 0.009900990099009901, 1e-14);
  EXPECT_EQ(beta_binomial_upper_tail(0, 10, 2, 3), 1);
  EXPECT_EQ(beta_binomial_upper_tail(11, 10, 2, 3), 0);
}

TEST(QuantileShiftTest, ExceedanceLawIsDistributionFree) {
  // At least one of 5 new values above the largest of 40 old ones: 1 - 40/45.
  EXPECT_NEAR(exceedance_p_value(40, 40, 5, 1), 5.0 / 45, 1e-12);
  // All of 2 new values above the smallest of 1 old one: 1/3.
  EXPECT_NEAR(exceedance_p_value(1, 1, 2, 2), 1.0 / 3, 1e-12);
}

QuantileSketch values(int n, double from, double to) {
  QuantileSketch s;
  for (int i = 0; i < n; ++i) s.add(from + (to - from) * i / (n - 1));
  return s;
}

TEST(QuantileShiftTest, OnSketches) {
  const QuantileSketch before = values(1000, 0.005, 0.015);
  // The same distribution: no evidence.
  const QuantileShift same = quantile_shift_test(before, values(500, 0.005, 0.015), 0.5);
  ASSERT_TRUE(same.defined);
  EXPECT_NEAR(same.before, 0.010, 0.0001);
  EXPECT_GT(same.p_greater, 0.3);
  // Twice as slow: all of it above the old median.
  const QuantileShift slower = quantile_shift_test(before, values(500, 0.010, 0.030), 0.5);
  EXPECT_NEAR(slower.after, 0.020, 0.0002);
  EXPECT_GE(slower.exceeding, 495);
  EXPECT_LT(slower.p_greater, 1e-100);
  // A tail that grew: p95 moves, p50 does not.
  QuantileSketch tail = values(900, 0.005, 0.0145);
  tail.merge(values(100, 0.1, 0.2));
  // 100 of 1000 above the old p95, where about 50 are expected.
  EXPECT_LT(quantile_shift_test(before, tail, 0.95).p_greater, 1e-6);
  EXPECT_GT(quantile_shift_test(before, tail, 0.5).p_greater, 0.05);
  // Empty sketches: nothing to test.
  EXPECT_FALSE(quantile_shift_test(QuantileSketch(), tail, 0.5).defined);
  EXPECT_FALSE(quantile_shift_test(before, QuantileSketch(), 0.5).defined);
  EXPECT_THROW(quantile_shift_test(before, tail, 1.0), std::logic_error);
}

TEST(QuantileShiftTest, IdenticalValuesAreNotAShift) {
  // Every call takes the same time: none can exceed the old quantile's bucket.
  QuantileSketch before;
  QuantileSketch after;
  before.add(0.010, 1000);
  after.add(0.010, 1000);
  const QuantileShift r = quantile_shift_test(before, after, 0.95);
  EXPECT_EQ(r.exceeding, 0);
  EXPECT_EQ(r.p_greater, 1);
}

}  // namespace
}  // namespace slowscope::stats
