// Benjamini–Hochberg control of the false discovery rate across many tests (one per query
// shape): the q-value of each p-value, i.e. the smallest FDR at which it is a discovery.
// Pure function; thread-safe.
#pragma once

#include <span>
#include <vector>

namespace slowscope::stats {

// q-values in the order of `p`; NaN p-values count as 1.
std::vector<double> benjamini_hochberg(std::span<const double> p);

}  // namespace slowscope::stats
