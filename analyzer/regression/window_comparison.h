// Window comparison: one target's query shapes in a post window against a baseline, read
// from the store, judged by every detector, and returned as findings ranked by the
// database time they add. The one engine behind `slowscope check` (post window = since a
// release) and the detection `collect` runs after its cycles (post window = the last
// minutes).
//
// Reads the store only; one call at a time per Store (Store is not thread-safe).
#pragma once

#include <string>
#include <vector>

#include "analyzer/regression/call_surge_detector.h"
#include "analyzer/regression/comparison_windows.h"
#include "analyzer/regression/finding.h"
#include "analyzer/regression/latency_detector.h"
#include "analyzer/regression/new_shape_detector.h"
#include "analyzer/regression/rows_per_call_detector.h"
#include "analyzer/regression/shape_windows.h"
#include "analyzer/regression/vanished_detector.h"
#include "analyzer/store/store.h"

namespace slowscope {

// The thresholds of every detector.
struct DetectionOptions {
  LatencyThresholds latency;
  CallSurgeThresholds call_surge;
  RowsPerCallThresholds rows_per_call;
  NewShapeThresholds new_shape;
  VanishedThresholds vanished;

  // The latency detector's false discovery rate and minimum of calls, given to every kind
  // that tests (what --fdr and --min-calls mean).
  void share_latency_fdr_and_min_calls();
};

// One target's outcome.
struct TargetCheck {
  std::string target;
  bool evaluated = false;
  std::string reason;       // why not evaluated (no samples in the post window, no baseline, ...)
  int shapes_compared = 0;  // shapes that ran in both windows
  std::vector<Finding> findings;  // costliest first
  ComparisonWindows windows;      // the spans compared
  // Shapes of either window with fewer than the latency detector's min_calls calls in the
  // post window: latency, call surges and rows per call were not judged for them, so not
  // finding them says nothing about whether they are fixed.
  std::vector<std::string> thin_shapes;
};

// Throws StoreError.
TargetCheck compare_windows(Store& store, const std::string& target,
                            const ComparisonWindows& windows, const DetectionOptions& options);

// compare_windows over windows read already (see window_reader.h), so that several post
// windows can share one baseline read. `windows` only names the spans in the reasons. Pure;
// thread-safe.
TargetCheck judge_windows(const TargetWindows& read, const ComparisonWindows& windows,
                          const DetectionOptions& options);

}  // namespace slowscope
