// The HTML page of `slowscope check --html`: a release's verdict for people — the release,
// the windows compared, each target's result and each finding with its evidence (before and
// after, ratio, quantiles, calls, the database time it adds, its significance) and a chart
// of the shape's latency around the release. The same frame, style and guarantees as the
// report page (report_html.h): self-contained, no script needed, hostile text escaped.
//
// Pure apart from the time zone reads of ReportZone (see time_zone.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analyzer/regression/release_check.h"
#include "reports/html/time_zone.h"

namespace slowscope::html {

// What the page shows besides the check's result: per finding (FindingKey::id()), the
// shape's timeline over [chart_from, result.post_until).
struct CheckPageCharts {
  StoreTime chart_from;
  std::map<std::string, std::vector<TimelinePoint>> timelines;
};

// The whole page; `exit_code` is the one the command exits with (its verdict).
std::string render_check_html(const CheckResult& result, int exit_code,
                              const CheckPageCharts& charts, const ReportZone& zone);

}  // namespace slowscope::html
