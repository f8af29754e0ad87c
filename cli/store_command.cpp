#include "cli/store_command.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "analyzer/time/utc_time.h"
#include "cli/command_errors.h"
#include "cli/history_options.h"
#include "cli/json_output.h"
#include "reports/file_replace.h"
#include "reports/json/store_stats_json.h"
#include "reports/text/units.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;

struct StoreOptions {
  std::string config = kDefaultConfigPath;
  std::string store;
  std::string format = "text";  // stats
  std::string path;             // backup
  bool config_given = false;    // prune: --config was on the command line
};

std::string bytes_text(int64_t bytes) {
  return format_bytes(static_cast<double>(bytes));
}

std::string time_or_blank(const std::optional<StoreTime>& t) {
  return t ? format_utc(*t) : "";
}

// The stats as a table; sizes per table only for PostgreSQL, which has them.
std::string stats_text(const StoreStats& stats, bool postgres) {
  std::ostringstream out;
  out << "store " << stats.location << ", schema version " << stats.schema_version << "\n"
      << "size " << bytes_text(stats.bytes)
      << (postgres ? " (its tables with their indexes)" : " (the file and its write-ahead log)");
  if (stats.free_bytes > 0) {
    out << ", " << bytes_text(stats.free_bytes)
        << " of it free pages (`slowscope store vacuum` gives them back)";
  }
  out << "\n\n";
  size_t name_width = 5;
  size_t rows_width = 4;
  for (const StoreTableStats& t : stats.tables) {
    name_width = std::max(name_width, t.name.size());
    rows_width = std::max(rows_width, std::to_string(t.rows).size());
  }
  constexpr int kTimeWidth = 20;  // 2024-03-01T12:00:00Z
  out << std::left << std::setw(static_cast<int>(name_width)) << "table"
      << "  " << std::right << std::setw(static_cast<int>(rows_width)) << "rows";
  if (postgres) out << "  " << std::setw(8) << "size";
  out << "  " << std::left << std::setw(kTimeWidth) << "oldest"
      << "  newest\n";
  for (const StoreTableStats& t : stats.tables) {
    std::ostringstream line;
    line << std::left << std::setw(static_cast<int>(name_width)) << t.name << "  " << std::right
         << std::setw(static_cast<int>(rows_width)) << t.rows;
    if (postgres) line << "  " << std::setw(8) << (t.bytes ? bytes_text(*t.bytes) : "");
    line << "  " << std::left << std::setw(kTimeWidth) << time_or_blank(t.oldest) << "  "
         << time_or_blank(t.newest);
    std::string text = line.str();
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << "\n";
  }
  return out.str();
}

int run_stats(const StoreOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    Store store = Store::open(location, StoreOpen::kMustExist);
    const StoreStats stats = store.stats();
    std::cout << (o.format == "json"
                      ? json_report_text(store_stats_to_json(stats))
                      : stats_text(stats, location.kind == StoreLocation::Kind::kPostgres));
    return 0;
  });
}

std::string retention_text(std::chrono::seconds span) {
  return format_duration(span.count() * 1'000'000);
}

int run_prune(const StoreOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    // The configuration's retention, unless the store alone was named: then the defaults,
    // rather than those of whatever ./slowscope.yaml is around.
    Retention retention;
    std::string source = "the defaults: --store without --config";
    if (o.store.empty() || o.config_given) {
      retention = load_config(o.config).retention;
      source = "from " + o.config;
    }
    Store store = Store::open(location, StoreOpen::kMustExist);
    const StoreTime now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const RollupReport report = store.rollup_and_prune(now, retention);
    const auto cut = [&](std::chrono::seconds kept) { return format_utc(now - kept); };
    std::cout << "retention (" << source << "): raw " << retention_text(retention.raw)
              << ", hourly " << retention_text(retention.hourly) << ", daily "
              << retention_text(retention.daily) << "\n"
              << "rolled up " << report.days_rolled << (report.days_rolled == 1 ? " day" : " days")
              << " over " << report.targets << (report.targets == 1 ? " target" : " targets")
              << " into daily rows\n"
              << "dropped raw samples before " << cut(retention.raw) << "\n"
              << "dropped hourly rows before " << cut(retention.hourly)
              << ", but none of a day not rolled up yet\n"
              << "dropped daily rows, collector events and settled alert events before "
              << cut(retention.daily) << "\n";
    if (location.kind == StoreLocation::Kind::kSqlite) {
      std::cout << "pruned rows leave free pages in the file: `slowscope store vacuum` gives "
                   "them back\n";
    }
    return 0;
  });
}

int run_vacuum(const StoreOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    Store store = Store::open(location, StoreOpen::kMustExist);
    if (location.kind == StoreLocation::Kind::kPostgres) {
      store.vacuum();
      std::cout << "vacuumed and analyzed the tables of " << store.describe()
                << " (PostgreSQL keeps their free space for new rows)\n";
      return 0;
    }
    const StoreStats before = store.stats();
    store.vacuum();
    const StoreStats after = store.stats();
    std::cout << "vacuumed " << store.describe() << ": " << bytes_text(before.bytes) << " before ("
              << bytes_text(before.free_bytes) << " free), " << bytes_text(after.bytes)
              << " after (" << bytes_text(after.free_bytes) << " free)\n";
    return 0;
  });
}

// Refuses a backup PATH that cannot be one: standard output, a folder that does not exist,
// a directory or special file, or a file of the SQLite store itself (its database, log or
// shared-memory file, which the rename would replace under `collect`).
void check_backup_path(const std::string& path, const StoreLocation& location) {
  if (path == "-") throw UsageError("store backup writes a file, not standard output: give a PATH");
  std::error_code ec;
  const fs::path file(path);
  const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) {
    throw UsageError(std::string("cannot back up to ") + path + ": its folder " + folder.string() +
                     " does not exist");
  }
  const fs::file_status status = fs::status(file, ec);
  if (fs::is_directory(status)) {
    throw UsageError(path + std::string(" is a directory: give the backup file's path, e.g. ") +
                     (file / "slowscope-$(date +%F).db").string());
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {
    throw UsageError(path + std::string(" is not a regular file: a backup replaces it whole"));
  }
  if (location.kind != StoreLocation::Kind::kSqlite) return;
  // By name too: the log and shared-memory files come and go with the store's connections.
  const fs::path named = fs::weakly_canonical(file, ec);
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    const fs::path own(location.address + suffix);
    if (fs::equivalent(file, own, ec) ||
        (!named.empty() && named == fs::weakly_canonical(own, ec))) {
      throw UsageError(path + std::string(" is the store's own file ") + own.string() +
                       ": back it up to another file");
    }
  }
}

int run_backup(const StoreOptions& o) {
  return run_command(1, [&] {
    const StoreLocation location = resolve_store(o.store, o.config);
    if (location.kind == StoreLocation::Kind::kSqlite) check_backup_path(o.path, location);
    Store store = Store::open(location, StoreOpen::kMustExist);
    // A PostgreSQL store is refused before any file is made; the message names pg_dump.
    if (location.kind == StoreLocation::Kind::kPostgres) store.copy_into(o.path);
    // Readable by its owner only, as the store: it holds what ran on the servers.
    ReplaceMode mode;
    mode.mode = 0600;
    replace_file_with(o.path, mode,
                      [&](int, const std::string& temp_path) { store.copy_into(temp_path); });
    std::error_code ec;
    const auto size = fs::file_size(o.path, ec);
    std::cout << "backed up " << store.describe() << " to " << o.path;
    if (!ec) std::cout << " (" << bytes_text(static_cast<int64_t>(size)) << ")";
    std::cout << "\n";
    return 0;
  });
}

}  // namespace

void add_store_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<StoreOptions>();
  CLI::App* cmd = app.add_subcommand(
      "store", "Maintain the history store: its size, retention, free space and backups");
  cmd->require_subcommand(1);
  cmd->footer(
      "`collect` rolls up and prunes by itself; see docs/STORE.md, \"Maintenance\".\n"
      "Exit status: that of the subcommand (see `slowscope store stats --help` and the\n"
      "others): 0 done, 1 store error, 2 bad arguments or configuration, no store there, or\n"
      "no subcommand.");

  CLI::App* stats = cmd->add_subcommand(
      "stats", "Show each table's rows, the span of the samples of each tier, and the size");
  stats->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  add_store_location_options(stats, &o->config, &o->store);
  stats->footer(
      "Counts every row: seconds on a store of many millions. JSON:\n"
      "reports/json/schemas/store_stats-1.schema.json (\"schema\": \"" +
      std::string(kStoreStatsSchemaId) +
      "\").\n"
      "Exit status: 0 shown, 1 store error, 2 bad arguments or configuration, or no store\n"
      "there (never creates one).");
  stats->callback([o, exit_code] { *exit_code = run_stats(*o); });

  CLI::App* prune = cmd->add_subcommand(
      "prune", "Roll complete days up and drop what is older than the retention, now");
  add_store_location_options(prune, &o->config, &o->store);
  prune->footer(
      "What `collect` does by itself at its first cycle and every 15 cycles after, with the\n"
      "`retention:` of the configuration file (with --store alone: the defaults, raw 7d,\n"
      "hourly 90d, daily 730d). Safe while `collect` runs: each target is rolled up in a\n"
      "transaction of its own. Frees pages in an SQLite file without shrinking it: `store\n"
      "vacuum` does that.\n"
      "Exit status: 0 done, 1 store error, 2 bad arguments or configuration, or no store\n"
      "there.");
  prune->callback([o, exit_code, prune] {
    o->config_given = prune->count("--config") > 0;
    *exit_code = run_prune(*o);
  });

  CLI::App* vacuum =
      cmd->add_subcommand("vacuum", "Give the space of deleted rows back (after a retention cut)");
  add_store_location_options(vacuum, &o->config, &o->store);
  vacuum->footer(
      "SQLite: rewrites the file, with up to twice its new size in free disk meanwhile (a\n"
      "temporary copy in $SQLITE_TMPDIR or $TMPDIR, else /var/tmp, and the write-ahead log);\n"
      "`collect`'s writes wait for it, and a cycle that waits longer than 10 s fails and is\n"
      "retried. Prints the size before and after. PostgreSQL: VACUUM (ANALYZE) of the\n"
      "store's tables.\n"
      "Exit status: 0 done, 1 store error (e.g. the store stayed busy), 2 bad arguments or\n"
      "configuration, or no store there.");
  vacuum->callback([o, exit_code] { *exit_code = run_vacuum(*o); });

  CLI::App* backup = cmd->add_subcommand(
      "backup", "Write a consistent copy of an SQLite store to a file, while `collect` runs");
  backup->add_option("path", o->path, "The backup file (replaced whole if it exists)")
      ->required()
      ->type_name("PATH");
  add_store_location_options(backup, &o->config, &o->store);
  backup->footer(
      "Example:\n"
      "  slowscope store backup /backups/slowscope-$(date +%F).db\n"
      "The copy is one read transaction (SQLite's VACUUM INTO), so `collect` goes on writing;\n"
      "the file appears, readable by its owner only, once it is complete. To restore: stop\n"
      "`collect`, remove the store's -wal and -shm files, put the backup in place of the\n"
      "store. A PostgreSQL store is backed up with pg_dump -n SCHEMA instead.\n"
      "Exit status: 0 backed up, 1 store error (a PostgreSQL store among them) or the file\n"
      "cannot be written, 2 bad arguments (no PATH, a folder that does not exist, the store's\n"
      "own file) or configuration, or no store there.");
  backup->callback([o, exit_code] { *exit_code = run_backup(*o); });
}

}  // namespace slowscope
