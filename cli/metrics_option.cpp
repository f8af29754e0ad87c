#include "cli/metrics_option.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace slowscope {

CLI::Option* add_metrics_file_option(CLI::App* command, std::string* path,
                                     const std::string& when) {
  return command
      ->add_option("--metrics-file", *path,
                   "Write Prometheus metrics of the run here " + when +
                       ", for node_exporter's textfile collector: replaced atomically, mode "
                       "0644; timestamps, errors, counts, never query text (docs/METRICS.md)")
      ->type_name("PATH");
}

int run_with_metrics(const std::string& command, const std::string& path,
                     const std::function<int(RunMetrics*)>& body,
                     const std::function<bool(int)>& succeeded) {
  if (path.empty()) return body(nullptr);
  const auto start = std::chrono::steady_clock::now();
  RunMetrics metrics(command, path);
  const int status = body(&metrics);
  metrics.command_ended(
      status, succeeded(status), std::chrono::system_clock::now(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  try {
    metrics.write();
  } catch (const std::exception& e) {
    spdlog::error("--metrics-file: {}", e.what());
  }
  return status;
}

}  // namespace slowscope
