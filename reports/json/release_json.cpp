#include "reports/json/release_json.h"

#include "analyzer/time/utc_time.h"

namespace slowscope {

nlohmann::ordered_json release_to_json(const Release& r) {
  return {{"name", r.name},
          {"at", format_utc(r.at.time_since_epoch().count() * 1'000'000)},
          {"targets", r.targets},
          {"meta", r.meta}};
}

nlohmann::ordered_json releases_to_json(const std::vector<Release>& releases) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Release& r : releases) out.push_back(release_to_json(r));
  return out;
}

}  // namespace slowscope
