// slowscope command-line entry point: one CLI11 subcommand per job.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  // Diagnostics go to stderr so that stdout carries only the report.
  spdlog::set_default_logger(spdlog::stderr_color_mt("slowscope"));
  spdlog::set_pattern("slowscope: %^%l%$: %v");

  CLI::App app{"slowscope: find the query shapes that make a database slow"};
  app.set_version_flag("--version", "slowscope 0.1.0");
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}
