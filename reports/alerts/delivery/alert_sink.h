// AlertSink: one configured receiver of alert events — an on-call tool's HTTP API, a chat
// webhook, any webhook, or a JSON Lines file — as the sender sees it: deliver one event,
// get the receiver's verdict. One interface for every kind of receiver; the request formats
// are in reports/alerts/sinks/, the transport and its retry rules beside this file.
//
// A sink holds its secrets (read from their files when it was made) and never logs them,
// nor the URLs that may hold them. One thread at a time per sink; the sender gives each
// sink a thread of its own, so that a receiver that hangs delays only itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "reports/alerts/alert_event.h"
#include "reports/alerts/delivery/http_post.h"
#include "reports/alerts/delivery/retry_policy.h"

namespace slowscope {

// What a receiver made of one delivery.
struct SinkResult {
  DeliveryVerdict verdict = DeliveryVerdict::kDelivered;
  std::optional<std::chrono::seconds> retry_after;  // the receiver asked to wait this long
  std::string message;  // the failure (describe_failure), or the receiver's answer
};

class AlertSink {
 public:
  virtual ~AlertSink() = default;

  // The name the configuration gives it.
  virtual const std::string& name() const = 0;

  // Delivers `event` at `now` (epoch seconds). Never throws for the receiver's failures:
  // they are its result.
  virtual SinkResult deliver(const AlertEvent& event, int64_t now) = 0;

  // For receivers whose alerts lapse unless re-sent (Alertmanager): re-sends `firing`, the
  // triggers still open, at `now`. Others do nothing.
  virtual SinkResult refresh(const std::vector<AlertEvent>& firing, int64_t now);

  // The shortest time between two deliveries (Slack takes one message a second).
  virtual std::chrono::milliseconds min_spacing() const { return std::chrono::milliseconds(0); }
};

// Builds the request of an event at `now` for an HTTP receiver.
using RequestBuilder = std::function<HttpRequest(const AlertEvent& event, int64_t now)>;

// A receiver reached by one POST per event, as `build` makes it.
std::unique_ptr<AlertSink> http_sink(std::string name, RequestBuilder build,
                                     HttpPostOptions options = {},
                                     std::chrono::milliseconds min_spacing = {});

// Alertmanager at `base_url`: triggers fire until `firing_for` seconds after each send or
// refresh, resolves end at once.
std::unique_ptr<AlertSink> alertmanager_sink(std::string name, std::string base_url,
                                             std::chrono::seconds firing_for,
                                             HttpPostOptions options = {});

// Appends each event's slowscope.alert/1 document as one line to `path` (created 0600),
// synced to disk before it counts as delivered.
std::unique_ptr<AlertSink> file_sink(std::string name, std::filesystem::path path);

}  // namespace slowscope
