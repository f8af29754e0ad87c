#include "cli/log_options.h"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "app/log_format.h"

namespace slowscope {
namespace {

constexpr const char* kTextPattern = "slowscope: %^%l%$: %v";

std::shared_ptr<spdlog::sinks::stderr_color_sink_mt>& stderr_sink() {
  static std::shared_ptr<spdlog::sinks::stderr_color_sink_mt> sink;
  return sink;
}

// NO_COLOR set to anything but the empty string turns colour off (https://no-color.org);
// otherwise spdlog colours only a terminal that says it has colours.
spdlog::color_mode colour_mode() {
  const char* no_color = std::getenv("NO_COLOR");
  return no_color != nullptr && *no_color != '\0' ? spdlog::color_mode::never
                                                  : spdlog::color_mode::automatic;
}

void use_log_format(const std::string& format) {
  if (format == "json") {
    stderr_sink()->set_color_mode(spdlog::color_mode::never);  // escapes would be in the JSON
    spdlog::set_formatter(make_json_log_formatter());
  } else {
    stderr_sink()->set_color_mode(colour_mode());
    spdlog::set_pattern(kTextPattern);
  }
}

void add_to(CLI::App& command) {
  command
      .add_option_function<std::string>(
          "--log-format", use_log_format,
          "Log lines on standard error as text, for people (coloured on a colour terminal "
          "unless NO_COLOR is set), or json: one object per line with time (RFC 3339, UTC), "
          "level, message and, where one is concerned, target")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT")
      ->trigger_on_parse();
  for (CLI::App* sub : command.get_subcommands({})) add_to(*sub);
}

}  // namespace

void start_logging() {
  stderr_sink() = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(colour_mode());
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("slowscope", stderr_sink()));
  spdlog::set_pattern(kTextPattern);
  // SPDLOG_LEVEL=debug shows the debug lines (e.g. what detection costs per cycle).
  spdlog::cfg::load_env_levels();
}

void add_log_format_option(CLI::App& app) {
  add_to(app);
}

}  // namespace slowscope
