// PagerDuty Events API v2: https://developer.pagerduty.com/docs/events-API-v2/ (the event
// fields and their limits: dedup_key <= 255 characters, summary <= 1,024, 512 KB a request).
#include <nlohmann/json.hpp>

#include "analyzer/time/utc_time.h"
#include "reports/alerts/sinks/sink_requests.h"

namespace slowscope {

HttpRequest pagerduty_request(const AlertEvent& e, std::string_view url,
                              std::string_view routing_key, std::string_view source) {
  nlohmann::ordered_json body = {{"routing_key", routing_key},
                                 {"event_action", to_string(e.action)},
                                 {"dedup_key", e.dedup_key}};
  if (e.action == AlertAction::kTrigger) {
    body["payload"] = {{"summary", e.summary},
                       {"source", source},
                       {"severity", to_string(e.severity)},
                       {"timestamp", format_utc(e.at * 1'000'000)},
                       {"component", e.target},
                       {"group", e.incident.empty() ? e.target : e.incident},
                       {"class", e.kind},
                       {"custom_details", alert_document(e)}};
    nlohmann::ordered_json links = nlohmann::ordered_json::array();
    for (const AlertLink& l : e.links) links.push_back({{"href", l.href}, {"text", l.text}});
    body["links"] = links;
    body["client"] = "slowscope";
  }
  return {
      std::string(url), {}, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace slowscope
