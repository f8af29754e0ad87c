#include "analyzer/regression/stats/mann_kendall.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "analyzer/regression/stats/distributions.h"

namespace slowscope::stats {

MannKendallResult mann_kendall(std::span<const double> series) {
  MannKendallResult r;
  const size_t n = series.size();
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) r.s += (series[j] > series[i]) - (series[j] < series[i]);
  }
  auto term = [](double k) { return k * (k - 1) * (2 * k + 5); };
  std::vector<double> sorted(series.begin(), series.end());
  std::sort(sorted.begin(), sorted.end());
  double ties = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && sorted[j] == sorted[i]) ++j;
    ties += term(static_cast<double>(j - i));
    i = j;
  }
  r.variance = (term(static_cast<double>(n)) - ties) / 18;
  if (r.variance <= 0 || r.s == 0) return r;
  const double s = static_cast<double>(r.s);
  r.z = (s > 0 ? s - 1 : s + 1) / std::sqrt(r.variance);
  r.p_two_sided = 2 * (1 - normal_cdf(std::fabs(r.z)));
  r.p_rising = 1 - normal_cdf(r.z);
  return r;
}

}  // namespace slowscope::stats
