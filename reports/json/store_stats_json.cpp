#include "reports/json/store_stats_json.h"

#include "analyzer/time/utc_time.h"

namespace slowscope {
namespace {

nlohmann::ordered_json time_or_null(const std::optional<StoreTime>& t) {
  return t ? nlohmann::ordered_json(format_utc(*t)) : nlohmann::ordered_json();
}

}  // namespace

nlohmann::ordered_json store_stats_to_json(const StoreStats& stats) {
  nlohmann::ordered_json tables = nlohmann::ordered_json::array();
  for (const StoreTableStats& t : stats.tables) {
    tables.push_back(
        {{"name", t.name},
         {"rows", t.rows},
         {"bytes", t.bytes ? nlohmann::ordered_json(*t.bytes) : nlohmann::ordered_json()},
         {"oldest", time_or_null(t.oldest)},
         {"newest", time_or_null(t.newest)}});
  }
  return {{"schema", kStoreStatsSchemaId},          {"location", stats.location},
          {"schema_version", stats.schema_version}, {"bytes", stats.bytes},
          {"free_bytes", stats.free_bytes},         {"tables", std::move(tables)}};
}

}  // namespace slowscope
