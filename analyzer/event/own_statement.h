// The marker comment slowscope puts at the start of every statement it runs on a monitored
// server, so that its own statements can be told apart and left out of what it collects
// (pg_stat_statements keeps comments in query text; MySQL logs keep them too).
#pragma once

#include <string_view>

namespace slowscope {

inline constexpr std::string_view kOwnStatementMarker = "/* slowscope */";

}  // namespace slowscope
