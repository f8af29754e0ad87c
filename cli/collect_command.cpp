#include "cli/collect_command.h"

#include <memory>
#include <string>
#include <string_view>

#include "analyzer/config/setting_rules.h"
#include "app/collect.h"
#include "cli/history_options.h"
#include "cli/metrics_option.h"
#include "cli/rule_option.h"

namespace slowscope {

void add_collect_command(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<CollectSettings>();
  options->config = kDefaultConfigPath;
  CLI::App* cmd = app.add_subcommand(
      "collect",
      "Poll every target (pg_stat_statements, MySQL slow logs) into per-interval samples");
  cmd->add_option("--config", options->config, "Configuration file")->capture_default_str();
  cmd->add_flag("--once", options->once,
                "Run one cycle per target (reading any slow-log backlog to its end), then exit");
  cmd->add_flag("--from-end", options->from_end,
                "Slow-log files seen for the first time: start at their end, not their start");
  cmd->add_option("--interval", options->interval,
                  "Polling interval (default: the configuration's, e.g. 60s)")
      ->type_name("DURATION");
  auto* detect = cmd->add_flag("--detect", options->detection.detect,
                               "Detect regressions after the cycles (the default, unless the "
                               "configuration's detection.enabled is false)");
  cmd->add_flag("--no-detect", options->detection.no_detect, "Do not detect regressions")
      ->excludes(detect);
  // Read by the rules of the `detection:` keys they override (setting_rules.h).
  const auto span_text = [](std::string_view text) {
    read_span(text);  // throws for a bad one
    return std::string(text);
  };
  add_rule_option(cmd, "--detect-every", &options->detection.every, read_positive_int,
                  "Detect after every N cycles of a target (default: detection.every, 1)")
      ->type_name("N");
  add_rule_option(cmd, "--detect-window", &options->detection.window, span_text,
                  "The recent span judged (default: detection.window, 15m)")
      ->type_name("DURATION");
  add_rule_option(cmd, "--detect-baseline", &options->detection.baseline, span_text,
                  "The span before it, compared with (default: detection.baseline, 7d)")
      ->type_name("DURATION");
  cmd->add_option("--detect-baseline-mode", options->detection.baseline_mode,
                  "same-hours: the recent span's clock hours on each day of the baseline, so "
                  "daily cycles compare with themselves; previous: the whole span before it "
                  "(default: detection.baseline_mode, same-hours)")
      ->check(CLI::IsMember({"same-hours", "previous"}))
      ->type_name("MODE");
  add_rule_option(cmd, "--resolve-after", &options->detection.resolve_after, read_positive_int,
                  "Clean detections in a row that resolve a finding (default: "
                  "detection.resolve_after, 5)")
      ->type_name("M");
  add_metrics_file_option(cmd, &options->metrics_file,
                          "before the first cycle, after each cycle of any target and at exit");
  cmd->footer(
      "PostgreSQL: the first cycle of a target takes a baseline; deltas are stored from the\n"
      "second cycle on. MySQL slow-log files are followed across rotations from a position\n"
      "stored with the samples, so a restart neither loses nor repeats an entry.\n"
      "After each cycle (--detect-every) the last --detect-window of each target is compared\n"
      "with the same clock hours on each day of the --detect-baseline before it (or the\n"
      "whole span: --detect-baseline-mode previous); findings are kept in the store with their\n"
      "lifecycle (`slowscope findings`), and each one opened or resolved is logged.\n"
      "With an `alerts:` section, incidents of findings and the targets' health problems\n"
      "are also sent to its sinks, from a thread per sink (docs/ALERTS.md).\n"
      "One process collects a target at a time (a lease in the store, renewed every\n"
      "cycle): a second `collect` of the same target stands by and takes over when the\n"
      "first stops or dies; with --once it leaves the target alone and exits 1.\n"
      "SIGINT/SIGTERM finish the current cycle and exit; SIGHUP is logged and ignored.\n"
      "A target whose server refuses the login is retried once an interval while the\n"
      "others go on; a store that cannot be used (schema newer than this slowscope, login\n"
      "refused) stops collection.\n"
      "Exit status: 0 done (or stopped by a signal), 1 a target failed, its slow log is\n"
      "missing, or it was collected by another process (--once), 2 bad configuration or\n"
      "arguments, a store that cannot be used, or (--once) a target that refused the login.");
  cmd->callback([options, exit_code] { *exit_code = run_collect(*options); });
}

}  // namespace slowscope
