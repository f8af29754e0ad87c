#include "app/store_targets.h"

#include <algorithm>
#include <string>

#include "analyzer/error/errors.h"

namespace slowscope {

void require_target(Store& store, std::string_view name) {
  const auto known = store.targets();
  if (std::any_of(known.begin(), known.end(),
                  [&](const TargetInfo& t) { return t.name == name; })) {
    return;
  }
  std::string names;
  for (const auto& t : known) names += (names.empty() ? "" : ", ") + t.name;
  throw InvalidInput("no target named '" + std::string(name) + "' in " + store.describe() +
                     " (known: " + (names.empty() ? "none yet; run collect first" : names) + ")");
}

}  // namespace slowscope
