// `slowscope store`: maintenance of the history store for operators — what it holds and
// how big it is (stats), the rollup and retention cut `collect` runs by itself (prune),
// giving deleted rows' space back (vacuum), and a consistent copy of an SQLite store while
// `collect` writes to it (backup). Every subcommand opens an existing store only.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the command and its subcommands; the exit status goes to `*exit_code` (0 done,
// 1 store error, 2 bad arguments or configuration, or no store there).
void add_store_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
