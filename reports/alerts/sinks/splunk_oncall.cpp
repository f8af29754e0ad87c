// Splunk On-Call (VictorOps) REST integration: POST to the integration's URL (which holds
// the API key and the routing key) with message_type CRITICAL, WARNING, INFO or RECOVERY,
// entity_id (what ties a recovery to its alert), entity_display_name, state_message,
// state_start_time (epoch seconds) and monitoring_tool.
#include <nlohmann/json.hpp>

#include "reports/alerts/sinks/sink_requests.h"

namespace slowscope {

HttpRequest splunk_oncall_request(const AlertEvent& e, std::string_view url) {
  std::string_view type = "RECOVERY";
  if (e.action == AlertAction::kTrigger) {
    type = e.severity >= AlertSeverity::kError     ? "CRITICAL"
           : e.severity == AlertSeverity::kWarning ? "WARNING"
                                                   : "INFO";
  }
  const nlohmann::ordered_json body = {{"message_type", type},
                                       {"entity_id", e.dedup_key},
                                       {"entity_display_name", e.summary},
                                       {"state_message", e.summary + "\n\n" + e.details.dump(2)},
                                       {"state_start_time", e.at},
                                       {"monitoring_tool", "slowscope"}};
  return {
      std::string(url), {}, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace slowscope
