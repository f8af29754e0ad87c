#include "analyzer/regression/latency_detector.h"

#include <limits>
#include <optional>

#include "analyzer/regression/stats/benjamini_hochberg.h"
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

}  // namespace

std::vector<Finding> detect_latency_regressions(std::span<const ShapeWindows> shapes,
                                                const LatencyThresholds& thresholds) {
  struct Tested {
    const ShapeWindows* shape;
    stats::WelchResult welch;
  };
  std::vector<Tested> tested;
  std::vector<double> p_values;
  for (const ShapeWindows& s : shapes) {
    if (s.baseline.calls < thresholds.min_calls || s.post.calls < thresholds.min_calls) continue;
    const auto before = per_call_moments(s.baseline);
    const auto after = per_call_moments(s.post);
    if (!before || !after) continue;
    const stats::WelchResult welch = stats::welch_t_test(*before, *after);
    if (!welch.defined) continue;
    tested.push_back({&s, welch});
    p_values.push_back(welch.p_greater);
  }
  // Every tested shape counts in the correction, also those too small to matter: leaving
  // them out after looking would understate the number of tests.
  const std::vector<double> q_values = stats::benjamini_hochberg(p_values);

  std::vector<Finding> findings;
  for (size_t i = 0; i < tested.size(); ++i) {
    const ShapeWindows& s = *tested[i].shape;
    const double before = s.baseline.mean_time();
    const double after = s.post.mean_time();
    const double ratio = before > 0 ? after / before : std::numeric_limits<double>::infinity();
    if (q_values[i] > thresholds.fdr || ratio < thresholds.min_ratio ||
        after - before < thresholds.min_delta) {
      continue;
    }
    Finding f;
    f.key = {s.target, s.shape_hash, FindingKind::kLatency};
    f.fingerprint = s.fingerprint;
    f.severity = ratio >= thresholds.critical_ratio ? Severity::kCritical : Severity::kWarning;
    f.before_mean = before;
    f.after_mean = after;
    f.before_calls = s.baseline.calls;
    f.after_calls = s.post.calls;
    f.ratio = ratio;
    f.p_value = tested[i].welch.p_greater;
    f.q_value = q_values[i];
    const double hours = static_cast<double>(s.post_span.count()) / 3600.0;
    f.added_seconds_per_hour =
        hours > 0 ? (after - before) * static_cast<double>(s.post.calls) / hours : 0;
    findings.push_back(std::move(f));
  }
  rank_by_added_time(findings);
  return findings;
}

}  // namespace slowscope
