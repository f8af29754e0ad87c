#include "reports/json/outbox_json.h"

#include "analyzer/time/utc_time.h"

namespace slowscope {

nlohmann::ordered_json outbox_to_json(const std::vector<AlertDelivery>& deliveries) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const AlertDelivery& d : deliveries) {
    nlohmann::ordered_json event = nlohmann::ordered_json::parse(d.alert.document, nullptr, false);
    if (event.is_discarded()) event = nullptr;
    list.push_back({{"event_id", d.alert.id},
                    {"sink", d.sink},
                    {"state", to_string(d.state)},
                    {"attempts", d.attempts},
                    {"queued_at", format_utc(d.alert.created_at)},
                    {"first_attempt_at",
                     d.first_attempt_at ? nlohmann::ordered_json(format_utc(*d.first_attempt_at))
                                        : nlohmann::ordered_json()},
                    {"next_attempt_at", d.state == DeliveryState::kPending
                                            ? nlohmann::ordered_json(format_utc(d.next_attempt_at))
                                            : nlohmann::ordered_json()},
                    {"updated_at", format_utc(d.updated_at)},
                    {"last_error", d.last_error.empty() ? nlohmann::ordered_json()
                                                        : nlohmann::ordered_json(d.last_error)},
                    {"event", std::move(event)}});
  }
  return {{"schema", kOutboxSchemaId}, {"deliveries", std::move(list)}};
}

}  // namespace slowscope
