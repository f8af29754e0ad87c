// Latency regressions: which shapes got slower per call between a baseline window and a
// post window (after a release, or the last minutes), judged on the interval sums the store
// keeps (calls, Σ time, Σ time²) with Welch's t-test — or, where quantile sketches cover
// every call of both windows (slow logs), on p50 and p95 with exceedance tests — the
// p-values of all shapes tested together controlled by Benjamini–Hochberg, and kept only
// when practically large too.
//
// Practical size is judged with the measurement's own uncertainty: a shape that truly got
// min_ratio times slower measures above or below min_ratio about equally often, so
// requiring the measured ratio to reach it would miss half of the regressions exactly at
// the threshold. A shape is large enough when the one-sided upper confidence bound of its
// ratio (and of its added time per call) reaches the threshold, and the measurement itself
// is at least halfway there; where asked, its lower bound must also reach a smaller ratio
// (a sure slowdown, which a chance mean with a wide interval is not).
//
// Pure function over values; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/regression/shape_windows.h"

namespace slowscope {

struct LatencyThresholds {
  // -------------------
  // Which shapes are tested, and how surely

  // In each window, for a shape to be tested at all.
  int64_t min_calls = 30;
  // Benjamini–Hochberg false discovery rate over the shapes tested together.
  double fdr = 0.01;

  // -------------------
  // Practical size: how much slower a finding must be

  // After / before mean (or p50 or p95) at least this...
  double min_ratio = 1.5;
  // ...and at least this many seconds slower per call.
  double min_delta = 0.001;
  // The upper confidence bound the practical size is judged on, in standard errors (1.645:
  // one-sided 95 %, for a check's one comparison; continuous detection, which compares
  // every interval, uses 0.84: see continuous_defaults()). 0 judges the measured ratio and
  // delta alone.
  double size_confidence_z = 1.645;
  // When above 0, the ratio's lower confidence bound at `low_confidence_z` standard errors
  // must reach this too: a sure slowdown of at least this much. It keeps out what a wide
  // interval lets through the upper bound (a chance high mean of heavy-tailed calls), and
  // lets a precise measurement a little under min_ratio count.
  double min_ratio_low = 0;
  // The lower bound min_ratio_low is judged on, in standard errors.
  double low_confidence_z = 1.645;
  // A finding at least this much slower is critical, else a warning.
  double critical_ratio = 3;

  // -------------------
  // Windows of a few intervals (continuous detection): the calls of one interval share the
  // same moments (load, locks, a busy neighbour), and chance extremes add up over passes.
  // Each rule is off at 0 (or false).

  // When above 0, every interval of the post window the shape ran in must be this much
  // slower per call than the baseline's mean: a step shows in each interval after it, a
  // chance burst of very slow calls (heavy tails) in one.
  double min_interval_ratio = 0;
  // Judge the post window's per-call spread as at least the baseline's, relative to its
  // mean (coefficient of variation): a scaled-up latency keeps its shape, while a few
  // minutes of heavy-tailed calls usually miss the rare slow ones that make the spread, and
  // a spread measured too small makes a chance high mean look certain.
  bool post_spread_at_least_baseline = false;
  // Interval-level noise: the relative standard deviation of one interval's mean latency
  // beyond what the spread of its calls explains, at least this, or the shape's own where
  // measured (ShapeWindows::interval_noise). It adds noise² / intervals to the variance of
  // the log ratio the bounds and min_z are judged on, and the p-value is at least that of
  // the log ratio over this wider standard error. 0: none but the measured.
  double interval_noise = 0;
  // When above 0, the log of the ratio must reach this many of its standard errors, raised
  // for the right skew of a mean of heavy-tailed calls (Cornish–Fisher, with the skewness of
  // a lognormal of the baseline's spread): a sure slowdown for windows judged every
  // interval, whose chance extremes Benjamini–Hochberg over one pass's shapes does not
  // count across passes. Defined for Welch: with it, shapes judged on sketches are not
  // findings (the rule is not measured for them).
  double min_z = 0;
  // When above 0, the log of the ratio (of means, or of the quantile that moved) must also
  // reach this many standard deviations of the interval noise alone over the window's
  // intervals (noise / √intervals): a shape's own drift, however many calls share each of
  // its moments.
  double min_drift_z = 0;
  // A drift measured on k intervals (ShapeWindows::interval_noise) is itself uncertain, and
  // one read low lets a swing through: min_drift_z is then raised to
  // min_drift_z·√(1 + drift_estimate_widening / k), the way Student's t raises a normal
  // quantile for a variance estimated on about k/2 degrees of freedom. 0: not raised.
  double drift_estimate_widening = 0;
};

// The latency findings, costliest first (added database time per hour). Shapes with
// neither sketches nor a sum of squares (sources without per-call variance) are not tested.
std::vector<Finding> detect_latency_regressions(std::span<const ShapeWindows> shapes,
                                                const LatencyThresholds& thresholds);

}  // namespace slowscope
