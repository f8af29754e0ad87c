// Checks a command makes of the targets a user names against the store, the same way in
// every command. Reads the store only; one call at a time per Store.
#pragma once

#include <string_view>

#include "analyzer/store/store.h"

namespace slowscope {

// Throws InvalidInput, naming the targets the store knows, when it has none called `name`.
void require_target(Store& store, std::string_view name);

}  // namespace slowscope
