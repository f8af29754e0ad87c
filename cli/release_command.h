// `slowscope release add|list`: release markers that regression checks compare around.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code` (0 done, 1 store error,
// 2 bad arguments, configuration, or a release name recorded already).
void add_release_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
