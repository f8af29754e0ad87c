#include "cli/alerts_command.h"

#include <iostream>
#include <sstream>

#include "analyzer/time/utc_time.h"
#include "app/alert_sender.h"
#include "app/alert_setup.h"
#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "reports/json/outbox_json.h"
#include "reports/text/digest_text.h"

namespace slowscope {
namespace {

struct AlertsOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  std::string status = "all";
  std::string since = "7d";
  std::string sink;
  std::string format = "text";
  int limit = 200;
  std::string severity = "warning";  // alerts test
};

std::string to_text(const std::vector<AlertDelivery>& deliveries) {
  if (deliveries.empty()) return "no alert events\n";
  std::ostringstream out;
  for (const AlertDelivery& d : deliveries) {
    out << format_utc(d.alert.created_at) << "  " << to_string(d.state) << "  "
        << terminal_safe(d.sink, 40) << "  " << d.alert.action << "  " << d.alert.severity << "  "
        << terminal_safe(d.alert.summary, 200) << "\n    key " << d.alert.dedup_key.substr(0, 12)
        << ", " << d.attempts << (d.attempts == 1 ? " attempt" : " attempts");
    if (d.state == DeliveryState::kPending && d.attempts > 0) {
      out << ", next at " << format_utc(d.next_attempt_at);
    }
    if (!d.last_error.empty()) out << "\n    " << terminal_safe(d.last_error, 300);
    out << "\n";
  }
  return out.str();
}

int run_list(const AlertsOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    OutboxQuery query;
    if (!o.sink.empty()) query.sink = o.sink;
    if (o.status != "all") query.state = delivery_state_from_string(o.status);
    query.since = resolve_window(o.since, "", "", "", std::chrono::system_clock::now()).from;
    query.limit = o.limit;
    Store store = Store::open(location, StoreOpen::kMustExist);
    const std::vector<AlertDelivery> deliveries = store.deliveries(query);
    std::cout << (o.format == "json" ? json_report_text(outbox_to_json(deliveries))
                                     : to_text(deliveries));
    return 0;
  });
}

// The alerting of the configuration at `path`, with only the sink called `name` when given.
AlertingSetup chosen_sinks(const std::string& path, const std::string& name) {
  AlertingSetup setup = alerting_setup(path);
  if (name.empty()) return setup;
  std::string known;
  for (auto& sink : setup.sinks) {
    if (sink->name() == name) {
      std::vector<std::unique_ptr<AlertSink>> one;
      one.push_back(std::move(sink));
      setup.sinks = std::move(one);
      return setup;
    }
    known += (known.empty() ? "" : ", ") + sink->name();
  }
  throw UsageError("no alert sink called '" + name + "' (configured: " + known + ")");
}

int run_send(const AlertsOptions& o) {
  return run_command(1, [&] {
    AlertingSetup setup = chosen_sinks(o.config, o.sink);
    SenderOptions sending = setup.sending;
    sending.routing = &setup.routing;
    Store store = Store::open(resolve_store(o.store, o.config), StoreOpen::kMustExist);
    bool all_delivered = true;
    for (const auto& sink : setup.sinks) {
      const SendCounts total = send_all_due(store, *sink, sending);
      const size_t waiting =
          store.deliveries({sink->name(), DeliveryState::kPending, {}, 100000}).size();
      std::cout << sink->name() << ": " << total.delivered << " delivered, " << total.failed
                << " failed, " << waiting << " pending";
      if (waiting > 0) std::cout << " (retried later; `slowscope alerts --status pending`)";
      std::cout << "\n";
      all_delivered = all_delivered && total.failed == 0 && waiting == 0;
    }
    return all_delivered ? 0 : 1;
  });
}

int run_test(const AlertsOptions& o) {
  return run_command(1, [&] {
    AlertingSetup setup = chosen_sinks(o.config, o.sink);
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    AlertEvent event;
    event.target = "slowscope";
    event.kind = "test";
    // A key of its own each time, so that a test never touches a real incident.
    event.dedup_key = alert_dedup_key("slowscope", std::to_string(now), "test");
    event.severity = alert_severity_from_string(o.severity).value_or(AlertSeverity::kWarning);
    event.summary = "slowscope test alert: if you read this, alerts from slowscope reach you";
    event.details = {{"test", true}};
    event.at = now;
    bool all_delivered = true;
    for (const auto& sink : setup.sinks) {
      for (const AlertAction action : {AlertAction::kTrigger, AlertAction::kResolve}) {
        event.action = action;
        const SinkResult result = sink->deliver(event, now);
        const bool ok = result.verdict == DeliveryVerdict::kDelivered;
        std::cout << sink->name() << ": " << to_string(action) << " "
                  << (ok ? "delivered" : "FAILED") << ": " << terminal_safe(result.message, 300)
                  << "\n";
        all_delivered = all_delivered && ok;
      }
    }
    return all_delivered ? 0 : 1;
  });
}

void add_store_options(CLI::App* cmd, AlertsOptions& o) {
  cmd->add_option("--config", o.config, "Configuration file (sinks, store)")->capture_default_str();
  cmd->add_option("--store", o.store, "The store: sqlite:PATH or postgresql://...")
      ->type_name("URL");
}

}  // namespace

void add_alerts_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<AlertsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "alerts", "The alert outbox: what was queued for each sink and whether it was delivered");
  cmd->require_subcommand(0, 1);
  cmd->add_option("--status", o->status, "Which deliveries")
      ->check(CLI::IsMember({"pending", "delivered", "failed", "all"}))
      ->capture_default_str();
  cmd->add_option("--since", o->since,
                  "Events queued since then: a duration ago (24h, 7d) or a time")
      ->type_name("WHEN")
      ->capture_default_str();
  cmd->add_option("--sink", o->sink, "Deliveries to this sink only")->type_name("NAME");
  cmd->add_option("--limit", o->limit, "At most this many deliveries, newest first")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  add_store_options(cmd, *o);
  cmd->footer(
      "Alert events are queued in the store by `collect` (findings and collector health),\n"
      "`check --alert` and `report --alert`, and delivered by `collect`'s sender or by\n"
      "`slowscope alerts send`. Sinks are set in the configuration's `alerts:` section\n"
      "(docs/ALERTS.md).\n"
      "JSON: reports/json/schemas/outbox-1.schema.json (\"schema\": \"" +
      std::string(kOutboxSchemaId) +
      "\").\n"
      "Exit status: 0 listed, 1 store error, 2 bad arguments or configuration, or no store.");
  cmd->callback([cmd, o, exit_code] {
    if (cmd->get_subcommands().empty()) *exit_code = run_list(*o);
  });

  CLI::App* send = cmd->add_subcommand(
      "send", "Deliver the pending alert events that are due now, then exit (for one-shot jobs)");
  send->add_option("--sink", o->sink, "Deliver to this sink only")->type_name("NAME");
  add_store_options(send, *o);
  send->footer(
      "Each sink gets its due events in order per incident; a receiver that fails is retried\n"
      "later with backoff (a later `alerts send` or `collect`), one that refuses an event\n"
      "for good (HTTP 4xx) has it marked failed. Alertmanager is also sent the alerts still\n"
      "open, so that they keep firing.\n"
      "Exit status: 0 everything delivered, 1 some event failed or waits for a retry,\n"
      "2 bad arguments, configuration without `alerts:`, or no store.");
  send->callback([o, exit_code] { *exit_code = run_send(*o); });

  CLI::App* test = cmd->add_subcommand(
      "test", "Send a test trigger and its resolve to each sink and print each receiver's answer");
  test->add_option("--sink", o->sink, "Test this sink only")->type_name("NAME");
  test->add_option("--severity", o->severity, "The test alert's severity")
      ->check(CLI::IsMember({"info", "warning", "error", "critical"}))
      ->capture_default_str();
  test->add_option("--config", o->config, "Configuration file (sinks)")->capture_default_str();
  test->footer(
      "The test alert goes straight to the receivers, not through the outbox, under a dedup\n"
      "key of its own, and is resolved at once.\n"
      "Exit status: 0 every receiver acknowledged both, 1 one did not, 2 bad arguments or\n"
      "configuration.");
  test->callback([o, exit_code] { *exit_code = run_test(*o); });
}

}  // namespace slowscope
