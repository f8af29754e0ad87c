// Reading what the detectors judge: one target's shapes over the baseline span(s) and the
// post window — totals and per-bucket counts (Store::shape_buckets) and merged quantile
// sketches (Store::merged_sketches), summed over the spans of each window. Each
// window is read on its own, so that several post windows can share one baseline read.
//
// Reads the store only; one call at a time per Store (Store is not thread-safe).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/regression/comparison_windows.h"
#include "analyzer/regression/shape_windows.h"
#include "analyzer/store/store.h"

namespace slowscope {

// One window of one target as the store has it, summed over the window's spans.
struct WindowData {
  std::map<int64_t, ShapeTotals> totals;  // by shape id
  std::map<int64_t, std::vector<IntervalCounts>> buckets;
  std::map<int64_t, QuantileSketch> sketches;
  WindowTotals target;
};

// One stored bucket of a shape, as the detectors count it. Pure.
inline IntervalCounts interval_counts(const ShapeBucketCounts& b) {
  return {b.bucket_start, b.calls, b.rows_examined, b.shared_blocks, b.total_time};
}

// Reads one window. `raw_buckets`: per-bucket counts at the collection interval, for a
// short, recent post window; a baseline reads hours, a week of minutes being too many rows.
// Throws StoreError.
WindowData read_window_data(Store& store, const std::string& target,
                            const std::vector<TimeSpan>& spans, bool raw_buckets);

// The shapes of both windows side by side: every shape seen in either. Pure.
TargetWindows join_windows(const std::string& target, const WindowData& baseline,
                           const WindowData& post, std::chrono::seconds post_span);

// Both windows of `windows`, read and joined. Throws StoreError.
TargetWindows read_target_windows(Store& store, const std::string& target,
                                  const ComparisonWindows& windows);

}  // namespace slowscope
