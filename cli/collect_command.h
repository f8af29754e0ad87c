// `slowscope collect`: polls every PostgreSQL target of the configuration each interval and
// writes the per-interval deltas to the history store. Each target has its own thread,
// connection and store connection, so a target that is down or slow never delays another.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code` (0 done, 1 a target failed
// in a --once run, 2 bad configuration or arguments).
void add_collect_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
