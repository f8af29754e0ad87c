#include "analyzer/regression/rows_per_call_detector.h"

#include "analyzer/regression/stats/welch_t_test.h"
#include "analyzer/regression/tested_shapes.h"

namespace slowscope {
namespace {

// Rows examined where the source counts them (MySQL), shared blocks otherwise.
bool counts_rows(const ShapeWindows& s) {
  return s.baseline.rows_examined > 0 || s.post.rows_examined > 0;
}

int64_t work_of(const IntervalCounts& bucket, bool rows) {
  return rows ? bucket.rows_examined : bucket.shared_blocks;
}

std::vector<double> work_per_call(const std::vector<IntervalCounts>& buckets, bool rows) {
  std::vector<double> values;
  for (const IntervalCounts& b : buckets) {
    if (b.calls > 0) {
      values.push_back(static_cast<double>(work_of(b, rows)) / static_cast<double>(b.calls));
    }
  }
  return values;
}

double pooled(const Measures& m, bool rows) {
  const int64_t work = rows ? m.rows_examined : m.shared_blks_hit + m.shared_blks_read;
  return m.calls > 0 ? static_cast<double>(work) / static_cast<double>(m.calls) : 0;
}

}  // namespace

std::vector<Finding> detect_rows_per_call(std::span<const ShapeWindows> shapes,
                                          const RowsPerCallThresholds& thresholds) {
  std::vector<TestedShape> tested;
  for (const ShapeWindows& s : shapes) {
    if (s.baseline.calls < thresholds.min_calls || s.post.calls < thresholds.min_calls) continue;
    const bool rows = counts_rows(s);
    if (pooled(s.baseline, rows) <= 0) continue;
    const stats::WelchResult welch =
        stats::welch_t_test(stats::Moments::of(work_per_call(s.baseline_buckets, rows)),
                            stats::Moments::of(work_per_call(s.post_buckets, rows)));
    if (!welch.defined) continue;
    tested.push_back({&s, welch.p_greater, 1, 0});
  }
  correct_together(tested);

  std::vector<Finding> findings;
  for (const TestedShape& t : tested) {
    const ShapeWindows& s = *t.shape;
    const bool rows = counts_rows(s);
    const double before = pooled(s.baseline, rows);
    const double after = pooled(s.post, rows);
    if (t.q_value > thresholds.fdr || after < before * thresholds.min_ratio ||
        after - before < thresholds.min_delta) {
      continue;
    }
    Finding f = ratio_finding(t, FindingKind::kRowsPerCall,
                              rows ? "rows examined per call" : "shared blocks per call", before,
                              after, thresholds.critical_ratio);
    f.added_seconds_per_hour = latency_cost_per_hour(s);
    findings.push_back(std::move(f));
  }
  rank_findings(findings);
  return findings;
}

}  // namespace slowscope
