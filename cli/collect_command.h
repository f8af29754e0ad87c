// `slowscope collect`: the command line of the collect use case (app/collect.h), which
// collects every target of the configuration — PostgreSQL pg_stat_statements, and MySQL or
// MariaDB from a slow-log file, the mysql.slow_log table or performance_schema digests —
// each interval into the history store, one thread per target.
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the subcommand; its exit status goes to `*exit_code` (0 done or stopped, 1 a
// target failed in a --once run, 2 bad configuration or arguments, a store that cannot be
// used, or a --once target whose login was refused).
void add_collect_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
