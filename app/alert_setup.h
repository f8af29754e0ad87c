// From the configuration's `alerts:` section to what sends alerts: the routing every
// queued event goes through, and the sinks, their secrets read once at start — so that a
// missing key file stops `collect` at start rather than at 05:00.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "analyzer/config/alerts_config.h"
#include "app/alert_routing.h"
#include "app/alert_sender.h"
#include "reports/alerts/delivery/alert_sink.h"

namespace slowscope {

// The thresholds, report link and per-sink least severities of `alerts`.
AlertRouting alert_routing(const AlertsConfig& alerts);

// How long an Alertmanager alert fires after each send: a few of the re-sends that keep it
// firing (every `refresh` seconds), so that it outlives a late one but not a stopped
// collector by long.
std::chrono::seconds alertmanager_firing_for(std::chrono::seconds refresh);

// How the sender treats the sinks of `alerts`: a claim outlasts an attempt (two timeouts).
SenderOptions sender_options(const AlertsConfig& alerts);

// The sinks of `alerts`, in configuration order, with their secrets read now; each request
// takes at most alerts.timeout. Alertmanager alerts fire for alertmanager_firing_for(refresh)
// after each send. Throws ConfigError.
std::vector<std::unique_ptr<AlertSink>> make_alert_sinks(const AlertsConfig& alerts,
                                                         std::chrono::seconds refresh);

// Everything a one-shot command needs to queue and send alerts (`check --alert`,
// `report --alert`): the routing and the sinks, secrets read.
struct AlertingSetup {
  AlertRouting routing;
  std::vector<std::unique_ptr<AlertSink>> sinks;
  SenderOptions sending;  // its routing left null: the setup may move
};

// The alerting of the configuration at `config_path`, its secret-file warnings logged.
// Throws ConfigError, also when the file has no `alerts:` section.
AlertingSetup alerting_setup(const std::string& config_path);

// Delivers to each sink of `setup` what is due now (send_all_due), logging one line per
// sink that had something to send. True when nothing failed or waits for a retry. Throws
// StoreError.
bool deliver_due_now(Store& store, AlertingSetup& setup);

}  // namespace slowscope
