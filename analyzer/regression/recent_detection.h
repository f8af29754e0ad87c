// Continuous detection: are a target's most recent minutes worse than its baseline? What
// `collect` runs after its cycles, so that a regression with no release marker (a slow
// build-up, a config change) is found within minutes too.
//
// Reads the store only; one call at a time per Store (Store is not thread-safe).
#pragma once

#include <chrono>
#include <string>

#include "analyzer/regression/window_comparison.h"
#include "analyzer/store/store.h"

namespace slowscope {

struct RecentDetectionOptions {
  std::chrono::seconds post_window{15 * 60};     // the recent span judged
  std::chrono::seconds baseline{7 * 24 * 3600};  // the span before it, compared with
  DetectionOptions detection;
  BaselineMode baseline_mode = BaselineMode::kPrevious;
};

// Compares [now - post_window, now) with its baseline. Throws StoreError, and
// std::invalid_argument for options comparison_windows() refuses.
TargetCheck detect_recent(Store& store, const std::string& target, StoreTime now,
                          const RecentDetectionOptions& options);

}  // namespace slowscope
