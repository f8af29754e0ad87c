#include "analyzer/regression/latency_detector.h"

#include <limits>
#include <optional>

#include "analyzer/regression/stats/benjamini_hochberg.h"
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

// One shape's test: its p-value and the after/before ratio its practical size is judged on.
struct Tested {
  const ShapeWindows* shape = nullptr;
  double p_value = 1;
  double ratio = 0;  // of means (Welch) or of the quantile that moved (sketches)
  double delta = 0;  // seconds per call, of the same measure
};

double ratio_of(double before, double after) {
  return before > 0 ? after / before : std::numeric_limits<double>::infinity();
}

std::optional<Tested> welch_test(const ShapeWindows& s) {
  const auto before = per_call_moments(s.baseline);
  const auto after = per_call_moments(s.post);
  if (!before || !after) return std::nullopt;
  const stats::WelchResult welch = stats::welch_t_test(*before, *after);
  if (!welch.defined) return std::nullopt;
  const double b = s.baseline.mean_time();
  const double a = s.post.mean_time();
  return Tested{&s, welch.p_greater, ratio_of(b, a), a - b};
}

// Latency distributions are skewed and heavy-tailed: a few very slow calls move the mean,
// and with it Welch's test, while most calls are unchanged. Where sketches hold the whole
// distribution, the exceedance tests at p50 and p95 judge the bulk and the tail instead;
// one p-value per shape (Bonferroni over the two) keeps the shape count of the
// Benjamini–Hochberg family what it is for Welch.
Tested quantile_test(const ShapeWindows& s, const LatencyThresholds& thresholds) {
  const stats::QuantileShift p50 =
      stats::quantile_shift_test(*s.baseline_sketch, *s.post_sketch, 0.5);
  const stats::QuantileShift p95 =
      stats::quantile_shift_test(*s.baseline_sketch, *s.post_sketch, 0.95);
  Tested t{&s, std::min(1.0, 2 * std::min(p50.p_greater, p95.p_greater)), 0, 0};
  // The practical size is that of the quantile that moved most among those large enough;
  // a zero baseline quantile gives no ratio to judge.
  for (const stats::QuantileShift& q : {p50, p95}) {
    if (q.before <= 0) continue;
    const double ratio = q.after / q.before;
    if (ratio >= thresholds.min_ratio && q.after - q.before >= thresholds.min_delta &&
        ratio > t.ratio) {
      t.ratio = ratio;
      t.delta = q.after - q.before;
    }
  }
  return t;
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
        has_sketches(s) ? std::optional(quantile_test(s, thresholds)) : welch_test(s);
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
    if (q_values[i] > thresholds.fdr || t.ratio < thresholds.min_ratio ||
        t.delta < thresholds.min_delta) {
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
