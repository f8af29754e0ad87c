// Welch's t-test on two samples known only by their moments (count, sum, sum of squares),
// as the store keeps them per interval: does the mean of `after` exceed that of `before`?
// Pure functions; thread-safe.
#pragma once

#include <span>

namespace slowscope::stats {

// A sample summarized by its count, sum and sum of squares.
struct Moments {
  double n = 0;
  double sum = 0;
  double sum_sq = 0;

  static Moments of(std::span<const double> values);

  double mean() const { return n > 0 ? sum / n : 0; }
  // The unbiased sample variance; 0 when n < 2, never negative (rounding in sum_sq can
  // make the textbook formula dip below zero for near-constant samples).
  double variance() const;
};

struct WelchResult {
  bool defined = false;  // false when a sample has fewer than 2 values
  double t = 0;          // positive when `after` has the larger mean
  double df = 0;         // Welch–Satterthwaite degrees of freedom
  double p_greater = 1;  // one-sided: P(T >= t) under equal means
  double p_two_sided = 1;
};

// Both variances zero: equal means give t = 0 (p 1), different means an infinite t with
// p 0 or 1, since the difference is then certain.
WelchResult welch_t_test(const Moments& before, const Moments& after);

}  // namespace slowscope::stats
