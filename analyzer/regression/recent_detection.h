// Continuous detection: are a target's most recent minutes worse than its baseline? What
// `collect` runs after its cycles, so that a regression with no release marker (a slow
// build-up, a config change) is found within minutes too.
//
// The recent span is judged at several lengths ending now: the post window, whose many
// calls show moderate slowdowns, and short windows of a few intervals, in which a fresh step
// is not diluted by the minutes before it. See docs/REGRESSION.md ("Continuous detection").
//
// Reads the store only; one call at a time per Store (Store is not thread-safe).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "analyzer/regression/recent_intervals.h"
#include "analyzer/regression/window_comparison.h"
#include "analyzer/store/store.h"

namespace slowscope {

// check's thresholds, tightened for a judgement made every interval, where rare chance
// events add up over a day:
// - a vanished shape must have been expected 20 times in the window instead of 10: a shape
//   expecting 10-12 calls goes quiet for 15 minutes by chance (e^-12 per window) often
//   enough to show up in the simulator's control runs (one in their first 1,200
//   shape-days); at 20, e^-20 is far below the target rate;
// - latency size on the one-sided 80 % upper bound instead of 95 %: at 95 % an unchanged
//   shape measured at 1.34-1.45x after a few heavy-tail calls passed about once per 7,500
//   control shape-days, while 80 % finds as many 1.5x steps (many passes catch a step).
inline DetectionOptions continuous_defaults() {
  DetectionOptions d;
  d.vanished.min_expected = 20;
  d.latency.size_confidence_z = 0.84;
  return d;
}

struct RecentDetectionOptions {
  std::chrono::seconds post_window{15 * 60};     // the recent span judged by every detector
  std::chrono::seconds baseline{7 * 24 * 3600};  // the span before it, compared with
  // Shorter spans ending now, judged for latency only; set them to a few collection
  // intervals (2 and 5 at the default 1-minute interval). Empty: the post window alone.
  std::vector<std::chrono::seconds> short_windows{std::chrono::minutes(2), std::chrono::minutes(5)};
  // Longer spans ending now, judged for latency only, by the post window's rules, after the
  // others: a thin shape (a few calls a minute) gathers in an hour the calls a moderate
  // slowdown needs. Empty: none.
  std::vector<std::chrono::seconds> long_windows;
  // A short window's finding must reach this ratio on short_window_size_z's bound (and
  // pass the latency thresholds): a few intervals carry interval-level noise (load, locks,
  // a busy neighbour) that per-call variance does not describe.
  double short_window_min_ratio = 2.0;
  // The confidence bound a short window's size is judged on (LatencyThresholds::
  // size_confidence_z; 0: the measured ratio), and whether its per-call spread is taken as
  // at least the baseline's (LatencyThresholds::post_spread_at_least_baseline). A few
  // minutes of heavy-tailed calls mostly miss the rare slow ones, so their own spread is
  // too small to bound the mean with: on the 90 % bound alone, unchanged shapes' 2-minute
  // windows at 1.75-1.95x (51-294 calls) became findings, 5 in 30,000 control shape-days.
  // With the baseline's spread on the 80 % bound, 2x-5x steps on busy shapes were found
  // within 2 intervals 96 % / 85 % of the time (two seeds; 80 % / 82 % on the measured
  // ratio). See docs/BENCHMARKS.md ("Detection quality").
  double short_window_size_z = 0.84;
  bool short_window_spread_at_least_baseline = true;
  // A sure slowdown as well: the ratio's lower bound at short_window_low_z must reach this
  // (LatencyThresholds::min_ratio_low; 0: not judged). Measured with the minimum at 1.75x
  // and 1.5x here: 100 % / 92 % of those steps within 2 intervals, but 5 false findings in
  // 30,000 control shape-days instead of 3 (unchanged shapes' 2-minute windows measuring
  // 1.77x and 1.78x precisely), so off by default.
  double short_window_min_ratio_low = 0;
  double short_window_low_z = 1.645;
  // LatencyThresholds::min_interval_ratio of the short windows: each of their intervals must
  // be this much slower than the baseline (0: not judged). A step slows every interval after
  // it; a chance burst of very slow calls lands in one.
  double short_window_min_interval_ratio = 1.25;
  // The calls a short window needs for its latency test, when more than the post window's
  // min_calls (0: the same). With a bound (short_window_size_z > 0), 100 kept the thin
  // windows out but not the 1.88x one above, and cost 2-interval detection (87-88 %).
  int64_t short_window_min_calls = 0;
  // A second rule for the short windows, for precise measurements a little under
  // short_window_min_ratio (a true 2x step measures under 2x about half the time): at least
  // this ratio on the short_window_size_z bound, with interval noise in the ratio's
  // uncertainty (LatencyThresholds::interval_noise: short_window_interval_noise), and a log
  // ratio of at least short_window_precise_min_z standard errors, raised for heavy tails
  // (LatencyThresholds::min_z). A window is a finding by either rule (0: the 2x rule
  // alone). The noise is an assumption, the simulator's 11 %, not measured on the target.
  // Measured: busy 2x-5x steps within 2 intervals 100 % / 92 % (two seeds; 96 % / 85 %
  // with the 2x rule alone), and the same 3 false findings in 30,000 control shape-days,
  // none of them from this rule. See docs/BENCHMARKS.md ("Detection quality").
  double short_window_precise_min_ratio = 1.75;
  double short_window_interval_noise = 0.12;
  double short_window_precise_min_z = 4.5;
  // Each shape's own interval noise (ShapeWindows::interval_noise: how much its mean moves
  // from one interval to the next beyond its calls' spread) is measured on its raw
  // intervals in this span before each window, the post window's and the short ones'. It
  // widens the latency test's uncertainty and p-value where it is above the rule's floor
  // (0, or short_window_interval_noise for the precise rule). 0: not measured. Three hours
  // of 1-minute intervals: the estimate's error is what drift_z must allow for, and on 60
  // intervals it is about twice that on 180 (a true 11 % read 9-13 % from p10 to p90 on
  // 60, 10-12 % on 180, for 100 calls a minute of CV 0.6).
  std::chrono::seconds noise_span{180 * 60};
  // A window's log ratio must reach this many standard deviations of that noise over its
  // intervals (LatencyThresholds::min_drift_z; 0: not judged): a shape whose mean swings by
  // a quarter from minute to minute is not slower for 2 minutes that swung twice as far,
  // however many calls they hold. A window is judged every interval, about 1,440 times a
  // day, so one false finding in 10,000 shape-days is a one-sided 6e-8 a window: 5.3
  // standard deviations of a drift known exactly. Measured on k intervals, the drift is
  // not (LatencyThresholds::drift_estimate_widening): the bar is 5.3·√(1 + 30/k), 6.5 on
  // 60 intervals, 5.7 on 180. With a flat 5 on 60 intervals, 200 shapes drifting 10-30 % a
  // minute had 4 short-window false findings in 400 shape-days; with 6.5 none, and with
  // 5.75 on 180 none. See docs/REGRESSION.md ("Each shape's own drift").
  double drift_z = 5.3;
  double drift_estimate_widening = 30;
  DetectionOptions detection = continuous_defaults();
  // kSameHours: the clock hours of the recent span on each day of the baseline, so that the
  // recent minutes are compared with the load they usually see (latency follows load). A
  // target with no samples in those hours yet (less than a day of history) is compared with
  // the span before instead.
  BaselineMode baseline_mode = BaselineMode::kSameHours;
};

// Compares [now - w, now) for the post window and each short window w with the baseline of
// the post window (comparison_windows), and each long window with its own. Each of the k
// windows (and rules) is tested for latency at false discovery rate fdr / k, so the findings
// of all of them together keep the rate at fdr. A shape found in several windows is reported
// once, with the evidence of the longest of the post and short windows that found it (a long
// window's only when none did).
// `evaluated`, `reason` and `shapes_compared` are the post window's. Throws StoreError, and
// InvalidInput for options comparison_windows() refuses.
// `kept`: the target's raw intervals as the previous pass left them, refreshed here and
// left for the next (collect keeps one per target); null: read afresh.
TargetCheck detect_recent(Store& store, const std::string& target, StoreTime now,
                          const RecentDetectionOptions& options, RecentIntervals* kept = nullptr);

}  // namespace slowscope
