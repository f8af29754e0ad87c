#include "app/alert_setup.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "analyzer/config/config.h"
#include "app/alert_sender.h"
#include "reports/alerts/sinks/sink_requests.h"

namespace slowscope {
namespace {

AlertSeverity severity_of(std::string_view text) {
  return alert_severity_from_string(text).value_or(AlertSeverity::kWarning);  // validated
}

SeverityBar bar_of(const AlertSeverityBar& bar) {
  return {static_cast<double>(bar.added_per_hour.count()), bar.ratio};
}

// Slack takes one message a second per webhook.
constexpr std::chrono::milliseconds kSlackSpacing{1000};

}  // namespace

AlertRouting alert_routing(const AlertsConfig& alerts) {
  AlertRouting routing;
  routing.thresholds.warning = bar_of(alerts.thresholds.warning);
  routing.thresholds.error = bar_of(alerts.thresholds.error);
  routing.thresholds.critical = bar_of(alerts.thresholds.critical);
  routing.report_url = alerts.report_url;
  for (const AlertSinkConfig& sink : alerts.sinks) {
    routing.sinks.push_back({sink.name, severity_of(alerts.min_severity_of(sink))});
  }
  return routing;
}

std::chrono::seconds alertmanager_firing_for(std::chrono::seconds refresh) {
  return 4 * refresh;
}

SenderOptions sender_options(const AlertsConfig& alerts) {
  SenderOptions options;
  options.claim_hold = 2 * alerts.timeout + std::chrono::seconds(5);
  return options;
}

std::vector<std::unique_ptr<AlertSink>> make_alert_sinks(const AlertsConfig& alerts,
                                                         std::chrono::seconds refresh) {
  HttpPostOptions http;
  http.timeout = alerts.timeout;
  http.connect_timeout = std::min<std::chrono::milliseconds>(alerts.timeout, http.connect_timeout);
  std::vector<std::unique_ptr<AlertSink>> sinks;
  const std::string source = LeaseHolder::this_process().host;
  for (const AlertSinkConfig& s : alerts.sinks) {
    const std::string secret = s.secret ? read_secret(*s.secret) : "";
    const std::string url = s.url;
    switch (s.type) {
      case AlertSinkType::kPagerduty:
        sinks.push_back(http_sink(
            s.name,
            [url, secret, source](const AlertEvent& e, int64_t) {
              return pagerduty_request(e, url, secret, source);
            },
            http));
        break;
      case AlertSinkType::kOpsgenie:
        sinks.push_back(http_sink(
            s.name,
            [url, secret](const AlertEvent& e, int64_t) {
              return opsgenie_request(e, url, secret);
            },
            http));
        break;
      case AlertSinkType::kSplunkOncall:
        sinks.push_back(http_sink(
            s.name,
            [secret](const AlertEvent& e, int64_t) { return splunk_oncall_request(e, secret); },
            http));
        break;
      case AlertSinkType::kAlertmanager:
        sinks.push_back(alertmanager_sink(s.name, url, alertmanager_firing_for(refresh), http));
        break;
      case AlertSinkType::kSlack:
        sinks.push_back(http_sink(
            s.name, [secret](const AlertEvent& e, int64_t) { return slack_request(e, secret); }, {},
            kSlackSpacing));
        break;
      case AlertSinkType::kWebhook:
        sinks.push_back(http_sink(
            s.name,
            [url, secret](const AlertEvent& e, int64_t) { return webhook_request(e, url, secret); },
            http));
        break;
      case AlertSinkType::kFile:
        sinks.push_back(file_sink(s.name, s.path));
        break;
    }
  }
  return sinks;
}

AlertingSetup alerting_setup(const std::string& config_path) {
  const Config config = load_config(config_path);
  if (!config.alerts) {
    throw ConfigError(config_path +
                      ": no `alerts:` section: nowhere to send alerts (see docs/ALERTS.md)");
  }
  for (const std::string& warning : alert_secret_warnings(*config.alerts)) {
    spdlog::warn("{}", warning);
  }
  check_alert_sinks(*config.alerts);
  return {alert_routing(*config.alerts), make_alert_sinks(*config.alerts, config.interval),
          sender_options(*config.alerts)};
}

bool deliver_due_now(Store& store, AlertingSetup& setup) {
  SenderOptions sending = setup.sending;
  sending.routing = &setup.routing;
  bool all_delivered = true;
  for (const auto& sink : setup.sinks) {
    const SendCounts sent = send_all_due(store, *sink, sending);
    if (sent.delivered + sent.retrying + sent.failed == 0) continue;
    spdlog::info("alerts to {}: {} delivered, {} to retry later, {} failed", sink->name(),
                 sent.delivered, sent.retrying, sent.failed);
    all_delivered = all_delivered && sent.retrying == 0 && sent.failed == 0;
  }
  return all_delivered;
}

}  // namespace slowscope
