// The name and version of the tool, as reports name what made them. Thread-safe.
#pragma once

#include <string_view>

namespace slowscope {

inline constexpr std::string_view kToolName = "slowscope";

// The project version the binary was built from, e.g. "0.1.0".
std::string_view tool_version();

}  // namespace slowscope
