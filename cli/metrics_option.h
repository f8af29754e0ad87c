// --metrics-file for the commands that leave Prometheus metrics of their run (collect,
// check, report; app/run_metrics.h, docs/METRICS.md): the option, and a run of a one-shot
// command that writes the file once at its end, with its outcome.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include "app/run_metrics.h"

namespace slowscope {

// Adds --metrics-file PATH to `command`, into `path`; `when` says when the command writes it
// ("at its end", "after each cycle of any target and at exit").
CLI::Option* add_metrics_file_option(CLI::App* command, std::string* path, const std::string& when);

// Runs `body` and returns its exit status. With a `path`, `body` gets a registry for
// `command` to tell what it found (else null), and the file is written once it returns:
// its exit status, whether `succeeded(status)`, how long it took. A file that cannot be
// written is logged as an error; the status stays the command's.
int run_with_metrics(const std::string& command, const std::string& path,
                     const std::function<int(RunMetrics*)>& body,
                     const std::function<bool(int)>& succeeded);

}  // namespace slowscope
