#include "analyzer/regression/stats/benjamini_hochberg.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace slowscope::stats {

std::vector<double> benjamini_hochberg(std::span<const double> p) {
  const size_t m = p.size();
  auto value = [&](size_t i) { return std::isnan(p[i]) ? 1.0 : std::clamp(p[i], 0.0, 1.0); };
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return value(a) < value(b); });
  std::vector<double> q(m);
  double running = 1;
  for (size_t k = m; k-- > 0;) {  // from the largest p down: q_(k) = min_{j>=k} p_(j) m / j
    running = std::min(running, value(order[k]) * static_cast<double>(m) / (k + 1));
    q[order[k]] = running;
  }
  return q;
}

}  // namespace slowscope::stats
