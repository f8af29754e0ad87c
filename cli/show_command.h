// `slowscope show QUERY_ID`: one query shape from the history store — totals, per-interval
// timeline (a sparkline in text), tables, and with --examples the statements' stored texts.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code` (0 done, 1 store error or
// no samples of the shape in the range, 2 bad arguments or configuration, no store, an
// unknown or ambiguous query id).
void add_show_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
