// JSON rendering of `slowscope top` ("slowscope.top/1", described by
// reports/json/schemas/top-1.schema.json). Durations in seconds, times as ISO 8601 UTC
// strings. Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/history_report.h"

namespace slowscope {

inline constexpr const char* kTopSchemaId = "slowscope.top/1";

nlohmann::ordered_json top_to_json(const TopReport& report);

}  // namespace slowscope
