// The variance of a drift between successive measurements beyond their own sampling
// variances: detection uses it for how much a shape's mean latency moves from one interval
// to the next beyond the spread of its calls. Pure function; thread-safe.
#pragma once

#include <optional>
#include <span>

namespace slowscope::stats {

// τ² ≥ 0 of `values` (in time order) whose sampling variances are `variances` (same
// length, each ≥ 0; throws std::logic_error otherwise), each value being its own
// sampling error plus an independent drift of variance τ²: von Neumann's mean square
// successive difference less the sampling variances, Σ(dᵢ² - vᵢ - vᵢ₊₁) / (2(k - 1)) over
// the k - 1 differences dᵢ = xᵢ₊₁ - xᵢ, at least 0. Differences cancel a slow trend, and a
// level shift is one difference among many. nullopt with fewer than 2 values.
std::optional<double> successive_difference_tau2(std::span<const double> values,
                                                 std::span<const double> variances);

}  // namespace slowscope::stats
