#include "analyzer/regression/trend_detector.h"

#include <algorithm>

#include "analyzer/regression/stats/benjamini_hochberg.h"
#include "analyzer/regression/stats/mann_kendall.h"
#include "analyzer/regression/stats/theil_sen.h"

namespace slowscope {
namespace {

// A line through a series: the Theil–Sen slope and the median intercept that goes with it.
struct FittedLine {
  double slope = 0;
  double intercept = 0;
  double at(double x) const { return intercept + slope * x; }
};

double median(std::vector<double> v) {
  const size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  if (v.size() % 2 == 1) return v[mid];
  const double upper = v[mid];
  return (*std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid)) + upper) / 2;
}

struct Tested {
  const ShapeDailySeries* shape;
  std::vector<const ShapeDailySeries::Day*> days;  // those with enough calls
  std::vector<double> x;                           // days since the first of them
  std::vector<double> y;                           // mean latency that day
  stats::MannKendallResult mk;
};

}  // namespace

std::vector<Finding> detect_latency_trends(std::span<const ShapeDailySeries> shapes,
                                           const TrendThresholds& thresholds) {
  std::vector<Tested> tested;
  std::vector<double> p_values;
  for (const ShapeDailySeries& s : shapes) {
    Tested t{&s, {}, {}, {}, {}};
    for (const ShapeDailySeries::Day& d : s.days) {
      if (d.measures.calls < thresholds.min_calls_per_day) continue;
      t.days.push_back(&d);
      t.x.push_back(static_cast<double>((d.start - t.days.front()->start).count()) / 86400.0);
      t.y.push_back(d.measures.mean_time());
    }
    if (static_cast<int>(t.y.size()) < std::max(thresholds.min_days, 3)) continue;
    t.mk = stats::mann_kendall(t.y);
    p_values.push_back(t.mk.p_rising);
    tested.push_back(std::move(t));
  }
  // Every tested shape counts in the correction, also those whose rise is too small.
  const std::vector<double> q_values = stats::benjamini_hochberg(p_values);

  std::vector<Finding> findings;
  for (size_t i = 0; i < tested.size(); ++i) {
    const Tested& t = tested[i];
    if (q_values[i] > thresholds.fdr) continue;
    const auto slope = stats::theil_sen_slope(t.x, t.y);
    if (!slope || *slope <= 0) continue;
    std::vector<double> residuals;
    for (size_t k = 0; k < t.x.size(); ++k) residuals.push_back(t.y[k] - *slope * t.x[k]);
    const FittedLine line{*slope, median(std::move(residuals))};
    const double first = line.at(t.x.front());
    const double last = line.at(t.x.back());
    if (first <= 0) continue;
    const double daily_rise = *slope / first;
    const double ratio = last / first;
    if (daily_rise < thresholds.min_daily_rise || ratio < thresholds.min_total_ratio) continue;

    const ShapeDailySeries& s = *t.shape;
    const Measures& last_day = t.days.back()->measures;
    Finding f;
    f.key = {s.target, s.shape_hash, FindingKind::kTrend};
    f.fingerprint = s.fingerprint;
    f.severity = ratio >= thresholds.critical_ratio ? Severity::kCritical : Severity::kWarning;
    f.before_mean = first;
    f.after_mean = last;
    f.before_calls = t.days.front()->measures.calls;
    f.after_calls = last_day.calls;
    f.ratio = ratio;
    f.p_value = t.mk.p_rising;
    f.q_value = q_values[i];
    f.daily_rise = daily_rise;
    f.added_seconds_per_hour = (last - first) * static_cast<double>(last_day.calls) / 24.0;
    findings.push_back(std::move(f));
  }
  rank_findings(findings);
  return findings;
}

}  // namespace slowscope
