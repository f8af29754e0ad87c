#include "app/alert_routing.h"

#include <spdlog/spdlog.h>

namespace slowscope {

std::vector<std::string> AlertRouting::sinks_for(AlertSeverity severity) const {
  std::vector<std::string> out;
  for (const SinkRoute& sink : sinks) {
    if (severity >= sink.min_severity) out.push_back(sink.name);
  }
  return out;
}

nlohmann::json json_checkpoint(Store& store, const std::string& target, std::string_view name) {
  const std::optional<std::string> text = store.checkpoint(target, name);
  if (!text || text->empty()) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_object()) return j;
  spdlog::warn("{}: checkpoint {} is unreadable; starting it afresh", target, name);
  return nlohmann::json::object();
}

std::optional<OutboxAlert> resolve_alert(std::string_view trigger, std::vector<std::string> sinks,
                                         int64_t at) {
  std::optional<AlertEvent> event = alert_event_from_document(trigger);
  if (!event) return std::nullopt;
  event->action = AlertAction::kResolve;
  event->at = at;
  return outbox_alert(*event, std::move(sinks));
}

OutboxAlert outbox_alert(const AlertEvent& event, std::vector<std::string> sinks) {
  OutboxAlert out;
  out.target = event.target;
  out.dedup_key = event.dedup_key;
  out.action = std::string(to_string(event.action));
  out.severity = std::string(to_string(event.severity));
  out.summary = event.summary;
  out.document = alert_document(event).dump();
  out.created_at = StoreTime(std::chrono::seconds(event.at));
  out.sinks = std::move(sinks);
  return out;
}

}  // namespace slowscope
