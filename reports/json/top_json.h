// JSON rendering of `slowscope top` ("slowscope.top/1", described by
// reports/json/schemas/top-1.schema.json) and `slowscope show` ("slowscope.show/1").
// Durations in seconds, times as ISO 8601 UTC strings. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/history_report.h"

namespace slowscope {

inline constexpr const char* kTopSchemaId = "slowscope.top/1";
inline constexpr const char* kShowSchemaId = "slowscope.show/1";

nlohmann::ordered_json top_to_json(const TopReport& report);

// Each statement's "query" (its stored text) only when report.examples is set.
nlohmann::ordered_json show_to_json(const ShowReport& report);

}  // namespace slowscope
