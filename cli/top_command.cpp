#include "cli/top_command.h"

#include <unistd.h>

#include <iostream>
#include <map>
#include <sstream>

#include "analyzer/config/setting_rules.h"
#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "cli/rule_option.h"
#include "reports/json/top_json.h"
#include "reports/text/top_text.h"

namespace slowscope {
namespace {

struct TopOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  std::string target;
  std::string since, from, until;
  std::string by = "total";
  int limit = 20;
  std::string format = "text";
  bool wide = false;
};

const std::map<std::string, TopOrder> kOrders = {{"total", TopOrder::kTotal},
                                                 {"mean", TopOrder::kMean},
                                                 {"calls", TopOrder::kCalls},
                                                 {"rows", TopOrder::kRows},
                                                 {"rows_examined", TopOrder::kRowsExamined},
                                                 {"io", TopOrder::kIo}};

int run_top(const TopOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    const TimeWindow window =
        resolve_window(o.since, o.from, o.until, "1h", std::chrono::system_clock::now());
    TopQuery query;
    query.since = window.from;
    query.until = window.until;
    query.order = kOrders.at(o.by);
    query.limit = o.limit;
    if (!o.target.empty()) query.target = o.target;

    Store store = Store::open(location, StoreOpen::kMustExist);
    if (query.target) require_target(store, *query.target);
    TopReport report;
    report.target = query.target;
    report.from = query.since;
    report.until = query.until;
    report.order = query.order;
    report.shapes = store.top(query);
    report.releases = store.releases({query.target, query.since, query.until});
    for (const TargetInfo& t : store.targets()) report.engines[t.name] = t.engine;
    std::ostringstream out;
    if (o.format == "json") {
      out << json_report_text(top_to_json(report));
    } else {
      // A terminal gets ids cut to its width; a pipe or a file, whole ids to act on.
      write_top_text(out, report, {.full_ids = o.wide || ::isatty(STDOUT_FILENO) == 0});
    }
    std::cout << out.str();
    return 0;
  });
}

}  // namespace

void add_top_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<TopOptions>();
  CLI::App* cmd = app.add_subcommand(
      "top", "The query shapes that cost most over a time range (from the store)");
  add_store_location_options(cmd, &o->config, &o->store);
  cmd->add_option("--target", o->target, "Only this target")->type_name("NAME");
  add_window_options(cmd, &o->since, &o->from, &o->until);
  cmd->add_option("--by", o->by,
                  "Rank by total time, mean time, calls, rows (returned or affected; MySQL: "
                  "sent or affected), rows_examined (MySQL) or io (PostgreSQL blocks)")
      ->check(CLI::IsMember({"total", "mean", "calls", "rows", "rows_examined", "io"}))
      ->capture_default_str();
  add_rule_option(cmd, "--limit", &o->limit, read_positive_int, "At most N shapes",
                  std::to_string(o->limit))
      ->type_name("N");
  cmd->add_option("--format", o->format, "Report format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--wide", o->wide,
                "Whole query ids on a terminal too (they are whole when the output is not a "
                "terminal)");
  cmd->footer(
      "The range defaults to the last hour (--since 1h). On a terminal, long query ids are\n"
      "cut to " +
      std::to_string(kShortQueryId) +
      " characters and marked \"...\": `slowscope show` takes such a start of an id.\n"
      "Columns follow the targets' engines: rows and I/O blocks for PostgreSQL, rows sent\n"
      "(or affected, by writes) and rows examined for MySQL.\n"
      "JSON follows reports/json/schemas/top-1.schema.json (\"schema\": \"" +
      std::string(kTopSchemaId) +
      "\");\n"
      "times in seconds.\n"
      "Exit status: 0 done, 1 store error, 2 bad arguments or configuration, or no store\n"
      "there (read commands never create one).");
  cmd->callback([o, exit_code] { *exit_code = run_top(*o); });
}

}  // namespace slowscope
