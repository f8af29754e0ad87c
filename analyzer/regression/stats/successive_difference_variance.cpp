#include "analyzer/regression/stats/successive_difference_variance.h"

#include <algorithm>
#include <stdexcept>

namespace slowscope::stats {

std::optional<double> successive_difference_tau2(std::span<const double> values,
                                                 std::span<const double> variances) {
  if (values.size() != variances.size()) {
    throw std::logic_error("successive_difference_tau2: values and variances differ in size");
  }
  for (const double v : variances) {
    if (!(v >= 0)) throw std::logic_error("successive_difference_tau2: a negative variance");
  }
  if (values.size() < 2) return std::nullopt;
  double excess = 0;  // Σ(dᵢ² - vᵢ - vᵢ₊₁): E[dᵢ²] = 2τ² + vᵢ + vᵢ₊₁
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    const double d = values[i + 1] - values[i];
    excess += d * d - variances[i] - variances[i + 1];
  }
  return std::max(0.0, excess / (2.0 * static_cast<double>(values.size() - 1)));
}

}  // namespace slowscope::stats
