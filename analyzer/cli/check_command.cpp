#include "analyzer/cli/check_command.h"

#include <cmath>
#include <sstream>

#include "analyzer/cli/command_errors.h"
#include "analyzer/cli/history_options.h"
#include "analyzer/cli/json_output.h"
#include "analyzer/cli/output_file.h"
#include "analyzer/regression/release_check.h"
#include "analyzer/time/utc_time.h"
#include "reports/json/finding_json.h"
#include "reports/text/finding_text.h"

namespace slowscope {
namespace {

struct CheckCommandOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  std::string release;
  std::string window = "30m";
  std::string baseline = "7d";
  std::string format = "text";
  std::string output = "-";
  std::string fail_on = "warning";
  std::string baseline_mode = "previous";
  DetectionOptions detection;
};

std::string utc(StoreTime t) {
  return format_utc(t.time_since_epoch().count() * 1'000'000);
}

std::chrono::seconds duration_option(const std::string& text, const std::string& option) {
  const auto us = parse_duration(text);
  if (!us || *us < 1'000'000) {
    throw std::invalid_argument(option + " takes a duration of at least 1s (e.g. 30m, 7d)");
  }
  return std::chrono::seconds(*us / 1'000'000);
}

std::string verdict(int code) {
  switch (code) {
    case 0:
      return "no regression";
    case 1:
      return "regression";
    default:
      return "could not evaluate";
  }
}

nlohmann::ordered_json to_json(const CheckResult& r, int code) {
  nlohmann::ordered_json doc;
  doc["schema"] = "slowscope.check/1";
  doc["verdict"] = verdict(code);
  doc["exit_code"] = code;
  doc["release"] = {{"name", r.release.name}, {"at", utc(r.release.at)}};
  doc["baseline"] = {{"from", utc(r.baseline.front().from)},
                     {"until", utc(r.baseline.back().until)},
                     {"mode", to_string(r.baseline_mode)},
                     {"spans", nlohmann::ordered_json::array()}};
  for (const TimeSpan& span : r.baseline) {
    doc["baseline"]["spans"].push_back({{"from", utc(span.from)}, {"until", utc(span.until)}});
  }
  doc["post"] = {{"from", utc(r.post_from)}, {"until", utc(r.post_until)}};
  doc["targets"] = nlohmann::ordered_json::array();
  for (const TargetCheck& t : r.targets) {
    nlohmann::ordered_json target{
        {"target", t.target}, {"evaluated", t.evaluated}, {"shapes_compared", t.shapes_compared}};
    if (!t.evaluated) target["reason"] = t.reason;
    target["findings"] = nlohmann::ordered_json::array();
    for (const Finding& f : t.findings) {
      target["findings"].push_back(finding_to_json(f));
    }
    doc["targets"].push_back(std::move(target));
  }
  return doc;
}

std::string baseline_text(const CheckResult& r) {
  if (r.baseline_mode == BaselineMode::kPrevious) {
    return utc(r.baseline.front().from) + " .. " + utc(r.baseline.back().until);
  }
  return "the same hours of the " + std::to_string(r.baseline.size()) + " days before (" +
         utc(r.baseline.front().from) + " .. " + utc(r.baseline.back().until) + ")";
}

std::string to_text(const CheckResult& r, int code) {
  std::ostringstream out;
  out << "release " << r.release.name << " at " << utc(r.release.at) << ": " << verdict(code)
      << "\n  baseline " << baseline_text(r) << ", after " << utc(r.post_from) << " .. "
      << utc(r.post_until) << "\n";
  for (const TargetCheck& t : r.targets) {
    out << "\n" << t.target << ": ";
    if (!t.evaluated) {
      out << "not evaluated: " << t.reason << "\n";
      continue;
    }
    out << t.shapes_compared << " shapes compared, " << t.findings.size() << " regressed\n";
    for (const Finding& f : t.findings) write_finding_text(out, f);
  }
  return out.str();
}

int run_check(const CheckCommandOptions& o) {
  return run_command(3, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    const Severity fail_on = o.fail_on == "critical" ? Severity::kCritical : Severity::kWarning;
    CheckOptions options;
    options.window = duration_option(o.window, "--window");
    options.baseline = duration_option(o.baseline, "--baseline");
    options.baseline_mode = parse_baseline_mode(o.baseline_mode).value();  // CLI checked it
    if (options.baseline_mode == BaselineMode::kSameHours &&
        options.window > std::chrono::hours(24)) {
      throw UsageError("--baseline-mode same-hours needs a --window of at most 1d");
    }
    options.detection = o.detection;
    options.detection.share_latency_fdr_and_min_calls();

    if (location.kind == StoreLocation::Kind::kSqlite) {
      refuse_output_over_inputs(o.output, {location.address}, "store");
    }
    Store store = Store::open(location, StoreOpen::kMustExist);
    const auto release = store.release(o.release);
    if (!release) {
      throw UsageError("no release named '" + o.release + "' in " + store.describe() +
                       "; record it with `slowscope release add`");
    }
    const CheckResult result = check_release(
        store, *release, options,
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
    const int code = result.exit_code(fail_on);
    write_output(o.output, o.format == "json" ? json_report_text(to_json(result, code))
                                              : to_text(result, code));
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
  cmd->add_option("--window", c->window, "How long after the release to look")
      ->capture_default_str()
      ->type_name("DURATION");
  cmd->add_option("--baseline", c->baseline, "How long before the release to compare with")
      ->capture_default_str()
      ->type_name("DURATION");
  cmd->add_option("--fail-on", c->fail_on, "Exit 1 for findings of this severity or worse")
      ->check(CLI::IsMember({"warning", "critical"}))
      ->capture_default_str();
  cmd->add_option("--baseline-mode", c->baseline_mode,
                  "previous: the --baseline before the release; same-hours: the window's hours "
                  "on each day of --baseline, to respect daily cycles")
      ->check(CLI::IsMember({"previous", "same-hours"}))
      ->capture_default_str();
  DetectionOptions& d = c->detection;
  cmd->add_option("--min-ratio", d.latency.min_ratio,
                  "Report only shapes this much slower: within the 95% upper confidence bound "
                  "of their ratio, and measured at least halfway there")
      ->capture_default_str();
  cmd->add_option("--min-delta", d.latency.min_delta,
                  "...and this many seconds slower per call, judged the same way")
      ->capture_default_str();
  cmd->add_option("--min-calls", d.latency.min_calls,
                  "Calls needed in each window (latency, surges; in the baseline for vanished)")
      ->capture_default_str();
  cmd->add_option("--fdr", d.latency.fdr, "False discovery rate across shapes, for every kind")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--surge-ratio", d.call_surge.min_ratio,
                  "Call surge: calls per call of the other shapes at least this many times more")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--rows-ratio", d.rows_per_call.min_ratio,
                  "Rows examined / blocks per call at least this many times more")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--rows-delta", d.rows_per_call.min_delta,
                  "...and at least this many more rows or blocks per call")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--new-share", d.new_shape.min_share,
                  "New shape: at least this share of the database time after the release")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--new-min-calls", d.new_shape.min_calls,
                  "New shape: at least this many calls after the release")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--vanished-expected", d.vanished.min_expected,
                  "Vanished: at least this many calls expected after the release")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--vanished-presence", d.vanished.min_presence,
                  "Vanished: ran in at least this share of the baseline's intervals")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--format", c->format, "Report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--output,-o", c->output, "Write the report here (replaced atomically)")
      ->type_name("PATH");
  cmd->add_option("--config", c->config, "Configuration file (for the store's location)")
      ->capture_default_str();
  cmd->add_option("--store", c->store, "The store: sqlite:PATH or postgresql://...")
      ->type_name("URL");
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
  cmd->callback([c, exit_code] { *exit_code = run_check(*c); });
}

}  // namespace slowscope
