// Turning a JSON report into the text a command prints or writes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace slowscope {

// Pretty-printed, newline-terminated. Statement text is whatever a server logged:
// invalid UTF-8 becomes U+FFFD rather than failing the whole report.
inline std::string json_report_text(const nlohmann::ordered_json& report) {
  return report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace slowscope
