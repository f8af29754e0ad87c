// JSON rendering of `slowscope trends` ("slowscope.trends/1", described by
// reports/json/schemas/trends-1.schema.json): per target, the shapes trending slower, each
// finding as finding_json writes it. Times as ISO 8601 UTC strings. Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "reports/history_report.h"

namespace slowscope {

inline constexpr const char* kTrendsSchemaId = "slowscope.trends/1";

// One target's part: {"target", "shapes_tested", "findings"}; also an element of the report
// document's "trends".
nlohmann::ordered_json target_trends_to_json(const TargetTrends& trends);

// The whole report over the days [from, until); `exit_code` is the one the command exits with.
nlohmann::ordered_json trends_to_json(const std::vector<TargetTrends>& report, StoreTime from,
                                      StoreTime until, int exit_code);

}  // namespace slowscope
