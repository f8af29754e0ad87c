// Options shared by the commands that read or write the history store (collect, top, show,
// config check): where the configuration and the store are, and which time range a report
// covers. Pure functions apart from reading the configuration file; thread-safe.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "analyzer/config/config.h"
#include "analyzer/store/store.h"

namespace slowscope {

inline constexpr const char* kDefaultConfigPath = "./slowscope.yaml";

// The store a read command uses: `store_flag` when given (sqlite:PATH or a PostgreSQL URI),
// else the store of the configuration at `config_path`. Throws ConfigError (also when that
// file is missing or a directory) or InvalidInput.
StoreLocation resolve_store(const std::string& store_flag, const std::string& config_path);

struct TimeWindow {
  StoreTime from;
  StoreTime until;
};

// --since (a duration ago or a time) or --from/--until, relative to `now`; `default_since`
// applies when neither is given, and --until defaults to now. Throws InvalidInput,
// naming the bound at fault when the range is empty (a start not in the past, an --until
// not after the start).
TimeWindow resolve_window(const std::string& since, const std::string& from,
                          const std::string& until, const std::string& default_since,
                          std::chrono::system_clock::time_point now);

// Adds --config and --store (where the store is: resolve_store's arguments) to `cmd`.
void add_store_location_options(CLI::App* cmd, std::string* config, std::string* store);

// Adds --since/--from/--until to `cmd`, bound to the given strings.
void add_window_options(CLI::App* cmd, std::string* since, std::string* from, std::string* until);

}  // namespace slowscope
