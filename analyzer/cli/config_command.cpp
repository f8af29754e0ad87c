#include "analyzer/cli/config_command.h"

#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "analyzer/cli/history_options.h"
#include "analyzer/config/config.h"

namespace slowscope {

void add_config_command(CLI::App& app, int* exit_code) {
  CLI::App* config = app.add_subcommand("config", "Work with the configuration file");
  config->require_subcommand(1);
  auto path = std::make_shared<std::string>(kDefaultConfigPath);
  CLI::App* check = config->add_subcommand(
      "check",
      "Validate the configuration and list its store, targets and their regression detection "
      "settings (passwords hidden)");
  check->add_option("--config", *path, "Configuration file")->capture_default_str();
  check->footer("Exit status: 0 valid, 2 invalid or unreadable.");
  check->callback([path, exit_code] {
    try {
      const Config config = load_config(*path);
      std::cout << *path << ": valid\n"
                << "store: " << config.store.redacted() << "\n"
                << "interval: " << config.interval.count() << "s\n"
                << "targets (" << config.targets.size() << "):\n";
      for (const auto& target : config.targets) {
        std::cout << "  " << target.to_string() << "\n"
                  << "    detection: " << target.detection.to_string() << "\n";
        if (target.examples) {
          std::cout << "    examples: one literal statement per shape kept in the store\n";
        }
      }
      *exit_code = 0;
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
      *exit_code = 2;
    }
  });
}

}  // namespace slowscope
