// The HTML page of `slowscope digest --format html`: a slow log's profile for people — the
// inputs and what was skipped, totals, and every query class ranked, the top ones with the
// statistics of each attribute (pt-query-digest's per-class table) — in the frame and with
// the guarantees of the report page (report_html.h). No store is needed.
//
// Pure apart from the time zone reads of ReportZone (see time_zone.h).
#pragma once

#include <string>

#include "reports/digest_report.h"
#include "reports/html/time_zone.h"

namespace slowscope::html {

// The whole page.
std::string render_digest_html(const DigestReport& report, const ReportZone& zone);

}  // namespace slowscope::html
