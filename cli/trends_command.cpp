#include "cli/trends_command.h"

#include <sstream>

#include "analyzer/config/setting_rules.h"
#include "analyzer/regression/daily_series.h"
#include "analyzer/time/utc_time.h"
#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "cli/output_file.h"
#include "cli/rule_option.h"
#include "reports/json/trends_json.h"
#include "reports/text/finding_text.h"

namespace slowscope {
namespace {

struct TrendsOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  std::vector<std::string> targets;
  int days = 14;
  std::string format = "text";
  std::string output = "-";
  std::string fail_on = "warning";
  TrendThresholds thresholds;
};

int exit_code(const std::vector<TargetTrends>& report, Severity fail_on) {
  for (const TargetTrends& t : report) {
    for (const Finding& f : t.findings) {
      if (f.severity >= fail_on) return 1;
    }
  }
  return 0;
}

std::string to_text(const std::vector<TargetTrends>& report, StoreTime from, StoreTime until) {
  std::ostringstream out;
  out << "daily trends " << format_utc(from) << " .. " << format_utc(until) << "\n";
  AddedTimeOnce added_time;
  for (const TargetTrends& t : report) {
    out << "\n"
        << t.target << ": " << t.shapes_tested << " shapes with daily history, "
        << t.findings.size() << " trending slower\n";
    for (const Finding& f : t.findings) write_finding_text(out, f, &added_time);
  }
  return out.str();
}

int run_trends(const TrendsOptions& o) {
  return run_command(3, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    if (location.kind == StoreLocation::Kind::kSqlite) {
      refuse_output_over_inputs(o.output, {location.address}, "store");
    }
    Store store = Store::open(location, StoreOpen::kMustExist);
    std::vector<std::string> targets = o.targets;
    for (const std::string& name : targets) require_target(store, name);
    if (targets.empty()) {
      for (const TargetInfo& t : store.targets()) targets.push_back(t.name);
    }
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    std::vector<TargetTrends> report;
    for (const std::string& name : targets) {
      const auto series = read_daily_series(store, name, now, o.days);
      report.push_back(
          {name, static_cast<int>(series.size()), detect_latency_trends(series, o.thresholds)});
    }
    const auto [from, until] = daily_series_span(now, o.days);
    const Severity fail_on = o.fail_on == "critical" ? Severity::kCritical : Severity::kWarning;
    const int code = exit_code(report, fail_on);
    write_output(o.output, o.format == "json"
                               ? json_report_text(trends_to_json(report, from, until, code))
                               : to_text(report, from, until));
    return code;
  });
}

}  // namespace

void add_trends_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<TrendsOptions>();
  CLI::App* cmd =
      app.add_subcommand("trends", "Which query shapes have been getting slower day after day?");
  cmd->add_option("--target", o->targets, "Only these targets (default: all)")->type_name("NAME");
  cmd->add_option("--days", o->days, "How many whole days before today to look at")
      ->check(CLI::Range(3, 3650))
      ->capture_default_str();
  // Read by the rules of slowscope.yaml's detection settings (setting_rules.h).
  TrendThresholds& t = o->thresholds;
  add_rule_option(
      cmd, "--min-daily-rise", &t.min_daily_rise,
      [](std::string_view text) { return read_number(text, 0, true, 1e6); },
      "Report only shapes getting at least this much slower per day (0.02 = 2%)",
      number_text(t.min_daily_rise))
      ->type_name("SHARE");
  add_rule_option(cmd, "--min-ratio", &t.min_total_ratio, read_min_ratio,
                  "...and at least this much slower over the days looked at (from 1)",
                  number_text(t.min_total_ratio))
      ->type_name("RATIO");
  add_rule_option(cmd, "--min-calls-per-day", &t.min_calls_per_day, read_positive_int,
                  "Days with fewer calls are left out of a shape's series",
                  std::to_string(t.min_calls_per_day))
      ->type_name("N");
  cmd->add_option("--min-days", o->thresholds.min_days,
                  "Days with enough calls a shape needs to be tested")
      ->check(CLI::Range(3, 3650))
      ->capture_default_str();
  add_rule_option(cmd, "--fdr", &t.fdr, read_fdr,
                  "False discovery rate across shapes (above 0, below 1)", number_text(t.fdr))
      ->type_name("RATE");
  cmd->add_option("--fail-on", o->fail_on, "Exit 1 for trends of this severity or worse")
      ->check(CLI::IsMember({"warning", "critical"}))
      ->capture_default_str();
  cmd->add_option("--format", o->format, "Report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", o->output, "Write the report here (replaced atomically)")
      ->type_name("PATH");
  add_store_location_options(cmd, &o->config, &o->store);
  cmd->footer(
      "Takes each query shape's mean latency per day over the last --days whole days (today\n"
      "is not complete and left out), tests it for a rising trend with Mann-Kendall\n"
      "(Benjamini-Hochberg across shapes) and sizes the rise with the Theil-Sen slope. A\n"
      "shape is reported when the trend is significant and at least --min-daily-rise per day\n"
      "and --min-ratio over the span; critical when it doubled. Ranked by the database time\n"
      "the rise adds per hour at the last day's call rate.\n"
      "Exit status: 0 nothing trending slower, 1 a trend at or above --fail-on, 2 usage or\n"
      "configuration error or no store there (trends never creates one), 3 could not\n"
      "evaluate (store error).");
  cmd->callback([o, exit_code] { *exit_code = run_trends(*o); });
}

}  // namespace slowscope
