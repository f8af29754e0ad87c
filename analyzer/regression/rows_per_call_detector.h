// Rows examined / blocks read per call surges: shapes that do much more work per call than
// before, the mark of a plan change (a lost index, a changed join order) even before it
// shows in latency — a cached table hides a full scan's time, not its work. The work is
// rows examined for MySQL sources and shared blocks hit + read for PostgreSQL.
// Significance: Welch's t-test on the per-bucket means (work / calls of each bucket):
// calls within a bucket are not independent (the same parameters repeat), buckets are
// closer to it. Benjamini–Hochberg across the shapes tested.
//
// Pure function over values; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/regression/shape_windows.h"

namespace slowscope {

struct RowsPerCallThresholds {
  double fdr = 0.01;           // Benjamini–Hochberg false discovery rate
  double min_ratio = 2;        // work per call, after / before
  double min_delta = 10;       // and at least this many more rows or blocks per call
  int64_t min_calls = 30;      // in each window, for a shape to be tested at all
  double critical_ratio = 10;  // a surge at least this large is critical
};

// The surges, costliest first (added database time per hour from the change in per-call
// latency; it may be zero or negative when the extra work is cached). Shapes that did no
// work per call in the baseline, or ran in fewer than two buckets of a window, are not
// tested.
std::vector<Finding> detect_rows_per_call(std::span<const ShapeWindows> shapes,
                                          const RowsPerCallThresholds& thresholds);

}  // namespace slowscope
