#include "reports/json/release_json.h"

#include "analyzer/time/utc_time.h"

namespace slowscope {
namespace {

std::string utc(StoreTime t) {
  return format_utc(t.time_since_epoch().count() * 1'000'000);
}

}  // namespace

nlohmann::ordered_json release_to_json(const Release& r) {
  return {{"name", r.name}, {"at", utc(r.at)}, {"targets", r.targets}, {"meta", r.meta}};
}

nlohmann::ordered_json releases_to_json(const std::vector<Release>& releases) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Release& r : releases) out.push_back(release_to_json(r));
  return out;
}

nlohmann::ordered_json release_list_to_json(const std::vector<Release>& releases, StoreTime from,
                                            StoreTime until) {
  return {{"schema", kReleasesSchemaId},
          {"from", utc(from)},
          {"until", utc(until)},
          {"releases", releases_to_json(releases)}};
}

}  // namespace slowscope
