#include "reports/history_report.h"

#include <algorithm>
#include <cmath>

namespace slowscope {

double stddev_time(const Measures& m) {
  if (m.calls <= 0) return 0;
  const double mean = m.mean_time();
  return std::sqrt(std::max(0.0, m.sum_sq / static_cast<double>(m.calls) - mean * mean));
}

}  // namespace slowscope
