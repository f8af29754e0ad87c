// `slowscope trends`: which query shapes have been getting slower day after day — the slow
// build-up a comparison of two windows misses.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code`: 0 no shape trending
// slower, 1 one or more at or above --fail-on, 2 usage or configuration error, 3 could not
// evaluate (store error).
void add_trends_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
