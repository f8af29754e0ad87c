// Prometheus Alertmanager API v2: POST /api/v2/alerts with a list of
// {labels, annotations, startsAt, endsAt, generatorURL}. An alert without endsAt resolves
// by itself after the server's resolve_timeout (5 minutes by default), so every alert here
// has one.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "analyzer/time/utc_time.h"
#include "reports/alerts/sinks/sink_requests.h"

namespace slowscope {

HttpRequest alertmanager_request(const std::vector<AlertEvent>& events, std::string_view base_url,
                                 int64_t now, int64_t firing_for) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  nlohmann::ordered_json alerts = nlohmann::ordered_json::array();
  for (const AlertEvent& e : events) {
    nlohmann::ordered_json labels = {
        {"alertname", e.query_id.empty() ? "SlowscopeHealth" : "SlowscopeFinding"},
        {"target", e.target},
        {"kind", e.kind},
        {"severity", to_string(e.severity)}};
    if (!e.query_id.empty()) labels["query_id"] = e.query_id;
    if (!e.incident.empty()) labels["incident"] = e.incident;
    nlohmann::ordered_json annotations = {{"summary", e.summary},
                                          {"description", e.details.dump(2)}};
    if (!e.fingerprint.empty()) annotations["fingerprint"] = e.fingerprint;
    if (!e.release.empty()) annotations["release"] = e.release;
    const int64_t ends = e.action == AlertAction::kTrigger ? now + firing_for : now;
    nlohmann::ordered_json alert = {{"labels", labels},
                                    {"annotations", annotations},
                                    {"startsAt", format_utc(std::min(e.at, ends) * 1'000'000)},
                                    {"endsAt", format_utc(ends * 1'000'000)}};
    if (!e.links.empty()) alert["generatorURL"] = e.links.front().href;
    alerts.push_back(std::move(alert));
  }
  return {base + "/api/v2/alerts",
          {},
          alerts.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace slowscope
