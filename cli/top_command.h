// `slowscope top`: the query shapes that cost most over a time range, from the history store.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code` (0 done, 1 store error,
// 2 bad arguments or configuration).
void add_top_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
