// How slowscope logs: to standard error (stdout carries only reports), as text for people —
// "slowscope: warning: ...", its level coloured on a colour terminal, never when NO_COLOR
// is set (https://no-color.org) or standard error is not a terminal — or, with
// --log-format json, as one JSON object per line for log shippers (app/log_format.h).
// SPDLOG_LEVEL sets the level (e.g. SPDLOG_LEVEL=debug).
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Makes the default logger: standard error, text. Call first thing in main().
void start_logging();

// Adds --log-format text|json to `app` and to each of its subcommands, at any depth (so
// that it is taken before or after the command's name and shown in each --help); it takes
// effect as soon as it is parsed, before the command runs.
void add_log_format_option(CLI::App& app);

}  // namespace slowscope
