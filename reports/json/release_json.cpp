#include "reports/json/release_json.h"

#include "analyzer/time/utc_time.h"

namespace slowscope {

nlohmann::ordered_json release_to_json(const Release& r) {
  return {{"name", r.name}, {"at", format_utc(r.at)}, {"targets", r.targets}, {"meta", r.meta}};
}

nlohmann::ordered_json releases_to_json(const std::vector<Release>& releases) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Release& r : releases) out.push_back(release_to_json(r));
  return out;
}

nlohmann::ordered_json release_list_to_json(const std::vector<Release>& releases, StoreTime from,
                                            StoreTime until) {
  return {{"schema", kReleasesSchemaId},
          {"from", format_utc(from)},
          {"until", format_utc(until)},
          {"releases", releases_to_json(releases)}};
}

}  // namespace slowscope
