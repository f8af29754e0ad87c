// JSON rendering of `slowscope show` ("slowscope.show/1", described by
// reports/json/schemas/show-1.schema.json): one query shape, per target its totals, timeline
// and statements. Durations in seconds, times as ISO 8601 UTC strings. Pure function;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/history_report.h"

namespace slowscope {

inline constexpr const char* kShowSchemaId = "slowscope.show/1";

// Each statement's "query" (its stored text) only when report.examples is set.
nlohmann::ordered_json show_to_json(const ShowReport& report);

}  // namespace slowscope
