// slowscope command-line entry point: one CLI11 subcommand per job.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>

#include "cli/alerts_command.h"
#include "cli/check_command.h"
#include "cli/collect_command.h"
#include "cli/config_command.h"
#include "cli/digest_command.h"
#include "cli/findings_command.h"
#include "cli/log_options.h"
#include "cli/release_command.h"
#include "cli/report_command.h"
#include "cli/show_command.h"
#include "cli/top_command.h"
#include "cli/trends_command.h"

int main(int argc, char** argv) {
  // Diagnostics go to stderr so that stdout carries only the report.
  slowscope::start_logging();

  CLI::App app{"slowscope: find the query shapes that make a database slow"};
  app.set_version_flag("--version", "slowscope 0.1.0");
  app.require_subcommand(1);
  app.footer("Run 'slowscope COMMAND --help' for what a command does and its options.");
  int exit_code = 0;
  slowscope::add_digest_command(app, &exit_code);
  slowscope::add_collect_command(app, &exit_code);
  slowscope::add_top_command(app, &exit_code);
  slowscope::add_show_command(app, &exit_code);
  slowscope::add_release_command(app, &exit_code);
  slowscope::add_check_command(app, &exit_code);
  slowscope::add_trends_command(app, &exit_code);
  slowscope::add_findings_command(app, &exit_code);
  slowscope::add_alerts_command(app, &exit_code);
  slowscope::add_report_command(app, &exit_code);
  slowscope::add_config_command(app, &exit_code);
  slowscope::add_log_format_option(app);  // after the commands: each of them takes it
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Usage errors exit 2, like the documented status of every command.
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  return exit_code;
}
