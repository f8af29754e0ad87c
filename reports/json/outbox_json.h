// The alert outbox as JSON: "slowscope.outbox/1" (reports/json/schemas/outbox-1.schema.json),
// what `slowscope alerts --format json` prints — each sink's delivery of each event, with the
// event's own slowscope.alert/1 document. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "analyzer/store/store.h"

namespace slowscope {

inline constexpr const char* kOutboxSchemaId = "slowscope.outbox/1";

nlohmann::ordered_json outbox_to_json(const std::vector<AlertDelivery>& deliveries);

}  // namespace slowscope
