// JSON rendering of `slowscope check` ("slowscope.check/1", described by
// reports/json/schemas/check-1.schema.json): the verdict on one release, per target, with
// each finding as finding_json writes it. Times as ISO 8601 UTC strings. Pure functions;
// thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analyzer/regression/release_check.h"

namespace slowscope {

inline constexpr const char* kCheckSchemaId = "slowscope.check/1";

// What the report says of a check that exits with `exit_code` (0, 1, anything else): the
// schema's "verdict" values, which the text report states too.
std::string check_verdict(int exit_code);

// The whole report; `exit_code` is the one the command exits with (CheckResult::exit_code).
nlohmann::ordered_json check_to_json(const CheckResult& result, int exit_code);

}  // namespace slowscope
