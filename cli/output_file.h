// Writing a report where the user asked: standard output, or a file that is replaced
// atomically (written to a temporary sibling, flushed, then renamed), so that a crash or a
// full disk never leaves a half-written report where a previous good one stood. Devices,
// pipes and symlinks (/dev/null, /dev/stdout) are written in place.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace slowscope {

// Throws InvalidInput, naming both paths, when `output` (a path given to --output;
// "-" or empty is standard output and always fine) is the same file as one of `inputs` —
// the same device and inode, whatever the spelling or link — so that writing the report
// would destroy what it was made from. `what` names the inputs in the message ("input",
// "store"). Inputs that are "-" or do not exist are skipped. Call it before reading.
void refuse_output_over_inputs(const std::string& output, const std::vector<std::string>& inputs,
                               std::string_view what);

// Writes `content` to `path` ("-" or empty: standard output). A new file is readable by its
// owner only (0600); a file replaced keeps its mode (and owner, where allowed). Throws
// std::runtime_error naming the path and the system error on failure.
void write_output(const std::string& path, std::string_view content);

}  // namespace slowscope
