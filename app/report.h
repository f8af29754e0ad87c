// The report pipeline: reads a period of the store once into a ReportData (the shapes and
// their comparison, the shapes shown in detail with their timelines and histograms,
// findings, trends, releases and data gaps) for the renderers in reports/ — the nightly
// `slowscope report`. Reads the store only; one call at a time per Store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/regression/trend_detector.h"
#include "analyzer/store/store.h"
#include "reports/report_data.h"

namespace slowscope {

struct ReportRequest {
  ReportSpan period;
  ComparisonMode comparison = ComparisonMode::kPrevious;
  std::vector<std::string> targets;  // empty: every target in the store
  int detail_limit = 20;             // the top shapes by database time shown in detail
  bool examples = false;             // include a literal statement per detailed shape
  // Trends over the whole days before the period's end.
  int trend_days = 14;
  TrendThresholds trend_thresholds;
};

// The comparison span for `period` in `mode`; nullopt for kNone. Pure.
std::optional<ReportSpan> comparison_span(const ReportSpan& period, ComparisonMode mode);

// The counts of `findings` over `period`. Pure.
ReportFindingCounts count_findings(const std::vector<FindingRecord>& findings,
                                   const ReportSpan& period);

// Reads the report. Throws InvalidInput for a target the store does not have, StoreError
// when the store cannot be read.
ReportData build_report(Store& store, const ReportRequest& request, StoreTime now);

// Why `report` has nothing to show — no target, or no sample in the period, with where the
// store's samples end — or nullopt when it has something.
std::optional<std::string> nothing_to_report(const ReportData& report);

}  // namespace slowscope
