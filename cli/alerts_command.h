// `slowscope alerts`: the alert outbox — what was queued for which sink and where its
// delivery stands (`alerts`), delivering what is due now (`alerts send`, for one-shot
// jobs), and a test trigger and resolve to each configured sink (`alerts test`).
#pragma once

#include <CLI/CLI.hpp>

namespace slowscope {

// Registers the command and its subcommands; the exit status goes to `*exit_code`.
void add_alerts_command(CLI::App& app, int* exit_code);

}  // namespace slowscope
