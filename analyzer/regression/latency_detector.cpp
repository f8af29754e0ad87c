#include "analyzer/regression/latency_detector.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "analyzer/regression/stats/benjamini_hochberg.h"
#include "analyzer/regression/stats/distributions.h"
#include "analyzer/regression/stats/quantile_shift_test.h"
#include "analyzer/regression/stats/welch_t_test.h"

namespace slowscope {
namespace {

// Per-call moments, when the source knows the sum of squares: Σx² can never be below
// (Σx)²/n, so a smaller one (0 from sources without it) means "unknown".
std::optional<stats::Moments> per_call_moments(const Measures& m) {
  const double n = static_cast<double>(m.calls);
  if (m.calls < 2) return std::nullopt;
  if (m.sum_sq < m.total_time * m.total_time / n * (1 - 1e-9)) return std::nullopt;
  return stats::Moments{n, m.total_time, m.sum_sq};
}

// One shape's test: its p-value, and the after/before ratio and added seconds per call its
// practical size is judged on, measured and at their upper confidence bounds.
struct Tested {
  const ShapeWindows* shape = nullptr;
  double p_value = 1;
  double ratio = 0;  // of means (Welch) or of the quantile that moved (sketches)
  double delta = 0;  // seconds per call, of the same measure
  double ratio_bound = 0;
  double delta_bound = 0;
  double ratio_low = 0;  // the ratio's lower bound (LatencyThresholds::low_confidence_z)
  // Ruled out whatever its size and q-value (within its own drift, not surely slower, no
  // quantile large enough): still one of the shapes tested, in the Benjamini–Hochberg
  // family, but never a finding.
  bool no_finding = false;
};

double ratio_of(double before, double after) {
  return before > 0 ? after / before : std::numeric_limits<double>::infinity();
}

// Large enough to matter: the threshold is within the confidence bound, and the
// measurement at least halfway to it (a wide interval alone does not make a finding).
bool practically_large(const Tested& t, const LatencyThresholds& thresholds) {
  return t.ratio_bound >= thresholds.min_ratio && t.delta_bound >= thresholds.min_delta &&
         t.ratio >= (1 + thresholds.min_ratio) / 2 && t.delta >= thresholds.min_delta / 2 &&
         (thresholds.min_ratio_low <= 0 || t.ratio_low >= thresholds.min_ratio_low);
}

// `after` with its variance raised to the baseline's coefficient of variation at its own
// mean, where it is below that (LatencyThresholds::post_spread_at_least_baseline).
stats::Moments with_spread_of(const stats::Moments& after, const stats::Moments& before) {
  const double before_mean = before.mean();
  if (before_mean <= 0 || after.n < 2) return after;
  const double cv = std::sqrt(before.variance()) / before_mean;
  const double floor = cv * cv * after.mean() * after.mean();
  if (after.variance() >= floor) return after;
  // variance = (Σx² - (Σx)²/n) / (n - 1), solved for Σx².
  return stats::Moments{after.n, after.sum,
                        floor * (after.n - 1) + after.sum * after.sum / after.n};
}

// The z a ratio's log must reach for one-sided level `z` when the after mean is skewed
// right: the Cornish–Fisher quantile z + g(z² - 1)/6, g the skewness of the log ratio's
// estimate. Latency is heavy-tailed, and Σx and Σx² tell no third moment: the calls are
// taken as lognormal with the baseline's coefficient of variation (skewness (cv² + 3) cv),
// and only the per-call share of the variance carries it.
double skew_aware_z(double z, const stats::Moments& before, double after_n, double per_call_share) {
  const double mean = before.mean();
  if (mean <= 0 || after_n < 1) return z;
  const double cv = std::sqrt(before.variance()) / mean;
  const double skew =
      (cv * cv + 3) * cv / std::sqrt(after_n) * std::pow(std::clamp(per_call_share, 0.0, 1.0), 1.5);
  return z + skew * (z * z - 1) / 6;
}

// The standard deviation interval noise gives a window's log mean: the larger of the floor
// and the shape's measured noise, over √intervals.
double drift_sd(const ShapeWindows& s, const LatencyThresholds& thresholds) {
  const double intervals = static_cast<double>(std::max<size_t>(1, s.post_buckets.size()));
  return std::max(thresholds.interval_noise, s.interval_noise.noise) / std::sqrt(intervals);
}

// Whether `ratio` stands out of the window's drift by LatencyThresholds::min_drift_z, raised
// for a drift estimated on few intervals.
bool beyond_drift(double ratio, const ShapeWindows& s, const LatencyThresholds& thresholds) {
  if (thresholds.min_drift_z <= 0) return true;
  double z = thresholds.min_drift_z;
  if (s.interval_noise.intervals > 0 && s.interval_noise.noise >= thresholds.interval_noise) {
    z *= std::sqrt(1 + thresholds.drift_estimate_widening /
                           static_cast<double>(s.interval_noise.intervals));
  }
  return ratio > 0 && std::log(ratio) >= z * drift_sd(s, thresholds);
}

std::optional<Tested> welch_test(const ShapeWindows& s, const LatencyThresholds& thresholds) {
  const auto before = per_call_moments(s.baseline);
  auto after = per_call_moments(s.post);
  if (!before || !after) return std::nullopt;
  if (thresholds.post_spread_at_least_baseline) after = with_spread_of(*after, *before);
  const stats::WelchResult welch = stats::welch_t_test(*before, *after);
  if (!welch.defined) return std::nullopt;
  const double b = s.baseline.mean_time();
  const double a = s.post.mean_time();
  const double z = thresholds.size_confidence_z;
  const double var_b = before->variance() / before->n;
  const double var_a = after->variance() / after->n;
  // Interval noise scales with the mean: a relative variance of noise² per interval.
  const double noise_rel_var = std::pow(drift_sd(s, thresholds), 2);
  Tested t{&s, welch.p_greater, ratio_of(b, a), a - b, 0, 0};
  t.delta_bound = t.delta + z * std::sqrt(var_a + var_b + noise_rel_var * a * a);
  t.ratio_bound = t.ratio;
  if (a > 0 && b > 0) {
    // The ratio's bounds by the delta method on its logarithm: Var(ln x̄) ≈ Var(x̄) / x̄².
    const double per_call_log_var = var_a / (a * a) + var_b / (b * b);
    const double log_se = std::sqrt(per_call_log_var + noise_rel_var);
    t.ratio_bound = t.ratio * std::exp(z * log_se);
    t.ratio_low = t.ratio * std::exp(-thresholds.low_confidence_z * log_se);
    // Welch counts every call as independent; with interval noise they are not, and the
    // log ratio over its wider standard error is the surer p-value.
    if (noise_rel_var > 0) {
      t.p_value = std::max(t.p_value, stats::normal_cdf(-std::log(t.ratio) / log_se));
    }
    if (!beyond_drift(t.ratio, s, thresholds)) {
      t.no_finding = true;  // within the shape's own drift
    } else if (thresholds.min_z > 0 &&
               std::log(t.ratio) < log_se * skew_aware_z(thresholds.min_z, *before, after->n,
                                                         (var_a / (a * a)) / (log_se * log_se))) {
      t.no_finding = true;  // not surely slower
    }
  } else if (thresholds.min_z > 0) {
    t.no_finding = true;  // no log ratio to judge min_z on
  }
  return t;
}

// The q-quantile at `z` standard errors of its rank from q (binomial: sqrt(q(1-q)/n)), the
// bound of a quantile's confidence interval without assuming a distribution.
double quantile_at_rank_bound(const QuantileSketch& sketch, double q, double z) {
  const double n = static_cast<double>(sketch.count());
  return sketch.quantile(std::clamp(q + z * std::sqrt(q * (1 - q) / n), 0.0, 1.0));
}

// Latency distributions are skewed and heavy-tailed: a few very slow calls move the mean,
// and with it Welch's test, while most calls are unchanged. Where sketches hold the whole
// distribution, the exceedance tests at p50 and p95 judge the bulk and the tail instead;
// one p-value per shape (Bonferroni over the two) keeps the shape count of the
// Benjamini–Hochberg family what it is for Welch.
Tested quantile_test(const ShapeWindows& s, const LatencyThresholds& thresholds) {
  const QuantileSketch& before = *s.baseline_sketch;
  const QuantileSketch& after = *s.post_sketch;
  double p_value = 1;
  std::optional<Tested> largest;  // of the quantiles large enough
  for (const double q : {0.5, 0.95}) {
    const stats::QuantileShift shift = stats::quantile_shift_test(before, after, q);
    p_value = std::min(p_value, std::min(1.0, 2 * shift.p_greater));
    // A zero baseline quantile gives no ratio to judge.
    if (shift.before <= 0) continue;
    const double z = thresholds.size_confidence_z;
    const double before_low = quantile_at_rank_bound(before, q, -z);
    const double after_high = quantile_at_rank_bound(after, q, z);
    const double before_high = quantile_at_rank_bound(before, q, thresholds.low_confidence_z);
    const double after_low = quantile_at_rank_bound(after, q, -thresholds.low_confidence_z);
    Tested size{&s,
                0,
                shift.after / shift.before,
                shift.after - shift.before,
                before_low > 0 ? after_high / before_low : std::numeric_limits<double>::infinity(),
                after_high - before_low,
                before_high > 0 ? after_low / before_high : 0};
    if (practically_large(size, thresholds) && beyond_drift(size.ratio, s, thresholds) &&
        (!largest || size.ratio > largest->ratio)) {
      largest = size;
    }
  }
  // None large enough, or min_z asked (defined for Welch only): no finding.
  if (!largest || thresholds.min_z > 0) {
    return Tested{.shape = &s, .p_value = p_value, .no_finding = true};
  }
  largest->p_value = p_value;
  return *largest;
}

bool slower_in_every_interval(const ShapeWindows& s, const LatencyThresholds& thresholds) {
  if (thresholds.min_interval_ratio <= 0) return true;
  const double floor = thresholds.min_interval_ratio * s.baseline.mean_time();
  return std::ranges::all_of(s.post_buckets, [&](const IntervalCounts& b) {
    return b.total_time >= floor * static_cast<double>(b.calls);
  });
}

bool has_sketches(const ShapeWindows& s) {
  return s.baseline_sketch && s.post_sketch && !s.baseline_sketch->empty() &&
         !s.post_sketch->empty();
}

}  // namespace

std::vector<Finding> detect_latency_regressions(std::span<const ShapeWindows> shapes,
                                                const LatencyThresholds& thresholds) {
  std::vector<Tested> tested;
  std::vector<double> p_values;
  for (const ShapeWindows& s : shapes) {
    if (s.baseline.calls < thresholds.min_calls || s.post.calls < thresholds.min_calls) continue;
    const std::optional<Tested> t =
        has_sketches(s) ? std::optional(quantile_test(s, thresholds)) : welch_test(s, thresholds);
    if (!t) continue;
    tested.push_back(*t);
    p_values.push_back(t->p_value);
  }
  // Every tested shape counts in the correction, also those too small to matter: leaving
  // them out after looking would understate the number of tests.
  const std::vector<double> q_values = stats::benjamini_hochberg(p_values);

  std::vector<Finding> findings;
  for (size_t i = 0; i < tested.size(); ++i) {
    const Tested& t = tested[i];
    const ShapeWindows& s = *t.shape;
    if (t.no_finding || q_values[i] > thresholds.fdr || !practically_large(t, thresholds) ||
        !slower_in_every_interval(s, thresholds)) {
      continue;
    }
    Finding f = finding_about(s, FindingKind::kLatency);
    f.severity = t.ratio >= thresholds.critical_ratio ? Severity::kCritical : Severity::kWarning;
    f.ratio = t.ratio;
    f.p_value = t.p_value;
    f.q_value = q_values[i];
    f.added_seconds_per_hour = latency_cost_per_hour(s);
    findings.push_back(std::move(f));
  }
  rank_findings(findings);
  return findings;
}

}  // namespace slowscope
