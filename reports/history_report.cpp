#include "reports/history_report.h"

#include <algorithm>
#include <cmath>

namespace slowscope {

std::string_view to_string(TopOrder order) {
  switch (order) {
    case TopOrder::kTotal:
      return "total";
    case TopOrder::kMean:
      return "mean";
    case TopOrder::kCalls:
      return "calls";
    case TopOrder::kRows:
      return "rows";
    case TopOrder::kIo:
      return "io";
  }
  return "total";
}

double stddev_time(const Measures& m) {
  if (m.calls <= 0) return 0;
  const double mean = m.mean_time();
  return std::sqrt(std::max(0.0, m.sum_sq / static_cast<double>(m.calls) - mean * mean));
}

}  // namespace slowscope
