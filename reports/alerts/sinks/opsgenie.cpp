// Opsgenie Alert API v2: create (POST /v2/alerts) and close by alias (POST
// /v2/alerts/{alias}/close?identifierType=alias), "Authorization: GenieKey <key>"; both
// answer 202 and process the request later. message <= 130 characters, alias <= 512,
// description <= 15,000, priority P1..P5.
#include <nlohmann/json.hpp>

#include "reports/alerts/sinks/sink_requests.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

std::string_view priority(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::kCritical:
      return "P1";
    case AlertSeverity::kError:
      return "P2";
    case AlertSeverity::kWarning:
      return "P3";
    case AlertSeverity::kInfo:
      return "P5";
  }
  return "P3";
}

}  // namespace

HttpRequest opsgenie_request(const AlertEvent& e, std::string_view base_url,
                             std::string_view api_key) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Authorization", "GenieKey " + std::string(api_key)}};
  const auto dump = [](const nlohmann::ordered_json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (e.action == AlertAction::kResolve) {
    // The dedup key is hex: nothing in it needs escaping in a path.
    return {base + "/v2/alerts/" + e.dedup_key + "/close?identifierType=alias", headers,
            dump({{"source", "slowscope"}, {"note", e.summary}})};
  }
  nlohmann::ordered_json details = {{"target", e.target}, {"kind", e.kind}};
  for (const auto& [name, value] :
       {std::pair{"query_id", &e.query_id}, std::pair{"fingerprint", &e.fingerprint},
        std::pair{"incident", &e.incident}, std::pair{"release", &e.release}}) {
    if (!value->empty()) details[name] = cut_text(*value, 2000);
  }
  nlohmann::ordered_json body = {
      {"message", cut_text(e.summary, 129)},
      {"alias", e.dedup_key},
      {"description", cut_text(e.summary + "\n\n" + e.details.dump(2), 14000)},
      {"tags", {"slowscope", e.kind, cut_text(e.target, 50)}},
      {"details", details},
      {"entity", e.target},
      {"source", "slowscope"},
      {"priority", priority(e.severity)}};
  return {base + "/v2/alerts", headers, dump(body)};
}

}  // namespace slowscope
