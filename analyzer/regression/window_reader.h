// Reading what the detectors judge: one target's shapes over the baseline span(s) and the
// post window — totals (Store::top), per-bucket counts (Store::shape_buckets) and merged
// quantile sketches (Store::merged_sketches), summed over the spans of each window.
//
// Reads the store only; one call at a time per Store (Store is not thread-safe).
#pragma once

#include <string>

#include "analyzer/regression/comparison_windows.h"
#include "analyzer/regression/shape_windows.h"
#include "analyzer/store/store.h"

namespace slowscope {

// Every shape seen in either window, by shape id. Throws StoreError.
TargetWindows read_target_windows(Store& store, const std::string& target,
                                  const ComparisonWindows& windows);

}  // namespace slowscope
