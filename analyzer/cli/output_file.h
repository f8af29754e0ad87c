// Writing a report where the user asked: standard output, or a file that is replaced
// atomically (written to a temporary sibling, flushed, then renamed), so that a crash or a
// full disk never leaves a half-written report where a previous good one stood. Devices,
// pipes and symlinks (/dev/null, /dev/stdout) are written in place.
#pragma once

#include <string>
#include <string_view>

namespace slowscope {

// Writes `content` to `path` ("-" or empty: standard output). Throws std::runtime_error
// naming the path and the system error on failure.
void write_output(const std::string& path, std::string_view content);

}  // namespace slowscope
