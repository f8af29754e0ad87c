// New shapes: statements that did not run in the baseline and now take a notable share of
// the target's database time (a new feature's query, or an old one rewritten). The share
// decides; the test only makes sure the baseline was long and busy enough to have seen the
// shape had it run at its present rate: given its post-window calls c, the chance that
// none fell in the baseline is (o_post / (o_post + o_base))^c, o the calls of the other
// shapes in each window (a conditional binomial test with the other calls as the measure
// of work). Benjamini–Hochberg across the new shapes.
//
// Pure function over values; thread-safe.
#pragma once

#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/regression/shape_windows.h"

namespace slowscope {

struct NewShapeThresholds {
  double fdr = 0.01;             // Benjamini–Hochberg false discovery rate
  double min_share = 0.05;       // of the target's database time in the post window
  int64_t min_calls = 10;        // in the post window
  double critical_share = 0.25;  // a new shape taking at least this share is critical
};

// The new shapes, costliest first (their whole database time per hour is added).
std::vector<Finding> detect_new_shapes(const TargetWindows& windows,
                                       const NewShapeThresholds& thresholds);

}  // namespace slowscope
