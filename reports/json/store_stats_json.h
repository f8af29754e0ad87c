// JSON rendering of `slowscope store stats` ("slowscope.store_stats/1", described by
// reports/json/schemas/store_stats-1.schema.json): the store's tables with their rows and
// sample ranges, and its size. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "analyzer/store/store.h"

namespace slowscope {

inline constexpr const char* kStoreStatsSchemaId = "slowscope.store_stats/1";

nlohmann::ordered_json store_stats_to_json(const StoreStats& stats);

}  // namespace slowscope
