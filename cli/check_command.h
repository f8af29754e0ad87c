// `slowscope check --release NAME`: the post-release regression gate for CI pipelines.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code`: 0 no regression, 1 a
// regression at or above --fail-on, 2 usage or configuration error, 3 could not evaluate.
void add_check_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
