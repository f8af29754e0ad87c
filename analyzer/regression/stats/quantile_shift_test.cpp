#include "analyzer/regression/stats/quantile_shift_test.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace slowscope::stats {
namespace {

double log_beta(double a, double b) {
  return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
}

double log_pmf(int64_t j, int64_t m, double alpha, double beta) {
  const double jd = static_cast<double>(j);
  const double md = static_cast<double>(m);
  return std::lgamma(md + 1) - std::lgamma(jd + 1) - std::lgamma(md - jd + 1) +
         log_beta(jd + alpha, md - jd + beta) - log_beta(alpha, beta);
}

// pmf(j + 1) / pmf(j).
double step_up(int64_t j, int64_t m, double alpha, double beta) {
  const double jd = static_cast<double>(j);
  const double md = static_cast<double>(m);
  return (md - jd) / (jd + 1) * (jd + alpha) / (md - jd - 1 + beta);
}

// Σ pmf(j) for j from `from` stepping by `direction` while within [0, m], relative to
// pmf(from), stopping once the terms no longer matter. Summed from the side away from the
// mode, so that the terms only shrink and the sum cannot overflow.
double relative_tail(int64_t from, int64_t m, double alpha, double beta, int direction) {
  double term = 1;
  double sum = 1;
  for (int64_t j = from; direction > 0 ? j < m : j > 0; j += direction) {
    term *= direction > 0 ? step_up(j, m, alpha, beta) : 1 / step_up(j - 1, m, alpha, beta);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

}  // namespace

double beta_binomial_upper_tail(int64_t k, int64_t m, double alpha, double beta) {
  if (k <= 0) return 1;
  if (k > m) return 0;
  const double mean = static_cast<double>(m) * alpha / (alpha + beta);
  if (static_cast<double>(k) > mean) {
    return std::min(1.0,
                    std::exp(log_pmf(k, m, alpha, beta)) * relative_tail(k, m, alpha, beta, +1));
  }
  const double below =
      std::exp(log_pmf(k - 1, m, alpha, beta)) * relative_tail(k - 1, m, alpha, beta, -1);
  return std::clamp(1 - below, 0.0, 1.0);
}

double exceedance_p_value(int64_t n, int64_t r, int64_t m, int64_t k) {
  return beta_binomial_upper_tail(k, m, static_cast<double>(n - r + 1), static_cast<double>(r));
}

QuantileShift quantile_shift_test(const QuantileSketch& before, const QuantileSketch& after,
                                  double q) {
  if (!(q > 0 && q < 1)) throw std::logic_error("quantile_shift_test: q must be in (0, 1)");
  QuantileShift result;
  if (before.empty() || after.empty()) return result;
  result.defined = true;
  result.before = before.quantile(q);
  result.after = after.quantile(q);
  // Values at or below the quantile's bucket estimate fall in the first part.
  const double bound[] = {std::nextafter(result.before, std::numeric_limits<double>::infinity())};
  const int64_t rank = static_cast<int64_t>(before.histogram(bound)[0]);
  result.exceeding = static_cast<int64_t>(after.histogram(bound)[1]);
  result.p_greater = exceedance_p_value(static_cast<int64_t>(before.count()), rank,
                                        static_cast<int64_t>(after.count()), result.exceeding);
  return result;
}

}  // namespace slowscope::stats
