// `slowscope findings`: the regressions continuous detection has on record, with their
// lifecycle (open, resolved), from the history store.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code` (0 listed, 1 store error,
// 2 bad arguments or configuration).
void add_findings_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
