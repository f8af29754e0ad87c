// The HTML report: one self-contained page of a ReportData — the summary, findings, trends,
// the shapes in detail with their charts, every shape in a table, releases and data gaps —
// that reads in any browser, offline, as an e-mail attachment or a CI artifact.
//
// What the page guarantees:
//   - nothing is loaded: no external resource; a Content-Security-Policy <meta> allows only
//     the page's one inline style and one inline script, by their hashes;
//   - it reads with JavaScript off: everything is server-rendered HTML with inline SVG
//     charts; the script only adds sorting, filtering and paging of the shapes table, whose
//     full data travels as JSON in a <script type="application/json"> block;
//   - every string from a database or a log goes through html_escape.h; hostile text is
//     shown literally, never as markup; it never reaches an id, href or style;
//   - every time names its zone (`zone`), the period and comparison are stated at the top;
//   - its size is bounded: statement text is capped (the JSON report has it whole), detail
//     and charts only for ReportData::details, and the shapes table's data holds each text
//     once; 5,000 shapes make a page of about 2.2 MB (tests/html keep it under 3 MB).
//
// Pure apart from the time zone reads of ReportZone (not thread-safe for named zones; see
// time_zone.h).
#pragma once

#include <string>

#include "reports/html/time_zone.h"
#include "reports/report_data.h"

namespace slowscope::html {

// The whole page.
std::string render_report_html(const ReportData& report, const ReportZone& zone);

}  // namespace slowscope::html
