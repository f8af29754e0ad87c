#include "cli/findings_command.h"

#include <iostream>
#include <sstream>

#include "analyzer/regression/finding_tracker.h"
#include "analyzer/time/utc_time.h"
#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "reports/json/findings_json.h"
#include "reports/text/digest_text.h"
#include "reports/text/finding_text.h"

namespace slowscope {
namespace {

struct FindingsOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  std::string target;
  std::string status = "open";
  std::string since;
  std::string format = "text";
};

std::string to_text(const std::vector<FindingRecord>& findings) {
  if (findings.empty()) return "no findings\n";
  std::ostringstream out;
  // Open findings are of the same moment: a shape's added time is shown once among them.
  // Resolved ones each keep theirs, from their own time.
  AddedTimeOnce open_added_time;
  for (const FindingRecord& f : findings) {
    out << to_string(f.status) << "  " << f.severity << "  " << f.id() << "\n    opened "
        << format_utc(f.opened_at) << ", last seen " << format_utc(f.last_seen_at);
    if (f.resolved_at) out << ", resolved " << format_utc(*f.resolved_at);
    if (f.reopen_count > 0) out << ", reopened " << f.reopen_count << "x";
    if (!f.release.empty()) out << ", after release " << terminal_safe(f.release, 80);
    if (const std::optional<Finding> finding = finding_of_record(f)) {
      out << "\n    "
          << (f.status == FindingStatus::kOpen ? open_added_time.evidence(*finding)
                                               : finding_evidence_text(*finding));
    }
    out << "\n    " << terminal_safe(f.fingerprint, 200) << "\n";
  }
  return out.str();
}

int run_findings(const FindingsOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    FindingQuery query;
    if (!o.target.empty()) query.target = o.target;
    if (o.status != "all") {
      query.status = o.status == "resolved" ? FindingStatus::kResolved : FindingStatus::kOpen;
    }
    if (!o.since.empty()) {
      query.active_since =
          resolve_window(o.since, "", "", "", std::chrono::system_clock::now()).from;
    }
    Store store = Store::open(location, StoreOpen::kMustExist);
    if (query.target) require_target(store, *query.target);
    const std::vector<FindingRecord> findings = store.findings(query);
    std::cout << (o.format == "json" ? json_report_text(findings_to_json(findings, query))
                                     : to_text(findings));
    return 0;
  });
}

}  // namespace

void add_findings_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<FindingsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "findings", "List the regressions `collect` found, open and resolved, with their evidence");
  cmd->add_option("--target", o->target, "Findings of this target only")->type_name("NAME");
  cmd->add_option("--status", o->status, "Which findings")
      ->check(CLI::IsMember({"open", "resolved", "all"}))
      ->capture_default_str();
  cmd->add_option("--since", o->since,
                  "Only findings open at some point since then: a duration ago (24h, 7d) or a "
                  "time")
      ->type_name("WHEN");
  cmd->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  add_store_location_options(cmd, &o->config, &o->store);
  cmd->footer(
      "A finding opens when detection after a collect cycle first finds it, and resolves after\n"
      "detection.resolve_after evaluations in a row without it (see docs/REGRESSION.md).\n"
      "JSON: reports/json/schemas/findings-1.schema.json (\"schema\": \"" +
      std::string(kFindingsSchemaId) +
      "\").\n"
      "Exit status: 0 listed, 1 store error, 2 bad arguments or configuration, or no store\n"
      "there (read commands never create one).");
  cmd->callback([o, exit_code] { *exit_code = run_findings(*o); });
}

}  // namespace slowscope
