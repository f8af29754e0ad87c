// Window comparison: one target's query shapes in a post window against a baseline window,
// read from the store, judged by every detector that applies, and returned as findings
// ranked by the database time they add. The one engine behind `slowscope check` (post
// window = since a release) and the detection `collect` runs after its cycles (post window
// = the last minutes).
//
// Reads the store only; one call at a time per Store (Store is not thread-safe).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/regression/latency_detector.h"
#include "analyzer/store/store.h"

namespace slowscope {

// [baseline_from, baseline_until) is compared with [post_from, post_until).
struct ComparisonWindows {
  StoreTime baseline_from;
  StoreTime baseline_until;
  StoreTime post_from;
  StoreTime post_until;
};

// Where a baseline that should end at `at` ends: the start of the hour holding `at` when the
// baseline is a day or longer, so that the store serves all of it from its rollups instead of
// up to an hour of raw samples per shape (an hour in 24 or more shifts little); `at` itself
// for shorter baselines, whose minutes all count.
StoreTime baseline_end(StoreTime at, std::chrono::seconds baseline);

// The thresholds of every detector.
struct DetectionOptions {
  LatencyThresholds latency;
};

// One target's outcome.
struct TargetCheck {
  std::string target;
  bool evaluated = false;
  std::string reason;  // why not evaluated (no samples in the post window, no baseline, ...)
  int shapes_compared = 0;
  std::vector<Finding> findings;  // costliest first
};

// Throws StoreError.
TargetCheck compare_windows(Store& store, const std::string& target,
                            const ComparisonWindows& windows, const DetectionOptions& options);

// One window of one target as the store sums it: every shape with samples in
// [since, until), by shape id.
using WindowTotals = std::map<int64_t, ShapeTotals>;

// Reads a window for compare_windows below. Throws StoreError.
WindowTotals read_window(Store& store, const std::string& target, StoreTime since, StoreTime until);

// compare_windows over windows read already, so that several post windows can share one
// baseline read. Pure; thread-safe.
TargetCheck compare_windows(const std::string& target, const WindowTotals& baseline,
                            const WindowTotals& post, const ComparisonWindows& windows,
                            const DetectionOptions& options);

}  // namespace slowscope
