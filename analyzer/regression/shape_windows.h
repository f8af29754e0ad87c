// What the regression detectors judge: one target's query shapes in a baseline window and a
// post window, as sums, per-bucket counts and (for slow-log sources) merged quantile
// sketches, together with the target's own totals. Read from the store by
// read_target_windows (analyzer/regression/window_reader.h); plain value types,
// thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/aggregate/quantile_sketch.h"
#include "analyzer/regression/finding.h"
#include "analyzer/store/measures.h"
#include "analyzer/store/store.h"

namespace slowscope {

// One shape in one stored bucket (a raw interval, an hour or a day) where it ran.
struct IntervalCounts {
  StoreTime start;
  int64_t calls = 0;
  int64_t rows_examined = 0;  // MySQL sources
  int64_t shared_blocks = 0;  // shared blocks hit + read (PostgreSQL)
  double total_time = 0;      // seconds
};

// A shape's interval noise: the relative standard deviation of one interval's mean time per
// call beyond its calls' spread (0: not measured), and how many intervals it was measured
// on (0: taken as known exactly).
struct IntervalNoise {
  double noise = 0;
  size_t intervals = 0;
};

// One shape of one target over both windows. A shape absent from a window has zero
// measures and no buckets there.
struct ShapeWindows {
  std::string target;
  std::string shape_hash;
  std::string fingerprint;
  Measures baseline;
  Measures post;
  std::chrono::seconds post_span{0};             // how long the post window is, for rates per hour
  std::vector<IntervalCounts> baseline_buckets;  // oldest first, only where it ran
  std::vector<IntervalCounts> post_buckets;
  // Present only when the sketches count every call of the window (Measures::calls): the
  // samples of slow-log sources and their rollups carry them.
  std::optional<QuantileSketch> baseline_sketch;
  std::optional<QuantileSketch> post_sketch;
  // How much the shape's mean time per call drifts from one interval to the next beyond its
  // calls' spread, measured just before the post window (measured_interval_noise;
  // detect_recent fills it for each of its windows).
  IntervalNoise interval_noise;
};

// The whole target in one window.
struct WindowTotals {
  int64_t calls = 0;
  double total_time = 0;
  std::map<StoreTime, int64_t> calls_by_bucket;  // every bucket the target has samples in
};

struct TargetWindows {
  std::string target;
  WindowTotals baseline;
  WindowTotals post;
  std::chrono::seconds post_span{0};
  std::vector<ShapeWindows> shapes;  // every shape seen in either window
};

// A finding of `kind` about `shape`, with what every kind reports filled in: key,
// fingerprint, per-call means and calls of both windows.
Finding finding_about(const ShapeWindows& shape, FindingKind kind);

// The extra database time per hour `shape`'s change in mean time per call costs at the post
// window's call rate (negative when it got faster).
double latency_cost_per_hour(const ShapeWindows& shape);

// `span` in hours, for rates per hour.
double hours_of(std::chrono::seconds span);

}  // namespace slowscope
