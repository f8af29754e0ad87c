#include "cli/config_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/config/config.h"
#include "cli/history_options.h"

namespace slowscope {
namespace {

// What is wrong with a slow_log_file target's log, as collect would find it now; nothing
// when it can be read. A log that does not exist yet is valid configuration (collect
// waits for it) but worth knowing before `collect --once` fails on it.
std::optional<std::string> slow_log_problem(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    return path + " does not exist (collect waits for it; collect --once fails)";
  }
  if (!std::filesystem::is_regular_file(status)) return path + " is not a regular file";
  if (::access(path.c_str(), R_OK) != 0) {
    return path + " cannot be read: " + std::strerror(errno);
  }
  return std::nullopt;
}

// The alerts section as `config check` lists it: where each sink delivers and where its
// secret comes from, never the secret.
void print_alerts(const std::optional<AlertsConfig>& alerts) {
  if (!alerts) {
    std::cout << "alerts: none (no alerts section)\n";
    return;
  }
  std::cout << "alerts:\n"
            << "  min_severity: " << alerts->min_severity << "\n";
  if (!alerts->report_url.empty()) std::cout << "  report_url: " << alerts->report_url << "\n";
  std::cout << "  timeout: " << alerts->timeout.count() << "s\n"
            << "  thresholds: " << alerts->thresholds.to_string() << "\n"
            << "  sinks (" << alerts->sinks.size() << "):\n";
  for (const AlertSinkConfig& sink : alerts->sinks) std::cout << "    " << sink.to_string() << "\n";
}

}  // namespace

void add_config_command(CLI::App& app, int* exit_code) {
  CLI::App* config = app.add_subcommand("config", "Work with the configuration file");
  config->require_subcommand(1);
  config->footer(
      "Exit status: that of the subcommand (see `slowscope config check --help`): 0 valid,\n"
      "1 valid but a target's slow log cannot be read now, 2 invalid or unreadable, or no\n"
      "subcommand.");
  auto path = std::make_shared<std::string>(kDefaultConfigPath);
  CLI::App* check = config->add_subcommand(
      "check",
      "Validate the configuration and list its store, targets and their regression detection "
      "settings, and its alert sinks (passwords and secrets hidden)");
  check->add_option("--config", *path, "Configuration file")->capture_default_str();
  check->footer(
      "Valid means `slowscope collect` starts with it: the file reads, it has targets, their\n"
      "password files can be read, and their detection settings can run; each alert sink's\n"
      "secret can be read (a file sink's file written). A slow_log_file target's log is\n"
      "checked too: missing, not a file, or unreadable. Alert secret files that group or\n"
      "others may read or write are warned about (chmod 600 them); the secrets are never\n"
      "shown, only where they come from.\n"
      "Exit status: 0 valid (warnings or not), 1 valid but a target's slow log cannot be read\n"
      "now, 2 invalid or unreadable.");
  check->callback([path, exit_code] {
    try {
      const Config config = load_config(*path);
      // What `collect` would refuse, refused here too; what it warns about, warned here too.
      const std::vector<std::string> warnings = check_collectable(config);
      std::cout << *path << ": valid\n"
                << "store: " << config.store.redacted() << "\n"
                << "interval: " << config.interval.count() << "s\n"
                << "targets (" << config.targets.size() << "):\n";
      int unreadable_logs = 0;
      for (const auto& target : config.targets) {
        std::cout << "  " << target.to_string() << "\n"
                  << "    detection: " << target.detection.to_string() << "\n";
        if (target.examples) {
          std::cout << "    examples: one literal statement per shape kept in the store\n";
        }
        if (target.engine == Engine::kMysql && target.mysql.source == MysqlSource::kSlowLogFile) {
          if (const auto problem = slow_log_problem(target.mysql.slow_log)) {
            spdlog::error("target {}: slow_log {}", target.name, *problem);
            ++unreadable_logs;
          }
        }
      }
      print_alerts(config.alerts);
      for (const std::string& warning : warnings) spdlog::warn("{}", warning);
      *exit_code = unreadable_logs > 0 ? 1 : 0;
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      *exit_code = 2;
    }
  });
}

}  // namespace slowscope
