// The exceedance test of a quantile shift: do more of the post window's values exceed the
// baseline's q-quantile than chance allows? Distribution-free: when both samples come from
// one continuous distribution, the number K of m post values above the r-th smallest of n
// baseline values follows a beta-binomial law (m, n - r + 1, r), whatever the distribution,
// and however small the baseline (its quantile's own uncertainty is part of the law).
//
// On quantile sketches the values are known only up to their bucket, so the test counts
// the post values in buckets strictly above the one holding the baseline quantile, against
// the rank of the last baseline value in that bucket: K can then only be smaller than the
// exact count, so the p-value is conservative.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>

#include "analyzer/aggregate/quantile_sketch.h"

namespace slowscope::stats {

// P(K >= k) for K ~ BetaBinomial(m, alpha, beta), alpha, beta > 0; 1 for k <= 0, 0 for k > m.
double beta_binomial_upper_tail(int64_t k, int64_t m, double alpha, double beta);

// P(K >= k), K the number of m post values above the r-th smallest (1-based) of n baseline
// values, under one continuous distribution. Requires 1 <= r <= n.
double exceedance_p_value(int64_t n, int64_t r, int64_t m, int64_t k);

struct QuantileShift {
  bool defined = false;   // false when either sketch is empty
  double before = 0;      // the baseline's q-quantile (seconds, for latency sketches)
  double after = 0;       // the post window's
  int64_t exceeding = 0;  // post values in buckets above the baseline quantile's bucket
  double p_greater = 1;   // one-sided: the post window's values are larger
};

// Tests whether `after`'s values lie above `before`'s q-quantile more often than chance,
// 0 < q < 1. Throws std::logic_error for q outside (0, 1).
QuantileShift quantile_shift_test(const QuantileSketch& before, const QuantileSketch& after,
                                  double q);

}  // namespace slowscope::stats
