// slowscope command-line entry point: one CLI11 subcommand per job.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "cli/alerts_command.h"
#include "cli/check_command.h"
#include "cli/collect_command.h"
#include "cli/config_command.h"
#include "cli/digest_command.h"
#include "cli/findings_command.h"
#include "cli/log_options.h"
#include "cli/man_page.h"
#include "cli/release_command.h"
#include "cli/report_command.h"
#include "cli/show_command.h"
#include "cli/source_revision.h"
#include "cli/store_command.h"
#include "cli/top_command.h"
#include "cli/trends_command.h"
#include "reports/tool_version.h"

namespace {

// "slowscope 0.1.0 (revision af08b55c1d2e)": the version and the commit it was built from,
// which the build looks up (cmake/SourceRevision.cmake).
std::string version_text() {
  std::string text =
      std::string(slowscope::kToolName) + " " + std::string(slowscope::tool_version()) + " (";
  if (*slowscope::kSourceRevision == '\0') {
    return text + "unknown revision: not built from a git checkout)";
  }
  text += "revision " + std::string(slowscope::kSourceRevision);
  if (slowscope::kSourceRevisionDirty) text += ", with uncommitted changes";
  return text + ")";
}

}  // namespace

int main(int argc, char** argv) {
  // Diagnostics go to stderr so that stdout carries only the report.
  slowscope::start_logging();

  CLI::App app{"slowscope: find the query shapes that make a database slow"};
  app.set_version_flag("--version", version_text(), "Print the version and source revision");
  app.require_subcommand(1);
  app.footer(
      "Run 'slowscope COMMAND --help' for what a command does and its options.\n"
      "Exit status: the command's (0 when it succeeded; its --help lists the others), 2 for a\n"
      "usage error (no or an unknown command, an unknown option, a missing argument).");
  // Hidden: the build writes the manual page with it (cli/man_page.h).
  app.add_flag_callback(
         "--man-page",
         [&app] {
           std::cout << slowscope::render_man_page(app, version_text());
           throw CLI::Success();
         },
         "Print the manual page (roff) and exit")
      ->group("");
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
  slowscope::add_store_command(app, &exit_code);
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
