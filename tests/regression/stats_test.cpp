// The statistical routines of regression detection against values computed independently:
// SciPy 1.10 (scipy.stats.ttest_ind(equal_var=False), t.cdf, norm.cdf, theilslopes); for
// Mann–Kendall, Benjamini–Hochberg and the mean square successive difference, the formulas
// worked by hand in Python.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analyzer/regression/stats/benjamini_hochberg.h"
#include "analyzer/regression/stats/distributions.h"
#include "analyzer/regression/stats/mann_kendall.h"
#include "analyzer/regression/stats/successive_difference_variance.h"
#include "analyzer/regression/stats/theil_sen.h"
#include "analyzer/regression/stats/welch_t_test.h"

namespace slowscope::stats {
namespace {

TEST(DistributionsTest, MatchReferenceValues) {
  struct Case {
    double t, df, cdf;
  };
  for (const Case& c : std::vector<Case>{{2.0, 5, 0.9490302605850709},
                                         {1.0, 1, 0.7500000000000002},
                                         {-1.5, 30.5, 0.07194789011708731},
                                         {3.0, 1000, 0.9986166454778809},
                                         {0.0, 7, 0.5}}) {
    EXPECT_NEAR(student_t_cdf(c.t, c.df), c.cdf, 1e-12) << c.t << " " << c.df;
  }
  struct Normal {
    double x, cdf;
  };
  for (const Normal& c : std::vector<Normal>{{0.0, 0.5},
                                             {1.96, 0.9750021048517795},
                                             {-3.0, 0.0013498980316300933},
                                             {5.0, 0.9999997133484281}}) {
    EXPECT_NEAR(normal_cdf(c.x), c.cdf, 1e-14) << c.x;
  }
  EXPECT_EQ(student_t_cdf(std::numeric_limits<double>::infinity(), 3), 1);
  EXPECT_TRUE(std::isnan(student_t_cdf(1, 0)));
  EXPECT_EQ(regularized_incomplete_beta(2, 3, 0), 0);
  EXPECT_EQ(regularized_incomplete_beta(2, 3, 1), 1);
}

// Wikipedia's Welch's t-test examples (A1/A2 unequal variances, B1/B2 unequal sizes).
TEST(WelchTest, MatchesScipy) {
  const std::vector<double> a1{27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1,
                               21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4};
  const std::vector<double> a2{27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0,
                               24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4};
  const WelchResult r = welch_t_test(Moments::of(a1), Moments::of(a2));
  ASSERT_TRUE(r.defined);
  EXPECT_NEAR(r.t, 2.455356398286006, 1e-9);
  EXPECT_NEAR(r.df, 24.988529290231416, 1e-9);
  EXPECT_NEAR(r.p_two_sided, 0.021378001462866985, 1e-9);
  EXPECT_NEAR(r.p_greater, 0.010689000731433492, 1e-9);

  const std::vector<double> b1{17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8};
  const std::vector<double> b2{21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8,
                               20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8};
  const WelchResult b = welch_t_test(Moments::of(b1), Moments::of(b2));
  EXPECT_NEAR(b.t, 1.5654335235985037, 1e-9);
  EXPECT_NEAR(b.df, 9.904741248650831, 1e-9);
  EXPECT_NEAR(b.p_two_sided, 0.14884169660532834, 1e-9);
  // Swapped: the same evidence against a rise.
  const WelchResult swapped = welch_t_test(Moments::of(b2), Moments::of(b1));
  EXPECT_NEAR(swapped.t, -b.t, 1e-12);
  EXPECT_NEAR(swapped.p_greater, 1 - b.p_greater, 1e-12);
}

TEST(WelchTest, EdgeCases) {
  // Too small to estimate a variance.
  EXPECT_FALSE(welch_t_test(Moments::of(std::vector<double>{1.0}),
                            Moments::of(std::vector<double>{1.0, 2.0}))
                   .defined);
  EXPECT_FALSE(welch_t_test(Moments{}, Moments{}).defined);
  // Zero variance on both sides.
  const std::vector<double> flat(5, 2.0);
  const std::vector<double> higher(5, 3.0);
  const WelchResult same = welch_t_test(Moments::of(flat), Moments::of(flat));
  EXPECT_EQ(same.t, 0);
  EXPECT_EQ(same.p_greater, 1);
  const WelchResult up = welch_t_test(Moments::of(flat), Moments::of(higher));
  EXPECT_TRUE(std::isinf(up.t));
  EXPECT_EQ(up.p_greater, 0);
  // Near-constant values whose sum of squares rounds below sum²/n: no negative variance.
  Moments rounded{3, 3 * 0.1, 0.03 - 1e-18};
  EXPECT_GE(rounded.variance(), 0);
}

TEST(BenjaminiHochbergTest, MatchesTheStepUpProcedure) {
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005, 0.2};
  const std::vector<double> q = benjamini_hochberg(p);
  const std::vector<double> want{0.025, 0.05, 0.05, 0.025, 0.2};
  ASSERT_EQ(q.size(), want.size());
  for (size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(q[i], want[i], 1e-15) << i;

  const std::vector<double> even{0.01, 0.02, 0.03, 0.04, 0.05};
  for (double v : benjamini_hochberg(even)) EXPECT_NEAR(v, 0.05, 1e-15);
  EXPECT_TRUE(benjamini_hochberg(std::vector<double>{}).empty());
  EXPECT_EQ(benjamini_hochberg(std::vector<double>{std::nan("")}), std::vector<double>{1.0});
}

TEST(MannKendallTest, MatchesTheTieCorrectedNormalApproximation) {
  struct Case {
    std::vector<double> series;
    int64_t s;
    double variance, z, p;
  };
  const std::vector<Case> cases{
      {{5, 3, 4, 10, 2, 8, 7, 9, 11, 12}, 25, 125.0, 2.146625258399798, 0.03182312738649018},
      {{1, 1, 2, 2, 3, 3, 3, 4, 5, 5},
       39,
       118.33333333333333,
       3.493253054304605,
       0.0004771740932767443},
      {{3, 3, 3, 3}, 0, 0.0, 0, 1.0},
      {{}, 0, 0.0, 0, 1.0},
  };
  for (const Case& c : cases) {
    const MannKendallResult r = mann_kendall(c.series);
    EXPECT_EQ(r.s, c.s);
    EXPECT_NEAR(r.variance, c.variance, 1e-9);
    EXPECT_NEAR(r.z, c.z, 1e-12);
    EXPECT_NEAR(r.p_two_sided, c.p, 1e-12);
  }
  const std::vector<double> falling{9, 8, 7, 6, 5, 4, 3, 2};
  const MannKendallResult down = mann_kendall(falling);
  EXPECT_LT(down.s, 0);
  EXPECT_GT(down.p_rising, 0.99);
}

TEST(TheilSenTest, MatchesScipy) {
  const std::vector<double> x{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_NEAR(
      *theil_sen_slope(x, std::vector<double>{1.0, 2.1, 2.9, 4.2, 5.1, 5.8, 7.2, 8.1, 8.8, 10.3}),
      1.0142857142857142, 1e-12);
  EXPECT_NEAR(*theil_sen_slope(x, std::vector<double>{5, 3, 4, 10, 2, 8, 7, 9, 11, 12}), 1.0,
              1e-12);
  // One wild outlier does not move it.
  EXPECT_NEAR(
      *theil_sen_slope(std::vector<double>{0, 1, 2, 3, 4}, std::vector<double>{0, 2, 400, 6, 8}),
      2.0, 1e-12);
  EXPECT_FALSE(theil_sen_slope(std::vector<double>{1, 1}, std::vector<double>{1, 2}));
  EXPECT_FALSE(theil_sen_slope(std::vector<double>{}, std::vector<double>{}));
}

TEST(SuccessiveDifferenceTau2Test, MatchesTheMeanSquareSuccessiveDifference) {
  // Σd² = 25 over 6 differences, less 6 × (0.1 + 0.1): 23.8 / 12.
  EXPECT_NEAR(*successive_difference_tau2(std::vector<double>{0, 1, 3, 2, 5, 4, 7},
                                          std::vector<double>(7, 0.1)),
              23.8 / 12, 1e-12);
  EXPECT_NEAR(*successive_difference_tau2(
                  std::vector<double>{1.0, 1.2, 0.9, 1.1, 1.3, 0.8, 1.0, 1.15},
                  std::vector<double>{0.01, 0.02, 0.005, 0.01, 0.04, 0.01, 0.02, 0.01}),
              0.020892857142857133, 1e-12);
}

TEST(SuccessiveDifferenceTau2Test, EdgeCases) {
  // A level shift is one difference of nine: (2² - 9 × 0.02) / 18, where the values' own
  // variance is 1.1.
  EXPECT_NEAR(*successive_difference_tau2(std::vector<double>{1, 1, 1, 1, 1, 3, 3, 3, 3, 3},
                                          std::vector<double>(10, 0.01)),
              0.2122222222222222, 1e-12);
  // Less movement than the sampling variances explain: 0, never negative.
  EXPECT_EQ(*successive_difference_tau2(std::vector<double>{1.0, 1.01, 0.99, 1.0},
                                        std::vector<double>(4, 1)),
            0);
  EXPECT_EQ(*successive_difference_tau2(std::vector<double>{2, 2}, std::vector<double>{0, 0}), 0);
  EXPECT_FALSE(successive_difference_tau2(std::vector<double>{1}, std::vector<double>{1}));
  EXPECT_FALSE(successive_difference_tau2(std::vector<double>{}, std::vector<double>{}));
  EXPECT_THROW(successive_difference_tau2(std::vector<double>{1, 2}, std::vector<double>{1, -1}),
               std::logic_error);
  EXPECT_THROW(successive_difference_tau2(std::vector<double>{1, 2}, std::vector<double>{1}),
               std::logic_error);
}

}  // namespace
}  // namespace slowscope::stats
