// AlertRouting: what the configuration's `alerts:` section decides for every alert event
// before it is queued — the severity thresholds, the report link, and which sinks take an
// event of a given severity. Built once per run; plain values, safe to share read-only.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/store/store.h"
#include "reports/alerts/alert_event.h"

namespace slowscope {

struct SinkRoute {
  std::string name;
  AlertSeverity min_severity = AlertSeverity::kWarning;  // takes events at least this urgent
};

struct AlertRouting {
  AlertThresholds thresholds;
  std::string report_url;  // linked from events when not empty
  std::vector<SinkRoute> sinks;

  // The sinks that take an event of `severity`, in configuration order.
  std::vector<std::string> sinks_for(AlertSeverity severity) const;
};

// The JSON object alerting keeps as checkpoint `name` of `target` (what was paged, for
// instance): empty when there is none, and when it is unreadable (logged; that record then
// starts afresh). Throws StoreError.
nlohmann::json json_checkpoint(Store& store, const std::string& target, std::string_view name);

// `event` as the outbox keeps it (its slowscope.alert/1 document), for `sinks`.
OutboxAlert outbox_alert(const AlertEvent& event, std::vector<std::string> sinks);

// The resolve, at `at` (epoch seconds), of the trigger whose document is `trigger`, for
// `sinks`; nullopt when the document is not a slowscope.alert/1 event.
std::optional<OutboxAlert> resolve_alert(std::string_view trigger, std::vector<std::string> sinks,
                                         int64_t at);

}  // namespace slowscope
