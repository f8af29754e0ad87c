// JSON rendering of a DigestReport as the versioned "slowscope.digest/1" document described
// by reports/json/schemas/digest-1.schema.json. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/digest_report.h"

namespace slowscope {

inline constexpr const char* kDigestSchemaId = "slowscope.digest/1";

// The whole report as JSON, keys in a stable, readable order.
nlohmann::ordered_json digest_to_json(const DigestReport& report);

// JSON key for a logged attribute name: lowercased ("Rows_examined" -> "rows_examined"),
// prefixed with "attr_" if it would collide with a fixed key of a class object.
std::string metric_key(std::string_view attribute_name);

}  // namespace slowscope
