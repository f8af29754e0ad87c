#include "cli/command_errors.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "analyzer/config/config.h"

namespace slowscope {

int run_command(int failure, const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const ConfigError& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const NoStoreError& e) {
    // Most often a mistyped path: say what creates a store, since a reader never does.
    spdlog::error("{}; `slowscope collect` or `slowscope digest --store` creates a store",
                  e.what());
    return 2;
  } catch (const std::invalid_argument& e) {
    spdlog::error("{}", e.what());
    return 2;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return failure;
  }
}

void require_target(Store& store, std::string_view name) {
  const auto known = store.targets();
  if (std::any_of(known.begin(), known.end(),
                  [&](const TargetInfo& t) { return t.name == name; })) {
    return;
  }
  std::string names;
  for (const auto& t : known) names += (names.empty() ? "" : ", ") + t.name;
  throw UsageError("no target named '" + std::string(name) + "' in " + store.describe() +
                   " (known: " + (names.empty() ? "none yet; run collect first" : names) + ")");
}

}  // namespace slowscope
