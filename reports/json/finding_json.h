// JSON rendering of one regression finding ("slowscope.finding/1", described by
// reports/json/schemas/finding-1.schema.json), the element every report that lists findings
// (check, trends) shares. Durations in seconds. Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "analyzer/regression/finding.h"

namespace slowscope {

// The $id of the schema of one finding, which the documents that list findings refer to; no
// document of its own carries it.
inline constexpr const char* kFindingSchemaId = "slowscope.finding/1";

nlohmann::ordered_json finding_to_json(const Finding& finding);

}  // namespace slowscope
