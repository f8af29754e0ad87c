#include "analyzer/regression/stats/theil_sen.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace slowscope::stats {

std::optional<double> theil_sen_slope(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size()) throw std::logic_error("theil_sen_slope: x and y differ in size");
  std::vector<double> slopes;
  for (size_t i = 0; i < x.size(); ++i) {
    for (size_t j = i + 1; j < x.size(); ++j) {
      if (x[j] != x[i]) slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
    }
  }
  if (slopes.empty()) return std::nullopt;
  const size_t mid = slopes.size() / 2;
  std::nth_element(slopes.begin(), slopes.begin() + mid, slopes.end());
  if (slopes.size() % 2 == 1) return slopes[mid];
  const double upper = slopes[mid];
  const double lower = *std::max_element(slopes.begin(), slopes.begin() + mid);
  return (lower + upper) / 2;
}

}  // namespace slowscope::stats
