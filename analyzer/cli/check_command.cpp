#include "analyzer/cli/check_command.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <sstream>

#include "analyzer/cli/history_options.h"
#include "analyzer/cli/json_output.h"
#include "analyzer/cli/output_file.h"
#include "analyzer/regression/release_check.h"
#include "analyzer/time/utc_time.h"

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
  LatencyThresholds latency;
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

std::string format_ms(double seconds) {
  std::ostringstream out;
  out.precision(3);
  out << seconds * 1000 << " ms";
  return out.str();
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
  doc["baseline"] = {{"from", utc(r.baseline_from)}, {"until", utc(r.baseline_until)}};
  doc["post"] = {{"from", utc(r.post_from)}, {"until", utc(r.post_until)}};
  doc["targets"] = nlohmann::ordered_json::array();
  for (const TargetCheck& t : r.targets) {
    nlohmann::ordered_json target{
        {"target", t.target}, {"evaluated", t.evaluated}, {"shapes_compared", t.shapes_compared}};
    if (!t.evaluated) target["reason"] = t.reason;
    target["findings"] = nlohmann::ordered_json::array();
    for (const Finding& f : t.findings) {
      target["findings"].push_back({{"id", f.key.id()},
                                    {"kind", to_string(f.key.kind)},
                                    {"severity", to_string(f.severity)},
                                    {"query_id", f.key.shape_hash},
                                    {"fingerprint", f.fingerprint},
                                    {"before_mean", f.before_mean},
                                    {"after_mean", f.after_mean},
                                    {"ratio", f.ratio},
                                    {"before_calls", f.before_calls},
                                    {"after_calls", f.after_calls},
                                    {"p_value", f.p_value},
                                    {"q_value", f.q_value},
                                    {"added_seconds_per_hour", f.added_seconds_per_hour}});
    }
    doc["targets"].push_back(std::move(target));
  }
  return doc;
}

std::string to_text(const CheckResult& r, int code) {
  std::ostringstream out;
  out << "release " << r.release.name << " at " << utc(r.release.at) << ": " << verdict(code)
      << "\n  baseline " << utc(r.baseline_from) << " .. " << utc(r.baseline_until) << ", after "
      << utc(r.post_from) << " .. " << utc(r.post_until) << "\n";
  for (const TargetCheck& t : r.targets) {
    out << "\n" << t.target << ": ";
    if (!t.evaluated) {
      out << "not evaluated: " << t.reason << "\n";
      continue;
    }
    out << t.shapes_compared << " shapes compared, " << t.findings.size() << " regressed\n";
    for (const Finding& f : t.findings) {
      out << "  " << to_string(f.severity) << "  " << to_string(f.key.kind) << "  "
          << f.key.shape_hash << "  " << format_ms(f.before_mean) << " -> "
          << format_ms(f.after_mean) << " per call (x";
      out.precision(2);
      out << std::fixed << f.ratio << "), +" << f.added_seconds_per_hour
          << " s/h of database time, q=" << std::scientific << f.q_value << std::defaultfloat
          << "\n    " << f.fingerprint << "\n";
    }
  }
  return out.str();
}

int run_check(const CheckCommandOptions& o) {
  StoreLocation location;
  CheckOptions options;
  Severity fail_on = o.fail_on == "critical" ? Severity::kCritical : Severity::kWarning;
  try {
    location = resolve_store(o.store, o.config);
    options.window = duration_option(o.window, "--window");
    options.baseline = duration_option(o.baseline, "--baseline");
    options.detection.latency = o.latency;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 2;
  }
  try {
    Store store = Store::open(location);
    const auto release = store.release(o.release);
    if (!release) {
      spdlog::error("no release named '{}' in {}; record it with `slowscope release add`",
                    o.release, store.describe());
      return 2;
    }
    const CheckResult result = check_release(
        store, *release, options,
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
    const int code = result.exit_code(fail_on);
    write_output(o.output, o.format == "json" ? json_report_text(to_json(result, code))
                                              : to_text(result, code));
    return code;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 3;
  }
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
  cmd->add_option("--min-ratio", c->latency.min_ratio, "Report only shapes this much slower")
      ->capture_default_str();
  cmd->add_option("--min-delta", c->latency.min_delta,
                  "...and at least this many seconds slower per call")
      ->capture_default_str();
  cmd->add_option("--min-calls", c->latency.min_calls, "Calls needed in each window")
      ->capture_default_str();
  cmd->add_option("--fdr", c->latency.fdr, "False discovery rate across shapes")
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
      "it (--baseline): Welch's t-test on per-call latency, Benjamini-Hochberg across shapes,\n"
      "and practical thresholds. Findings are ranked by the database time they add per hour.\n"
      "Exit status (stable, for pipelines):\n"
      "  0 no regression, 1 regression at or above --fail-on, 2 usage or configuration\n"
      "  error, 3 could not evaluate (no samples since the release, no baseline, store error).");
  cmd->callback([c, exit_code] { *exit_code = run_check(*c); });
}

}  // namespace slowscope
