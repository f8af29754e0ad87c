// JSON rendering of one release marker, the element of `release list` and of every report
// that shows the releases in its range (described in
// reports/json/schemas/releases-1.schema.json, $defs/release). Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "analyzer/store/store.h"

namespace slowscope {

nlohmann::ordered_json release_to_json(const Release& release);

// The releases in order, as a JSON array.
nlohmann::ordered_json releases_to_json(const std::vector<Release>& releases);

}  // namespace slowscope
