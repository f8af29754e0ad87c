// Config: what `slowscope.yaml` says — where the history store lives, how often targets are
// polled, how long history is kept, and which database servers (targets) to watch.
//
// Plain value types, built once by load_config() and then only read: safe to share between
// threads as long as nobody modifies them. None of them holds a password except inside a
// target's `dsn`, and their descriptions (to_string, redacted) never show it; alert sinks
// keep only where their secrets are (alerts_config.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/config/alerts_config.h"

namespace slowscope {

// A configuration that cannot be used. what() is "file:line:column: key.path: problem"
// when the problem has a place in the file, and never contains a password.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Engine { kPostgres, kMysql };

// "postgres" or "mysql", as written in the file.
std::string_view to_string(Engine engine);

// Where a MySQL target's statements come from.
enum class MysqlSource { kSlowLogFile, kSlowLogTable, kPerformanceSchema };

// "slow_log_file", "slow_log_table" or "performance_schema", as written in the file.
std::string_view to_string(MysqlSource source);

// Where the history store lives: an SQLite file, or a PostgreSQL database that several
// collectors may share.
struct StoreLocation {
  enum class Kind { kSqlite, kPostgres };

  Kind kind = Kind::kSqlite;
  // The SQLite file path, or the libpq connection string (URI or key=value form).
  std::string address = "slowscope.db";

  // Reads "sqlite:PATH" or a libpq URI "postgresql://..." / "postgres://...". Throws
  // InvalidInput naming the accepted forms (without echoing a password).
  static StoreLocation parse(std::string_view text);

  // The location as a user may see it in logs: "sqlite:PATH", or the connection string
  // with any password replaced by "***".
  std::string redacted() const;

  bool operator==(const StoreLocation&) const = default;
};

// How long each tier of history is kept (see docs/STORE.md).
struct Retention {
  std::chrono::seconds raw{std::chrono::days{7}};
  std::chrono::seconds hourly{std::chrono::days{90}};
  std::chrono::seconds daily{std::chrono::days{730}};

  bool operator==(const Retention&) const = default;
};

// Regression detection `collect` runs after its cycles (see docs/REGRESSION.md).
struct DetectionConfig {
  bool enabled = true;
  int every_cycles = 1;                          // after every this many cycles of a target
  std::chrono::seconds window{15 * 60};          // the recent span judged
  std::chrono::seconds baseline{7 * 24 * 3600};  // the span before it, compared with
  int resolve_after = 5;  // evaluations in a row without a finding, to resolve it
  std::string baseline_mode = "same-hours";  // or "previous" (see docs/REGRESSION.md)
  int trend_days = 14;  // the daily trend pass looks at this many days; 0: no trends
  // Latency thresholds; unset: those of `check`.
  std::optional<double> min_ratio;
  std::optional<std::chrono::microseconds> min_delta;
  std::optional<double> fdr;
  std::optional<int> min_calls;

  // "every cycle: the last 15m against the same hours of the 7d before; resolve after 5
  // clean passes; daily trends over 14 days; min_ratio 1.5" (thresholds only where set), or
  // "off": for `config check`.
  std::string to_string() const;

  bool operator==(const DetectionConfig&) const = default;
};

// Why detection with `settings` could never run, or nullopt: a same-hours baseline needs a
// window of at most 23h, so that the clock hours it covers (at most a day, once rounded out
// to whole hours) do not overlap from one day to the next. load_config applies it to every
// `detection:` section, `collect` to the settings its command line overrides.
std::optional<std::string> detection_problem(const DetectionConfig& settings);

// Connection settings of a MySQL target; only parsed and validated so far, so that the
// file format is fixed before the MySQL collector exists.
struct MysqlTargetOptions {
  MysqlSource source = MysqlSource::kPerformanceSchema;
  std::string slow_log;  // the slow-log file, for source slow_log_file
  std::string socket;    // unix socket of the server, or
  std::string host;      // its host name
  std::optional<uint16_t> port;
  std::string user;
  std::string defaults_file;  // a my.cnf-style file with the credentials

  bool operator==(const MysqlTargetOptions&) const = default;
};

// One database server slowscope watches.
struct TargetConfig {
  std::string name;  // [a-z0-9][a-z0-9_.-]*, unique; every sample and finding carries it
  Engine engine = Engine::kPostgres;
  std::string dsn;            // postgres: libpq conninfo or URI (service=... works too)
  std::string password_file;  // optional; must not be readable by group or others
  MysqlTargetOptions mysql;   // engine mysql only
  // Keep one literal statement per statement key in the store (`show --examples` prints
  // them). Off by default: literal text can hold passwords and personal data.
  bool examples = false;
  // The file's `detection:` settings with the target's own `detection:` keys on top.
  DetectionConfig detection;

  // "orders (postgres, host=/run/postgresql dbname=orders password=***)": for logs.
  std::string to_string() const;

  bool operator==(const TargetConfig&) const = default;
};

struct Config {
  StoreLocation store;
  std::chrono::seconds interval{60};  // how often each target is polled
  Retention retention;
  DetectionConfig detection;
  std::vector<TargetConfig> targets;
  std::optional<AlertsConfig> alerts;  // unset: no `alerts:` section, no alerts

  // The target called `name`, or nullptr.
  const TargetConfig* find_target(std::string_view name) const;

  bool operator==(const Config&) const = default;
};

// Reads and validates a configuration file. Relative paths in it (SQLite store, password
// files, slow logs, defaults files, alert secret files and alert files) are taken relative
// to the file's folder. Throws ConfigError, also for a missing file or a directory.
Config load_config(const std::filesystem::path& path);

// Throws ConfigError for what `collect` refuses in a configuration load_config read: no
// targets, a target's password_file it cannot read, an alert sink it could not deliver to
// (check_alert_sinks: a secret it cannot read, a file it cannot write). Returns warnings for
// what it starts with but should be fixed (alert secret files others may read). `config
// check` runs it too, so that a file it calls valid is one `collect` starts with (the read
// commands, which only need the store, do not).
std::vector<std::string> check_collectable(const Config& config);

// As load_config, for text already in memory: `source_name` names it in messages and
// `base_dir` anchors relative paths.
Config parse_config(std::string_view yaml, std::string_view source_name,
                    const std::filesystem::path& base_dir);

}  // namespace slowscope
