// The post-release check: for each target a release applies to, compare every query shape's
// post window (from the release on) with its baseline (the span before the release) and
// report the regressions found, or why the target could not be evaluated. What
// `slowscope check` runs; its verdict maps to the documented exit codes.
//
// Reads the store only; one call at a time per Store (Store is not thread-safe).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "analyzer/regression/window_comparison.h"
#include "analyzer/store/store.h"

namespace slowscope {

struct CheckOptions {
  std::chrono::seconds window{30 * 60};          // post window length
  std::chrono::seconds baseline{7 * 24 * 3600};  // baseline length, before the release
  DetectionOptions detection;
  BaselineMode baseline_mode = BaselineMode::kPrevious;
};

struct CheckResult {
  Release release;
  BaselineMode baseline_mode = BaselineMode::kPrevious;
  // What the post window was compared with, oldest first: the span asked for, ending
  // before the raw bucket that holds the release (which is in neither window) when every
  // target's does (targets' own spans: TargetCheck::windows).
  std::vector<TimeSpan> baseline;
  StoreTime post_from;             // the release time
  StoreTime post_until;            // release + window, or now if earlier
  std::vector<TargetCheck> targets;

  // 0 nothing regressed, 1 a finding at or above `fail_on`, 3 a target could not be
  // evaluated (and nothing at or above `fail_on` was found elsewhere).
  int exit_code(Severity fail_on) const;
};

// Throws StoreError, and InvalidInput for options comparison_windows() refuses. A
// release for every target checks every registered target.
CheckResult check_release(Store& store, const Release& release, const CheckOptions& options,
                          StoreTime now);

}  // namespace slowscope
