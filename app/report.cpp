#include "app/report.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "analyzer/error/errors.h"
#include "analyzer/regression/daily_series.h"
#include "analyzer/time/utc_time.h"
#include "app/store_targets.h"

namespace slowscope {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr seconds kDay = hours(24);
// Up to this long a period's timelines keep the collection interval; longer ones read the
// hourly and daily rollups, so that a chart holds a few hundred points at most.
constexpr seconds kRawTimelineUpTo = hours(6);
// How many shapes the summary names as movers.
constexpr size_t kTopMovers = 10;
// Latency histogram bucket upper bounds, in seconds: half decades from 10 µs to 100 s.
constexpr double kHistogramBounds[] = {
    1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2,
    0.1,  0.3,  1,    3,    10,   30,   100,  std::numeric_limits<double>::infinity()};

// The targets `names` picks (every target when empty); throws InvalidInput for a name the
// store does not have.
std::vector<ReportTarget> select_targets(Store& store, const std::vector<std::string>& names) {
  for (const std::string& name : names) require_target(store, name);
  std::vector<ReportTarget> out;
  for (const TargetInfo& t : store.targets()) {
    if (!names.empty() && std::find(names.begin(), names.end(), t.name) == names.end()) continue;
    out.push_back({t.name, t.engine, t.last_cycle_at, t.samples_through});
  }
  return out;
}

std::vector<ShapeTotals> all_shapes(Store& store, const std::string& target,
                                    const ReportSpan& span) {
  return store.top(
      {target, span.from, span.until, TopOrder::kTotal, std::numeric_limits<int>::max()});
}

// The histogram of `sketch` over kHistogramBounds, without empty buckets at either end.
std::vector<std::pair<double, uint64_t>> histogram_of(const QuantileSketch& sketch) {
  const std::vector<uint64_t> counts = sketch.histogram(kHistogramBounds);
  size_t first = 0;
  size_t last = counts.size();
  while (first < last && counts[first] == 0) ++first;
  while (last > first && counts[last - 1] == 0) --last;
  std::vector<std::pair<double, uint64_t>> out;
  for (size_t i = first; i < last; ++i) out.emplace_back(kHistogramBounds[i], counts[i]);
  return out;
}

// The shapes in detail: the top `limit` by database time, and every shape with a finding.
std::vector<size_t> detailed_shapes(const std::vector<ReportShape>& shapes, int limit) {
  std::vector<size_t> out;
  for (size_t i = 0; i < shapes.size(); ++i) {
    if (static_cast<int>(i) < limit || shapes[i].has_finding) out.push_back(i);
  }
  return out;
}

}  // namespace

ReportFindingCounts count_findings(const std::vector<FindingRecord>& findings,
                                   const ReportSpan& period) {
  const auto in_period = [&](StoreTime t) { return t >= period.from && t < period.until; };
  ReportFindingCounts counts;
  for (const FindingRecord& f : findings) {
    counts.open += f.status == FindingStatus::kOpen;
    counts.opened += in_period(f.opened_at);
    counts.resolved += f.resolved_at && in_period(*f.resolved_at);
    ++counts.by_kind[f.kind];
    ++counts.by_severity[f.severity];
  }
  return counts;
}

std::optional<ReportSpan> comparison_span(const ReportSpan& period, ComparisonMode mode) {
  const seconds length = period.until - period.from;
  switch (mode) {
    case ComparisonMode::kPrevious:
      return ReportSpan{period.from - length, period.from};
    case ComparisonMode::kSameHours: {
      const auto days = std::max<int64_t>(1, (length.count() + kDay.count() - 1) / kDay.count());
      const seconds shift = days * kDay;
      return ReportSpan{period.from - shift, period.until - shift};
    }
    case ComparisonMode::kNone:
      break;
  }
  return std::nullopt;
}

ReportData build_report(Store& store, const ReportRequest& request, StoreTime now) {
  ReportData report;
  report.generated_at = now;
  report.period = request.period;
  report.comparison = request.comparison;
  report.comparison_span = comparison_span(request.period, request.comparison);
  report.examples = request.examples;
  report.targets = select_targets(store, request.targets);

  std::set<std::string> target_names;
  for (const ReportTarget& t : report.targets) target_names.insert(t.name);

  // Findings first: the shapes they are about are shown in detail.
  FindingQuery finding_query;
  finding_query.active_since = request.period.from;
  for (FindingRecord& f : store.findings(finding_query)) {
    if (!target_names.contains(f.target) || f.opened_at >= request.period.until) continue;
    report.findings.push_back(std::move(f));
  }
  report.finding_counts = count_findings(report.findings, request.period);
  std::set<std::pair<std::string, std::string>> with_finding;
  for (const FindingRecord& f : report.findings) with_finding.insert({f.target, f.shape_hash});

  std::map<std::string, std::map<int64_t, QuantileSketch>> sketches_by_target;
  for (const ReportTarget& target : report.targets) {
    std::map<int64_t, Measures> before;
    if (report.comparison_span) {
      for (ShapeTotals& s : all_shapes(store, target.name, *report.comparison_span)) {
        before[s.shape_id] = s.measures;
      }
    }
    // Latency sketches: PostgreSQL sources keep none. Kept for the detailed shapes' histograms.
    std::map<int64_t, QuantileSketch>& sketches = sketches_by_target[target.name];
    if (target.engine == Engine::kMysql) {
      sketches = store.merged_sketches({target.name, request.period.from, request.period.until});
    }
    ReportTotals& totals = report.totals_by_target[target.name];
    for (const auto& [id, m] : before) {
      totals.before_total_time += m.total_time;
      totals.before_calls += m.calls;
    }
    for (ShapeTotals& s : all_shapes(store, target.name, request.period)) {
      ReportShape shape;
      shape.target = target.name;
      shape.engine = target.engine;
      shape.shape_id = s.shape_id;
      shape.query_id = std::move(s.shape_hash);
      shape.fingerprint = std::move(s.fingerprint);
      shape.now = s.measures;
      if (const auto it = before.find(s.shape_id); it != before.end()) shape.before = it->second;
      if (const auto it = sketches.find(s.shape_id); it != sketches.end() && !it->second.empty()) {
        shape.p95 = it->second.quantile(0.95);
      }
      shape.has_finding = with_finding.contains({shape.target, shape.query_id});
      totals.total_time += shape.now.total_time;
      totals.calls += shape.now.calls;
      report.shapes.push_back(std::move(shape));
    }
    report.totals.total_time += totals.total_time;
    report.totals.calls += totals.calls;
    report.totals.before_total_time += totals.before_total_time;
    report.totals.before_calls += totals.before_calls;

    for (CollectorEvent& e : store.events(target.name, request.period.from, request.period.until)) {
      report.gaps.push_back({target.name, std::move(e)});
    }
    const auto series =
        read_daily_series(store, target.name, request.period.until, request.trend_days);
    report.trends.push_back({target.name, static_cast<int>(series.size()),
                             detect_latency_trends(series, request.trend_thresholds)});
  }
  std::stable_sort(report.shapes.begin(), report.shapes.end(),
                   [](const ReportShape& a, const ReportShape& b) {
                     if (a.now.total_time != b.now.total_time) {
                       return a.now.total_time > b.now.total_time;
                     }
                     return std::tie(a.target, a.query_id) < std::tie(b.target, b.query_id);
                   });

  if (report.comparison_span) {
    std::vector<size_t> movers;
    for (size_t i = 0; i < report.shapes.size(); ++i) {
      if (report.shapes[i].now.total_time > report.shapes[i].before.total_time) {
        movers.push_back(i);
      }
    }
    std::stable_sort(movers.begin(), movers.end(), [&](size_t a, size_t b) {
      const ReportShape& x = report.shapes[a];
      const ReportShape& y = report.shapes[b];
      return x.now.total_time - x.before.total_time > y.now.total_time - y.before.total_time;
    });
    if (movers.size() > kTopMovers) movers.resize(kTopMovers);
    report.top_movers = std::move(movers);
  }

  const bool raw = request.period.until - request.period.from <= kRawTimelineUpTo;
  for (const size_t index : detailed_shapes(report.shapes, request.detail_limit)) {
    const ReportShape& shape = report.shapes[index];
    ReportShapeDetail detail;
    detail.shape = index;
    if (const auto record = store.shape(shape.shape_id)) detail.tables = record->info.tables;
    detail.timeline = store.timeline(
        {shape.target, shape.shape_id, request.period.from, request.period.until, raw});
    report.details.push_back(std::move(detail));
  }
  for (ReportShapeDetail& detail : report.details) {
    const ReportShape& shape = report.shapes[detail.shape];
    const auto& sketches = sketches_by_target[shape.target];
    if (const auto s = sketches.find(shape.shape_id); s != sketches.end()) {
      detail.histogram = histogram_of(s->second);
    }
  }
  if (request.examples) {
    for (ReportShapeDetail& detail : report.details) {
      const ReportShape& shape = report.shapes[detail.shape];
      for (const StatementRecord& st : store.statements_of_shape(shape.target, shape.shape_id)) {
        if (!st.query_text.empty()) {
          detail.example = st.query_text;
          break;
        }
      }
    }
  }

  std::set<std::string> release_names;
  for (const std::string& name : target_names) {
    for (Release& r : store.releases({name, request.period.from, request.period.until})) {
      if (!release_names.insert(r.name).second) continue;
      ReportRelease release{std::move(r), {}};
      for (const FindingRecord& f : report.findings) {
        if (f.release == release.release.name) release.finding_ids.push_back(f.id());
      }
      report.releases.push_back(std::move(release));
    }
  }
  std::stable_sort(
      report.releases.begin(), report.releases.end(),
      [](const ReportRelease& a, const ReportRelease& b) { return a.release.at < b.release.at; });
  return report;
}

std::optional<std::string> nothing_to_report(const ReportData& report) {
  const std::string span =
      format_utc(report.period.from) + " .. " + format_utc(report.period.until);
  if (report.targets.empty()) {
    return "the store has no targets yet: run `slowscope collect` (or `digest --store`) first";
  }
  if (!report.shapes.empty()) return std::nullopt;
  std::optional<StoreTime> latest;
  for (const ReportTarget& t : report.targets) {
    if (t.samples_through != StoreTime{} && (!latest || t.samples_through > *latest)) {
      latest = t.samples_through;
    }
  }
  if (!latest) return "no samples in " + span + ": nothing has been collected yet";
  if (*latest <= report.period.from) {
    return "no samples in " + span + ": the store's samples end at " + format_utc(*latest) +
           " (is collect running?)";
  }
  return "no samples in " + span + ": no statement ran in the period";
}

}  // namespace slowscope
