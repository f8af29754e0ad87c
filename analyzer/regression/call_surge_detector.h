// Call-rate surges per unit of work: shapes that run many times more often for the same
// amount of everything else, the N+1 pattern a library or ORM change often causes. A
// shape's calls are normalized by the calls of the target's other shapes, bucket by
// bucket, so that more traffic alone changes nothing. Significance: Welch's t-test on the
// per-bucket ratios of the two windows (bursty traffic makes call counts far more variable
// than Poisson; the spread between buckets measures that), Benjamini–Hochberg across the
// shapes tested.
//
// Pure function over values; thread-safe.
#pragma once

#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/regression/shape_windows.h"

namespace slowscope {

struct CallSurgeThresholds {
  double fdr = 0.01;           // Benjamini–Hochberg false discovery rate
  double min_ratio = 3;        // calls per call of other shapes, after / before
  int64_t min_calls = 30;      // in each window, for a shape to be tested at all
  double critical_ratio = 10;  // a surge at least this large is critical
};

// The surges, costliest first: the added database time is the extra calls (beyond what the
// baseline share predicts for the post window's other calls) at the post window's mean time.
// Shapes that are alone on their target (no other calls to compare with) are not tested.
std::vector<Finding> detect_call_surges(const TargetWindows& windows,
                                        const CallSurgeThresholds& thresholds);

}  // namespace slowscope
