#include "cli/check_command.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <optional>
#include <sstream>

#include "analyzer/config/setting_rules.h"
#include "analyzer/regression/release_check.h"
#include "analyzer/time/utc_time.h"
#include "app/alert_setup.h"
#include "app/finding_alerts.h"
#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "cli/metrics_option.h"
#include "cli/output_file.h"
#include "cli/rule_option.h"
#include "reports/html/check_html.h"
#include "reports/html/time_zone.h"
#include "reports/json/check_json.h"
#include "reports/text/digest_text.h"
#include "reports/text/finding_text.h"

namespace slowscope {
namespace {

struct CheckCommandOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  std::string release;
  std::chrono::seconds window{30 * 60};
  std::chrono::seconds baseline{7 * 24 * 3600};
  std::string format = "text";
  std::string output = "-";
  std::string html;
  std::string tz = "UTC";
  std::string fail_on = "warning";
  std::string baseline_mode = "previous";
  DetectionOptions detection;
  bool alert = false;
  std::string metrics_file;
};

std::string baseline_text(const CheckResult& r) {
  if (r.baseline_mode == BaselineMode::kPrevious) {
    return format_utc(r.baseline.front().from) + " .. " + format_utc(r.baseline.back().until);
  }
  return "the same hours of the " + std::to_string(r.baseline.size()) + " days before (" +
         format_utc(r.baseline.front().from) + " .. " + format_utc(r.baseline.back().until) + ")";
}

// Each finding's shape timeline from a little before the release (three post windows, at
// least an hour) to the end of the post window, per collection interval where kept.
html::CheckPageCharts check_charts(Store& store, const CheckResult& r) {
  html::CheckPageCharts charts;
  const auto length =
      std::max<std::chrono::seconds>(3 * (r.post_until - r.post_from), std::chrono::hours(1));
  charts.chart_from = r.release.at - length;
  for (const TargetCheck& t : r.targets) {
    for (const Finding& f : t.findings) {
      const auto shape = store.shape_by_hash(f.key.shape_hash);
      if (!shape) continue;
      charts.timelines[f.key.id()] =
          store.timeline({t.target, shape->id, charts.chart_from, r.post_until, true});
    }
  }
  return charts;
}

std::string to_text(const CheckResult& r, int code) {
  std::ostringstream out;
  out << "release " << terminal_safe(r.release.name, kMaxReleaseNameCharacters) << " at "
      << format_utc(r.release.at) << ": " << check_verdict(code) << "\n  baseline "
      << baseline_text(r) << ", after " << format_utc(r.post_from) << " .. "
      << format_utc(r.post_until) << "\n";
  AddedTimeOnce added_time;
  for (const TargetCheck& t : r.targets) {
    out << "\n" << t.target << ": ";
    if (!t.evaluated) {
      out << "not evaluated: " << t.reason << "\n";
      continue;
    }
    out << t.shapes_compared << " shapes compared, " << t.findings.size() << " regressed\n";
    for (const Finding& f : t.findings) write_finding_text(out, f, &added_time);
  }
  return out.str();
}

int run_check(const CheckCommandOptions& o, RunMetrics* metrics) {
  return run_command(3, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    const Severity fail_on = o.fail_on == "critical" ? Severity::kCritical : Severity::kWarning;
    CheckOptions options;
    options.window = o.window;
    options.baseline = o.baseline;
    options.baseline_mode = parse_baseline_mode(o.baseline_mode).value();  // CLI checked it
    if (options.baseline_mode == BaselineMode::kSameHours &&
        options.window > std::chrono::hours(24)) {
      throw UsageError("--baseline-mode same-hours needs a --window of at most 1d");
    }
    options.detection = o.detection;
    options.detection.share_latency_fdr_and_min_calls();

    if (!o.html.empty() && o.html == o.output && o.html != "-") {
      throw UsageError("--html and --output name the same file: " + o.html);
    }
    if (o.html == "-" && o.output == "-") {
      throw UsageError(
          "--html - needs --output to name a file: both cannot go to standard "
          "output");
    }
    const html::ReportZone zone(o.tz);
    if (location.kind == StoreLocation::Kind::kSqlite) {
      refuse_output_over_inputs(o.output, {location.address}, "store");
      if (!o.html.empty()) refuse_output_over_inputs(o.html, {location.address}, "store");
    }
    // Read before the check: a missing key file is a bad configuration, not a late surprise.
    std::optional<AlertingSetup> alerting;
    if (o.alert) alerting.emplace(alerting_setup(o.config));
    Store store = Store::open(location, StoreOpen::kMustExist);
    const auto release = store.release(o.release);
    if (!release) {
      throw UsageError("no release named '" + terminal_safe(o.release, 200) + "' in " +
                       store.describe() + "; record it with `slowscope release add`");
    }
    const CheckResult result = check_release(
        store, *release, options,
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
    const int code = result.exit_code(fail_on);
    if (metrics) metrics->check_findings(result);
    const std::string page =
        o.html.empty() ? ""
                       : html::render_check_html(result, code, check_charts(store, result), zone);
    write_output(o.output, o.format == "json" ? json_report_text(check_to_json(result, code))
                                              : to_text(result, code));
    if (!o.html.empty()) write_output(o.html, page);
    if (alerting) {
      const StoreTime now =
          std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
      size_t queued = 0;
      for (const TargetCheck& target : result.targets) {
        queued += queue_check_alerts(store, target.target, target.findings, release->name, now,
                                     alerting->routing);
      }
      spdlog::info("{} alert event(s) queued", queued);
      // Sent now; what a receiver did not take stays queued for `alerts send` or a
      // collector. The verdict stands either way.
      if (!deliver_due_now(store, *alerting)) {
        spdlog::warn("some alerts were not delivered; `slowscope alerts --status pending`");
      }
    }
    return code;
  });
}

}  // namespace

void add_check_command(CLI::App& app, int* exit_code) {
  auto c = std::make_shared<CheckCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Did a release make queries slower? A gate for CI after a deploy");
  cmd->add_option("--release", c->release, "The release to check (see `slowscope release add`)")
      ->required()
      ->type_name("NAME");
  add_rule_option(cmd, "--window", &c->window, read_span, "How long after the release to look",
                  "30m")
      ->type_name("DURATION");
  add_rule_option(cmd, "--baseline", &c->baseline, read_span,
                  "How long before the release to compare with", "7d")
      ->type_name("DURATION");
  cmd->add_option("--fail-on", c->fail_on, "Exit 1 for findings of this severity or worse")
      ->check(CLI::IsMember({"warning", "critical"}))
      ->capture_default_str();
  cmd->add_option("--baseline-mode", c->baseline_mode,
                  "previous: the --baseline before the release; same-hours: the window's hours "
                  "on each day of --baseline, to respect daily cycles")
      ->check(CLI::IsMember({"previous", "same-hours"}))
      ->capture_default_str();
  // The thresholds `collect`'s detection also takes from slowscope.yaml are read by the
  // file's rules (analyzer/config/setting_rules.h); the others by the same kinds of rule.
  DetectionOptions& d = c->detection;
  const auto positive_number = [](std::string_view text) {
    return read_number(text, 0, false, 1e6);
  };
  const auto at_least_zero = [](std::string_view text) { return read_number(text, 0, true, 1e9); };
  add_rule_option(cmd, "--min-ratio", &d.latency.min_ratio, read_min_ratio,
                  "Report only shapes this much slower: within the 95% upper confidence bound "
                  "of their ratio, and measured at least halfway there (from 1)",
                  number_text(d.latency.min_ratio))
      ->type_name("RATIO");
  add_rule_option(cmd, "--min-delta", &d.latency.min_delta, read_min_delta_seconds,
                  "...and this much slower per call (1ms, 0.5ms; a bare number is seconds), "
                  "judged the same way",
                  format_duration(std::llround(d.latency.min_delta * 1e6)))
      ->type_name("DURATION");
  add_rule_option(cmd, "--min-calls", &d.latency.min_calls, read_positive_int,
                  "Calls needed in each window (latency, surges; in the baseline for vanished)",
                  std::to_string(d.latency.min_calls))
      ->type_name("N");
  add_rule_option(cmd, "--fdr", &d.latency.fdr, read_fdr,
                  "False discovery rate across shapes, for every kind (above 0, below 1)",
                  number_text(d.latency.fdr))
      ->type_name("RATE");
  add_rule_option(cmd, "--surge-ratio", &d.call_surge.min_ratio, positive_number,
                  "Call surge: calls per call of the other shapes at least this many times more",
                  number_text(d.call_surge.min_ratio))
      ->type_name("RATIO");
  add_rule_option(cmd, "--rows-ratio", &d.rows_per_call.min_ratio, positive_number,
                  "Rows examined / blocks per call at least this many times more",
                  number_text(d.rows_per_call.min_ratio))
      ->type_name("RATIO");
  add_rule_option(cmd, "--rows-delta", &d.rows_per_call.min_delta, at_least_zero,
                  "...and at least this many more rows or blocks per call",
                  number_text(d.rows_per_call.min_delta))
      ->type_name("N");
  add_rule_option(cmd, "--new-share", &d.new_shape.min_share, read_share,
                  "New shape: at least this share of the database time after the release",
                  number_text(d.new_shape.min_share))
      ->type_name("SHARE");
  add_rule_option(cmd, "--new-min-calls", &d.new_shape.min_calls, read_positive_int,
                  "New shape: at least this many calls after the release",
                  std::to_string(d.new_shape.min_calls))
      ->type_name("N");
  add_rule_option(cmd, "--vanished-expected", &d.vanished.min_expected, at_least_zero,
                  "Vanished: at least this many calls expected after the release",
                  number_text(d.vanished.min_expected))
      ->type_name("N");
  add_rule_option(cmd, "--vanished-presence", &d.vanished.min_presence, read_share,
                  "Vanished: ran in at least this share of the baseline's intervals",
                  number_text(d.vanished.min_presence))
      ->type_name("SHARE");
  cmd->add_option("--format", c->format, "Report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", c->output, "Write the report here (replaced atomically)")
      ->type_name("PATH");
  cmd->add_option("--html", c->html,
                  "Also write the verdict as a self-contained HTML page here, each finding with "
                  "its evidence and a chart around the release (replaced atomically)")
      ->type_name("PATH");
  cmd->add_option("--tz", c->tz,
                  "Show the page's times in this IANA zone (Area/City, e.g. Europe/Berlin)")
      ->capture_default_str();
  cmd->add_flag("--alert", c->alert,
                "Also page the findings through the configuration's alert sinks: one event per "
                "incident (docs/ALERTS.md)");
  cmd->add_option("--config", c->config,
                  "Configuration file (for the store's location and, with --alert, the sinks)")
      ->capture_default_str();
  cmd->add_option("--store", c->store, "The store: sqlite:PATH or postgresql://...")
      ->type_name("URL");
  add_metrics_file_option(cmd, &c->metrics_file, "at its end, with the verdict");
  cmd->footer(
      "Compares each query shape's calls after the release (--window) with the span before\n"
      "it (--baseline): per-call latency (Welch's t-test, or p50/p95 exceedance tests on\n"
      "slow-log sketches), call surges per unit of work, rows or blocks per call, new shapes\n"
      "and vanished ones; Benjamini-Hochberg across shapes, and practical thresholds.\n"
      "Findings are ranked by the database time they add per hour (docs/REGRESSION.md).\n"
      "Exit status (stable, for pipelines):\n"
      "  0 no regression, 1 regression at or above --fail-on, 2 usage or configuration\n"
      "  error (also no store there, which check never creates, or an --output that is the\n"
      "  store's file), 3 could not evaluate (no samples since the release, or pruned past\n"
      "  the raw retention; no baseline; store error).");
  // A verdict (0 or 1) is a check that did its job, whatever it found.
  cmd->callback([c, exit_code] {
    *exit_code = run_with_metrics(
        "check", c->metrics_file, [&](RunMetrics* metrics) { return run_check(*c, metrics); },
        [](int status) { return status == 0 || status == 1; });
  });
}

}  // namespace slowscope
