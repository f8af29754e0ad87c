// JSON rendering of `slowscope report` ("slowscope.report/1", described by
// reports/json/schemas/report-1.schema.json): the period, its comparison, every shape with
// its totals and change, the shapes shown in detail (timeline, latency histogram), findings,
// trends, releases and data gaps — what the HTML report shows, from the same ReportData.
// Durations in seconds, timestamps ISO 8601 UTC. Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/report_data.h"

namespace slowscope {

inline constexpr const char* kReportSchemaId = "slowscope.report/1";

nlohmann::ordered_json report_to_json(const ReportData& report);

}  // namespace slowscope
