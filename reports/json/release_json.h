// JSON rendering of `slowscope release list` ("slowscope.releases/1", described by
// reports/json/schemas/releases-1.schema.json) and of one release marker, its element and
// that of every report that shows the releases in its range ($defs/release there). Pure
// functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "analyzer/store/store.h"

namespace slowscope {

inline constexpr const char* kReleasesSchemaId = "slowscope.releases/1";

nlohmann::ordered_json release_to_json(const Release& release);

// The releases in order, as a JSON array.
nlohmann::ordered_json releases_to_json(const std::vector<Release>& releases);

// The `release list` document: the releases in [from, until), oldest first.
nlohmann::ordered_json release_list_to_json(const std::vector<Release>& releases, StoreTime from,
                                            StoreTime until);

}  // namespace slowscope
