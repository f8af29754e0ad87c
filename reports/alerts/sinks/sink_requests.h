// The HTTP requests that carry an AlertEvent to each kind of receiver, as each receiver's
// documented API wants them. Building a request is separate from sending it (the sender
// adds timeouts, retries and the outbox), so that the exact bodies are tested here and a
// sink's format is one file (reports/alerts/sinks/<sink>.cpp).
//
// Secrets (routing keys, API keys, webhook URLs, HMAC secrets) come in as arguments and go
// only into the request: callers never log a request's URL, headers or body.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/alerts/alert_event.h"

namespace slowscope {

// A POST with a JSON body.
struct HttpRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type: JSON
  std::string body;
};

// PagerDuty Events API v2 (`url` normally https://events.pagerduty.com/v2/enqueue): an
// alert event with the routing key, the event's action and dedup key; a trigger carries
// payload.{summary, source, severity, timestamp, component, group, class, custom_details}
// and links. `source` names the machine that saw it.
HttpRequest pagerduty_request(const AlertEvent& event, std::string_view url,
                              std::string_view routing_key, std::string_view source);

// Opsgenie Alert API v2 (`base_url` https://api.opsgenie.com, or the EU region's): a
// trigger creates an alert whose alias is the dedup key (message <= 130 characters,
// priority P1 critical .. P5 info, details, tags); a resolve closes the alert by alias.
HttpRequest opsgenie_request(const AlertEvent& event, std::string_view base_url,
                             std::string_view api_key);

// Splunk On-Call REST integration (`url` holds the API and routing keys): message_type
// CRITICAL, WARNING or INFO for a trigger, RECOVERY for a resolve; entity_id the dedup key.
HttpRequest splunk_oncall_request(const AlertEvent& event, std::string_view url);

// Prometheus Alertmanager API v2: POST `base_url`/api/v2/alerts with one alert per event.
// A trigger is firing until `now` + `firing_for` seconds (re-sent every cycle while open,
// so that it never lapses while open nor outlives a collector that stopped); a resolve
// ends at `now`. Labels alertname (SlowscopeFinding, or SlowscopeHealth for events without
// a shape), target, kind, query_id, incident, severity; annotations summary, description,
// fingerprint.
HttpRequest alertmanager_request(const std::vector<AlertEvent>& events, std::string_view base_url,
                                 int64_t now, int64_t firing_for);

// Slack incoming webhook: the summary as fallback text and a compact Block Kit message,
// with &, < and > escaped as Slack's mrkdwn wants.
HttpRequest slack_request(const AlertEvent& event, std::string_view webhook_url);

// Any webhook: the slowscope.alert/1 document; with a secret, the header
// X-Slowscope-Signature: sha256=<hex HMAC-SHA256 of the body>.
HttpRequest webhook_request(const AlertEvent& event, std::string_view url,
                            std::string_view hmac_secret);

}  // namespace slowscope
