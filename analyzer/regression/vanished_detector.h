// Vanished shapes: statements that ran steadily in the baseline and not at all in the post
// window — a feature that broke, a job that stopped. "Steadily": at least a minimum of
// calls, and present in most of the baseline's buckets, so that a bursty shape's quiet
// spell is not mistaken for its end. Significance: under the baseline's calls per call of
// the other shapes, the post window's other calls predict E calls of the shape; seeing
// none has Poisson probability e^-E. Benjamini–Hochberg across every steady shape (those
// that still ran count with p = 1).
//
// Pure function over values; thread-safe.
#pragma once

#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/regression/shape_windows.h"

namespace slowscope {

struct VanishedThresholds {
  double fdr = 0.01;          // Benjamini–Hochberg false discovery rate
  int64_t min_calls = 30;     // in the baseline
  double min_presence = 0.5;  // share of the baseline's buckets the shape ran in
  double min_expected = 10;   // calls the post window should have had
};

// The vanished shapes, all warnings. They add no database time (ranked last).
std::vector<Finding> detect_vanished(const TargetWindows& windows,
                                     const VanishedThresholds& thresholds);

}  // namespace slowscope
