#include "cli/history_options.h"

#include <filesystem>
#include <stdexcept>

#include "analyzer/error/errors.h"
#include "analyzer/time/utc_time.h"

namespace slowscope {

StoreLocation resolve_store(const std::string& store_flag, const std::string& config_path) {
  if (!store_flag.empty()) return StoreLocation::parse(store_flag);
  std::error_code ec;
  if (!std::filesystem::exists(config_path, ec)) {
    throw ConfigError("no configuration file " + config_path +
                      " (give --config FILE, or the store itself with --store sqlite:PATH or "
                      "--store postgresql://...)");
  }
  return load_config(config_path).store;
}

TimeWindow resolve_window(const std::string& since, const std::string& from,
                          const std::string& until, const std::string& default_since,
                          std::chrono::system_clock::time_point now) {
  if (!since.empty() && !from.empty()) {
    throw InvalidInput("give either --since or --from, not both");
  }
  const int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  // The start as the user gave it (or the command's default), for messages.
  const std::string start_option =
      !from.empty() ? "--from " + from : (!since.empty() ? "--since " + since : "");
  const std::string& start = !from.empty() ? from : (!since.empty() ? since : default_since);
  const int64_t from_us = parse_time_argument(start, now_us);
  const int64_t until_us = until.empty() ? now_us : parse_time_argument(until, now_us);
  if (until_us <= from_us) {
    // Name the bound that is wrong: most often a single one, in the future or too early.
    if (until.empty()) {
      throw InvalidInput(start_option + " (" + format_utc(from_us) +
                         ") is not in the past, and the range ends now; give an "
                         "earlier start, or --until too");
    }
    if (start_option.empty()) {
      throw InvalidInput("--until " + until + " (" + format_utc(until_us) +
                         ") is not after the range's default start, " + default_since +
                         " ago; give --since or --from too");
    }
    throw InvalidInput("--until " + until + " (" + format_utc(until_us) + ") is not after " +
                       start_option + " (" + format_utc(from_us) + ")");
  }
  // Buckets are whole seconds; a range covers the second holding its end.
  const auto seconds = [](int64_t us) { return StoreTime(std::chrono::seconds(us / 1'000'000)); };
  return {seconds(from_us), seconds(until_us + 999'999)};
}

void add_store_location_options(CLI::App* cmd, std::string* config, std::string* store) {
  cmd->add_option("--config", *config, "Configuration file (for the store's location)")
      ->capture_default_str();
  cmd->add_option("--store", *store,
                  "The store: sqlite:PATH or postgresql://... (overrides --config)")
      ->type_name("URL");
}

void add_window_options(CLI::App* cmd, std::string* since, std::string* from, std::string* until) {
  cmd->add_option("--since", *since, "Range start: a duration ago (30m, 12h, 7d) or a time")
      ->type_name("WHEN");
  cmd->add_option("--from", *from, "Range start as a time (2024-03-01, '2024-03-01 12:00', ...)")
      ->type_name("TIME");
  cmd->add_option("--until", *until, "Range end (default: now)")->type_name("TIME");
}

}  // namespace slowscope
