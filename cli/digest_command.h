// `slowscope digest`: a ranked profile of the query shapes in MySQL/MariaDB/Percona slow
// logs, as text for people or versioned JSON for tools.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand and its options on `app`; the subcommand's callback runs the
// job and leaves its exit status in `*exit_code`.
void add_digest_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
