#include "cli/report_command.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "app/alert_setup.h"
#include "app/finding_alerts.h"
#include "app/report.h"
#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "cli/metrics_option.h"
#include "cli/output_file.h"
#include "reports/html/report_html.h"
#include "reports/html/time_zone.h"
#include "reports/json/report_json.h"

namespace slowscope {
namespace {

// The exit status when the period holds nothing to report.
constexpr int kNothingToReport = 3;

struct ReportOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  std::vector<std::string> targets;
  std::string since, from, until;
  std::string compare = "previous";
  std::string json;
  std::string html;
  std::string tz = "UTC";
  int limit = 20;
  bool examples = false;
  bool alert = false;
  std::string metrics_file;
};

ComparisonMode comparison_mode(const std::string& text) {
  if (text == "same-hours") return ComparisonMode::kSameHours;
  if (text == "none") return ComparisonMode::kNone;
  return ComparisonMode::kPrevious;
}

int run_report(const ReportOptions& o) {
  return run_command(1, [&] {
    if (o.json.empty() && o.html.empty()) {
      throw UsageError(
          "say where to write the report: --html PATH and/or --json PATH (- for "
          "standard output)");
    }
    if (o.json == "-" && o.html == "-") {
      throw UsageError("--html and --json cannot both go to standard output");
    }
    if (!o.json.empty() && o.json != "-" && o.json == o.html) {
      throw UsageError("--html and --json name the same file: " + o.json);
    }
    const html::ReportZone zone(o.tz);
    const StoreLocation location = resolve_store(o.store, o.config);
    if (location.kind == StoreLocation::Kind::kSqlite) {
      for (const std::string& output : {o.json, o.html}) {
        if (!output.empty()) refuse_output_over_inputs(output, {location.address}, "store");
      }
    }
    const auto now = std::chrono::system_clock::now();
    const TimeWindow window = resolve_window(o.since, o.from, o.until, "24h", now);
    std::optional<AlertingSetup> alerting;
    if (o.alert) alerting.emplace(alerting_setup(o.config));
    Store store = Store::open(location, StoreOpen::kMustExist);
    ReportRequest request;
    request.period = {window.from, window.until};
    request.comparison = comparison_mode(o.compare);
    request.targets = o.targets;
    request.detail_limit = o.limit;
    request.examples = o.examples;
    const ReportData report =
        build_report(store, request, std::chrono::time_point_cast<std::chrono::seconds>(now));
    if (const auto why = nothing_to_report(report)) {
      spdlog::error("nothing to report: {}", *why);
      return kNothingToReport;
    }
    // Both documents are made before either is written: a failure writes neither.
    const std::string json = o.json.empty() ? "" : json_report_text(report_to_json(report));
    const std::string page = o.html.empty() ? "" : html::render_report_html(report, zone);
    for (const auto& [path, content] : {std::pair{o.json, json}, std::pair{o.html, page}}) {
      if (path.empty()) continue;
      write_output(path, content);
      if (path != "-") spdlog::info("report written: {}", path);
    }
    if (alerting) {
      // The incidents of the findings open now, paged as a collector with alerts would page
      // them (and resolved once they close), under the same keys.
      std::vector<std::string> targets = o.targets;
      if (targets.empty()) {
        for (const TargetInfo& t : store.targets()) targets.push_back(t.name);
      }
      size_t queued = 0;
      for (const std::string& target : targets) {
        queued += sync_finding_alerts(store, target,
                                      std::chrono::time_point_cast<std::chrono::seconds>(now),
                                      alerting->routing);
      }
      spdlog::info("{} alert event(s) queued", queued);
      if (!deliver_due_now(store, *alerting)) {
        spdlog::warn("some alerts were not delivered; `slowscope alerts --status pending`");
      }
    }
    return 0;
  });
}

}  // namespace

void add_report_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "The report of a period (the last 24 hours by default) for people and machines");
  add_store_location_options(cmd, &o->config, &o->store);
  cmd->add_option("--target", o->targets, "Only these targets (default: all)")->type_name("NAME");
  add_window_options(cmd, &o->since, &o->from, &o->until);
  cmd->add_option("--compare", o->compare,
                  "Compare with the span just before (previous), the same hours whole days "
                  "before (same-hours), or nothing (none)")
      ->check(CLI::IsMember({"previous", "same-hours", "none"}))
      ->capture_default_str();
  cmd->add_option("--html", o->html,
                  "Write the HTML page here (- for standard output; replaced atomically)")
      ->type_name("PATH");
  cmd->add_option("--json", o->json,
                  "Write the JSON document here (- for standard output; replaced atomically)")
      ->type_name("PATH");
  cmd->add_option("--tz", o->tz,
                  "Show the page's times in this IANA zone (Area/City, e.g. Europe/Berlin)")
      ->capture_default_str();
  cmd->add_option("--limit", o->limit,
                  "Shapes shown in detail: the top N by database time, and every shape with a "
                  "finding")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cmd->add_flag("--alert", o->alert,
                "Also page the open findings' incidents through the configuration's alert sinks, "
                "and resolve those that closed (docs/ALERTS.md)");
  cmd->add_flag("--examples", o->examples,
                "Include a literal statement of each detailed shape where the target keeps "
                "them (`examples: true`); they can hold personal data");
  add_metrics_file_option(cmd, &o->metrics_file, "at its end");
  cmd->footer(
      "The period defaults to the last 24 hours (--since 24h), compared with the 24 hours\n"
      "before. Both files come from one read of the store and say the same things. The page\n"
      "is one self-contained file (no network, readable without JavaScript).\n"
      "JSON: \"schema\": \"" +
      std::string(kReportSchemaId) +
      "\" (reports/json/schemas/report-1.schema.json).\n"
      "Exit status: 0 written, 1 store error, 2 bad arguments or configuration, or no store\n"
      "there (read commands never create one), 3 nothing to report (no samples in the period;\n"
      "the message says why).");
  cmd->callback([o, exit_code] {
    *exit_code = run_with_metrics(
        "report", o->metrics_file, [&](RunMetrics*) { return run_report(*o); },
        [](int status) { return status == 0; });
  });
}

}  // namespace slowscope
