// The Theil–Sen slope: the median of the slopes between all pairs of points, a trend
// estimate that a few outliers cannot drag. Pure function; thread-safe. O(n² log n).
#pragma once

#include <optional>
#include <span>

namespace slowscope::stats {

// The slope of `y` over `x` (same length); nullopt when no two x differ.
std::optional<double> theil_sen_slope(std::span<const double> x, std::span<const double> y);

}  // namespace slowscope::stats
