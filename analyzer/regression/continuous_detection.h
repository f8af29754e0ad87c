// Continuous detection with memory: one pass judges a target's most recent minutes
// (detect_recent) and records what it found in the store with its lifecycle
// (track_findings), so that a regression is reported once when it opens and once when it
// resolves, not every cycle. What `collect` runs after its cycles.
//
// One call at a time per Store (Store is not thread-safe).
#pragma once

#include <string>
#include <vector>

#include "analyzer/regression/finding_tracker.h"
#include "analyzer/regression/recent_detection.h"

namespace slowscope {

struct ContinuousDetectionOptions {
  RecentDetectionOptions recent;
  LifecycleOptions lifecycle;
};

struct DetectionPassReport {
  TargetCheck check;                   // what detect_recent judged
  std::vector<FindingChange> changes;  // what was recorded (none when not evaluated)
};

// Judges [now - post_window, now) of `target` and records the outcome in one transaction.
// New findings follow the latest release of `target` (or of every target) at or before
// `now`. Throws StoreError.
DetectionPassReport run_detection_pass(Store& store, const std::string& target, StoreTime now,
                                       const ContinuousDetectionOptions& options);

}  // namespace slowscope
