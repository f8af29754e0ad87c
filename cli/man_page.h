// The manual page slowscope(1), written from the command-line parser itself so that it and
// `--help` never disagree: every command and subcommand CLI11 knows gets a section with
// its description, usage, options (as `--help` prints them) and its help footer, which
// holds the command's exit status. The build runs `slowscope --man-page` to make
// slowscope.1 (cli/CMakeLists.txt). Pure functions; thread-safe.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace slowscope {

// `text` made safe for roff: backslashes and hyphen-minus escaped (options stay
// copy-pasteable), a leading '.' or '\'' kept from being read as a request.
std::string roff_escape(std::string_view text);

// The whole page, in the man(7) macros, for `app` (the top-level `slowscope` parser) and
// `version` as `--version` prints it. Hidden options (no group) are left out, as in --help.
std::string render_man_page(const CLI::App& app, std::string_view version);

}  // namespace slowscope
