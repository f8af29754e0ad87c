// `slowscope report`: the nightly report over a period of the history store, as a
// self-contained HTML page and/or a versioned JSON document (slowscope.report/1), both from
// one read of the store (app/report.h).
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code` (0 written, 1 store error,
// 2 bad arguments or configuration or no store, 3 nothing to report in the period).
void add_report_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
