// A shape's interval noise: how much its mean latency drifts from one collection interval to
// the next beyond what the spread of its calls explains (load, locks, a busy neighbour). The
// calls of one interval share that moment, so a window of a few intervals is less sure than
// its call count says; continuous detection measures the drift on the intervals just before
// each of its windows and widens their uncertainty by it. Pure function; thread-safe.
#pragma once

#include <span>

#include "analyzer/regression/shape_windows.h"
#include "analyzer/store/measures.h"

namespace slowscope {

// Fewer intervals than this give no estimate: the variance of a handful is too loose.
inline constexpr size_t kMinNoiseIntervals = 10;

// The relative standard deviation of one interval's mean time per call in `intervals`
// (oldest first) beyond the spread of calls `per_call` shows (its coefficient of variation,
// from Σx and Σx²): the τ of stats::successive_difference_tau2 over the logs of the
// intervals' means: a slow trend cancels, and a step among them is one difference of many.
// `intervals` counts those it was measured on: the estimate's own uncertainty (see
// LatencyThresholds::drift_estimate_widening). 0 noise when there are fewer than
// kMinNoiseIntervals intervals with calls, no per-call spread is known or no time was spent.
IntervalNoise measured_interval_noise(std::span<const IntervalCounts> intervals,
                                      const Measures& per_call);

}  // namespace slowscope
