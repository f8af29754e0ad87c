// JSON rendering of `slowscope findings` ("slowscope.findings/1", described by
// reports/json/schemas/findings-1.schema.json): the findings continuous detection has on
// record, with their lifecycle and stored evidence. Times as ISO 8601 UTC strings. Pure
// function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "analyzer/store/store.h"

namespace slowscope {

inline constexpr const char* kFindingsSchemaId = "slowscope.findings/1";

// One finding as the store keeps it, with its lifecycle; evidence that is not a JSON object is
// written as an empty object.
nlohmann::ordered_json finding_record_to_json(const FindingRecord& finding);

// The findings as listed, and the query that selected them (its status and since); evidence
// that is not a JSON object is written as an empty object.
nlohmann::ordered_json findings_to_json(const std::vector<FindingRecord>& findings,
                                        const FindingQuery& query);

}  // namespace slowscope
