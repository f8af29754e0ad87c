#include "analyzer/regression/stats/welch_t_test.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analyzer/regression/stats/distributions.h"

namespace slowscope::stats {

Moments Moments::of(std::span<const double> values) {
  Moments m;
  for (const double v : values) {
    m.n += 1;
    m.sum += v;
    m.sum_sq += v * v;
  }
  return m;
}

double Moments::variance() const {
  if (n < 2) return 0;
  return std::max(0.0, (sum_sq - sum * sum / n) / (n - 1));
}

WelchResult welch_t_test(const Moments& before, const Moments& after) {
  WelchResult r;
  if (before.n < 2 || after.n < 2) return r;
  r.defined = true;
  const double va = before.variance() / before.n;
  const double vb = after.variance() / after.n;
  const double diff = after.mean() - before.mean();
  const double se2 = va + vb;
  if (se2 <= 0) {
    r.df = before.n + after.n - 2;
    if (diff == 0) return r;  // t = 0, p = 1
    r.t = diff > 0 ? std::numeric_limits<double>::infinity()
                   : -std::numeric_limits<double>::infinity();
    r.p_greater = diff > 0 ? 0 : 1;
    r.p_two_sided = 0;
    return r;
  }
  r.t = diff / std::sqrt(se2);
  r.df = se2 * se2 / (va * va / (before.n - 1) + vb * vb / (after.n - 1));
  r.p_greater = 1 - student_t_cdf(r.t, r.df);
  r.p_two_sided = std::min(1.0, 2 * student_t_cdf(-std::fabs(r.t), r.df));
  return r;
}

}  // namespace slowscope::stats
