// The Mann–Kendall trend test: is a series (e.g. a shape's daily mean latency) monotonically
// rising or falling? Normal approximation with the correction for ties and for continuity.
// Pure function; thread-safe. O(n²): meant for series of days, not of raw samples.
#pragma once

#include <cstdint>
#include <span>

namespace slowscope::stats {

struct MannKendallResult {
  int64_t s = 0;        // concordant minus discordant pairs (positive: rising)
  double variance = 0;  // of s under no trend, tie-corrected
  double z = 0;
  double p_two_sided = 1;
  double p_rising = 1;  // one-sided: P(S >= s) under no trend
};

MannKendallResult mann_kendall(std::span<const double> series);

}  // namespace slowscope::stats
