#include "cli/show_command.h"

#include <iostream>
#include <sstream>

#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "cli/query_id_argument.h"
#include "reports/json/show_json.h"
#include "reports/text/top_text.h"

namespace slowscope {
namespace {

struct ShowOptions {
  std::string query_id;
  std::string config = kDefaultConfigPath;
  std::string store;
  std::string target;
  std::string since, from, until;
  std::string format = "text";
  bool examples = false;
};

int run_show(const ShowOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    const TimeWindow window =
        resolve_window(o.since, o.from, o.until, "24h", std::chrono::system_clock::now());
    Store store = Store::open(location, StoreOpen::kMustExist);
    if (!o.target.empty()) require_target(store, o.target);
    ShowReport report;
    report.from = window.from;
    report.until = window.until;
    report.examples = o.examples;
    // The shape by its id, then its own timeline per target: the totals are the sum of the
    // timeline's buckets, so no other shape is read.
    report.shape = resolve_query_id(store, o.query_id);
    for (const TargetInfo& t : store.targets()) {
      if (!o.target.empty() && t.name != o.target) continue;
      ShapeOnTarget on;
      on.target = t.name;
      on.engine = t.engine;
      // Per collection interval wherever kept: fresh data shows as its minutes, not as
      // the one hour holding them.
      on.timeline = store.timeline({t.name, report.shape.id, window.from, window.until,
                                    /*raw_where_kept=*/true});
      if (on.timeline.empty()) continue;
      for (const TimelinePoint& point : on.timeline) on.totals += point.measures;
      on.statements = store.statements_of_shape(t.name, report.shape.id);
      report.targets.push_back(std::move(on));
    }
    if (report.targets.empty()) {
      throw std::runtime_error("no samples of query " + report.shape.info.hash + " " +
                               (o.target.empty() ? "" : "on target " + o.target + " ") +
                               "in this range; try a longer --since");
    }
    report.releases =
        store.releases({o.target.empty() ? std::nullopt : std::optional<std::string>(o.target),
                        window.from, window.until});
    std::ostringstream out;
    if (o.format == "json") {
      out << json_report_text(show_to_json(report));
    } else {
      write_show_text(out, report);
    }
    std::cout << out.str();
    return 0;
  });
}

}  // namespace

void add_show_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand(
      "show",
      "One query shape: its statistics, per-interval timeline, tables (and with --examples, "
      "its statements' texts)");
  cmd->add_option("query_id", o->query_id,
                  "The shape's query id as `slowscope top` lists it: whole or a unique start of "
                  "at least 8 characters, any case; pt-query-digest's 0x forms too")
      ->required()
      ->type_name("QUERY_ID");
  add_store_location_options(cmd, &o->config, &o->store);
  cmd->add_option("--target", o->target, "Only this target")->type_name("NAME");
  add_window_options(cmd, &o->since, &o->from, &o->until);
  cmd->add_flag("--examples", o->examples,
                "Also show the text stored with each statement, which can hold literal values "
                "(personal data); without it only the shape's fingerprint is shown");
  cmd->add_option("--format", o->format, "Report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->footer(
      "The range defaults to the last 24 hours. JSON: \"schema\": \"" + std::string(kShowSchemaId) +
      "\"; each\n"
      "statement's \"query\" only with --examples.\n"
      "The store keeps literal examples of statements only for targets configured with\n"
      "`examples: true`.\n"
      "Exit status: 0 done; 1 no samples of the shape in the range, or a store error; 2 bad\n"
      "arguments or configuration, no store there, a query id the store does not know or\n"
      "that names several shapes, or an unknown --target.");
  cmd->callback([o, exit_code] { *exit_code = run_show(*o); });
}

}  // namespace slowscope
