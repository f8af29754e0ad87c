#include "cli/release_command.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "analyzer/time/utc_time.h"
#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "reports/json/release_json.h"
#include "reports/text/digest_text.h"
#include "reports/text/release_text.h"

namespace slowscope {
namespace {

struct ReleaseOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  // add
  std::string name;
  std::string at;
  std::vector<std::string> targets;
  std::vector<std::string> meta;
  // list
  std::string target;
  std::string since, from, until;
  std::string format = "text";
};

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_seconds(StoreTime t) {
  return format_utc(t.time_since_epoch().count() * 1'000'000);
}

int run_add(const ReleaseOptions& o) {
  return run_command(1, [&] {
    if (const auto problem = release_name_problem(o.name)) {
      throw UsageError(*problem + (o.name.empty() ? "" : ": '" + terminal_safe(o.name, 60) + "'"));
    }
    const StoreLocation location = resolve_store(o.store, o.config);
    Release release;
    release.name = o.name;
    const int64_t at_us = o.at.empty() ? now_us() : parse_time_argument(o.at, now_us());
    release.at = StoreTime(std::chrono::seconds(at_us / 1'000'000));
    release.targets = o.targets;
    for (const std::string& kv : o.meta) {
      const size_t eq = kv.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw UsageError("--meta takes KEY=VALUE, got '" + kv + "'");
      }
      release.meta[kv.substr(0, eq)] = kv.substr(eq + 1);
    }

    Store store = Store::open(location, StoreOpen::kMustExist);
    for (const std::string& t : release.targets) require_target(store, t);
    if (store.release(release.name)) {
      throw UsageError("release '" + terminal_safe(release.name, kMaxReleaseNameCharacters) +
                       "' is recorded already; `slowscope release list` shows it");
    }
    store.add_release(release);
    std::string scope = "every target";
    if (!release.targets.empty()) {
      scope.clear();
      for (const auto& t : release.targets) scope += (scope.empty() ? "" : ", ") + t;
    }
    std::cout << "recorded release " << terminal_safe(release.name, kMaxReleaseNameCharacters)
              << " at " << format_seconds(release.at) << " for " << scope << "\n";
    return 0;
  });
}

int run_list(const ReleaseOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    const TimeWindow window =
        resolve_window(o.since, o.from, o.until, "30d", std::chrono::system_clock::now());
    ReleaseQuery query;
    query.since = window.from;
    query.until = window.until;
    if (!o.target.empty()) query.target = o.target;

    Store store = Store::open(location, StoreOpen::kMustExist);
    const std::vector<Release> releases = store.releases(query);
    if (o.format == "json") {
      std::cout << json_report_text(release_list_to_json(releases, query.since, query.until));
    } else if (releases.empty()) {
      std::cout << "no releases from " << format_seconds(query.since) << " to "
                << format_seconds(query.until) << "\n";
    } else {
      write_releases_text(std::cout, releases);
    }
    return 0;
  });
}

}  // namespace

void add_release_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<ReleaseOptions>();
  CLI::App* cmd = app.add_subcommand(
      "release", "Record and list release markers: what `check` compares before and after");
  cmd->require_subcommand(1);
  cmd->footer(
      "Exit status: that of the subcommand (see `slowscope release add --help`, `slowscope\n"
      "release list --help`): 0 done, 1 store error, 2 bad arguments or configuration, no\n"
      "store there, or no subcommand.");

  CLI::App* add = cmd->add_subcommand("add", "Record a release (CI calls this at deploy time)");
  add->add_option("name", o->name,
                  "Release name, unique (e.g. a version or build id): at most 200 characters, "
                  "no control characters")
      ->required()
      ->type_name("NAME");
  add->add_option("--at", o->at, "When it went out (default: now); a time or a duration ago")
      ->type_name("TIME");
  add->add_option("--target", o->targets, "Targets it applies to (default: every target)")
      ->type_name("NAME...");
  add->add_option("--meta", o->meta, "Extra facts shown with it: KEY=VALUE (repeatable)")
      ->type_name("KEY=VALUE...");
  add_store_location_options(add, &o->config, &o->store);
  add->footer(
      "Example:\n"
      "  slowscope release add v2.4.1 --target orders --meta commit=$GIT_SHA\n"
      "The store must exist: `release add` never creates one (`collect` does).\n"
      "Exit status: 0 recorded, 1 store error, 2 bad arguments, no store there, unknown\n"
      "target, or the name is recorded already.");
  add->callback([o, exit_code] { *exit_code = run_add(*o); });

  CLI::App* list = cmd->add_subcommand("list", "List releases, oldest first");
  list->add_option("--target", o->target, "Releases of this target (and of every target)")
      ->type_name("NAME");
  add_window_options(list, &o->since, &o->from, &o->until);
  list->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  add_store_location_options(list, &o->config, &o->store);
  list->footer(
      "The range defaults to the last 30 days (--since 30d). JSON: {\"schema\":\n"
      "\"" +
      std::string(kReleasesSchemaId) +
      "\", \"releases\": [{\"name\", \"at\", \"targets\", \"meta\"}]}.\n"
      "Exit status: 0 listed, 1 store error, 2 bad arguments or configuration, or no store\n"
      "there (read commands never create one).");
  list->callback([o, exit_code] { *exit_code = run_list(*o); });
}

}  // namespace slowscope
