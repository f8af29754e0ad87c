// ReportData: everything `slowscope report` shows of a period, read from the store once
// (app/report.h builds it) and rendered by reports/json/report_json.h and the HTML page, so
// that both say the same things. Plain value types; thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/store/store.h"
#include "reports/history_report.h"

namespace slowscope {

// What the period is compared with.
enum class ComparisonMode {
  kPrevious,   // the span of the same length just before the period
  kSameHours,  // the same hours of the day, whole days before (one day for a period of a day
               // or less): a morning compared with yesterday's morning
  kNone,       // no comparison
};

// "previous", "same-hours" or "none".
std::string_view to_string(ComparisonMode mode);

// A half-open time span [from, until).
struct ReportSpan {
  StoreTime from;
  StoreTime until;
};

// One target in the report, and what the store knows of its collection.
struct ReportTarget {
  std::string name;
  Engine engine = Engine::kPostgres;
  std::optional<StoreTime> last_cycle_at;
  StoreTime samples_through;  // no sample covers time after this
};

// Totals over one target (or all), in the period and in the comparison span.
struct ReportTotals {
  double total_time = 0;  // seconds of database time
  int64_t calls = 0;
  double before_total_time = 0;  // in the comparison span; 0 without one
  int64_t before_calls = 0;
};

// One query shape on one target in the period.
struct ReportShape {
  std::string target;
  Engine engine = Engine::kPostgres;
  int64_t shape_id = 0;
  std::string query_id;       // the shape's hash
  std::string fingerprint;    // literal-free normalized text
  Measures now;               // in the period
  Measures before;            // in the comparison span (zero when none or not seen then)
  std::optional<double> p95;  // seconds; where the source keeps latency sketches
  bool has_finding = false;   // a finding of the report's is about this shape
};

// A shape shown in detail: the top shapes by database time and every shape with a finding.
struct ReportShapeDetail {
  size_t shape = 0;  // index into ReportData::shapes
  std::vector<std::string> tables;
  std::vector<TimelinePoint> timeline;  // the period, oldest first
  // Latency histogram over the period where sketches exist: (upper bound s, calls).
  std::vector<std::pair<double, uint64_t>> histogram;
  // A literal statement of the shape, only when the report was asked for examples and the
  // target keeps them (`examples: true`).
  std::string example;
};

// A release in the period, and the shapes whose findings follow it.
struct ReportRelease {
  Release release;
  std::vector<std::string> finding_ids;  // FindingRecord::id() of the findings naming it
};

// Something that makes the period's numbers incomplete: a coverage gap, an epoch break
// (counters reset), a collection error. A report that hides a gap misleads.
struct ReportGap {
  std::string target;
  CollectorEvent event;
};

// How many findings the period has in each state, by kind and by severity.
struct ReportFindingCounts {
  int open = 0;      // open now
  int opened = 0;    // opened (or reopened) in the period
  int resolved = 0;  // resolved in the period
  std::map<std::string, int> by_kind;
  std::map<std::string, int> by_severity;
};

struct ReportData {
  StoreTime generated_at;
  ReportSpan period;
  ComparisonMode comparison = ComparisonMode::kPrevious;
  std::optional<ReportSpan> comparison_span;  // nullopt for kNone
  std::vector<ReportTarget> targets;
  std::map<std::string, ReportTotals> totals_by_target;
  ReportTotals totals;              // over every target
  std::vector<ReportShape> shapes;  // by database time in the period, largest first
  std::vector<size_t> top_movers;   // indexes into shapes: largest added database time first
  std::vector<ReportShapeDetail> details;
  std::vector<FindingRecord> findings;  // open in the period, or opened or resolved in it
  ReportFindingCounts finding_counts;   // of `findings`
  std::vector<TargetTrends> trends;     // over the whole days before the period's end
  std::vector<ReportRelease> releases;
  std::vector<ReportGap> gaps;
  bool examples = false;  // statement examples were asked for
};

// Added database time of `shape` in the period over the comparison span, in seconds per
// hour of each: positive when it got more expensive.
double added_time_per_hour(const ReportShape& shape, const ReportData& report);

}  // namespace slowscope
