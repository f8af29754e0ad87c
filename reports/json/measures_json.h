// The measures of one query shape (over a range, or in one timeline bucket) as the members
// every shape and bucket of the top and show documents carries, in a fixed order. Seconds for
// times; null for a minimum or maximum the source cannot know. Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "analyzer/store/store.h"

namespace slowscope {

// Appends the members of `measures` to the object `out`.
void add_measures_json(nlohmann::ordered_json& out, const Measures& measures);

}  // namespace slowscope
