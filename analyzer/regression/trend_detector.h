// Trend detection: which shapes get slower day after day — the slow build-up that no single
// comparison of two windows shows, because each day is only a little worse than the one
// before. Per shape, the daily mean latency over the last days is tested for a rising trend
// with Mann–Kendall (Benjamini–Hochberg across the shapes tested together) and its size
// estimated with the Theil–Sen slope; kept only when the rise is practically large too.
//
// Pure function over values; thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/store/measures.h"
#include "analyzer/store/store.h"

namespace slowscope {

// One shape of one target, day by day, oldest first. Days without calls may be absent.
struct ShapeDailySeries {
  std::string target;
  std::string shape_hash;
  std::string fingerprint;
  struct Day {
    StoreTime start;
    Measures measures;
  };
  std::vector<Day> days;
};

struct TrendThresholds {
  double fdr = 0.01;                // Benjamini–Hochberg false discovery rate
  int min_days = 7;                 // days with enough calls, for a shape to be tested
  int64_t min_calls_per_day = 100;  // a day with fewer calls is left out of the series
  double min_daily_rise = 0.02;     // slope at least this share of the first fitted day
  double min_total_ratio = 1.2;     // and the fitted last day at least this much slower
  double critical_ratio = 2;        // a trend that doubled the latency is critical
};

// The trend findings (kind kTrend), costliest first. A finding's before/after means are the
// Theil–Sen line at the first and the last day tested, `daily_rise` its slope relative to
// the first, and its added time per hour is at the last day's call rate.
std::vector<Finding> detect_latency_trends(std::span<const ShapeDailySeries> shapes,
                                           const TrendThresholds& thresholds);

}  // namespace slowscope
