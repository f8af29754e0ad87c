#include "analyzer/config/config.h"

#include <sstream>

#include "analyzer/config/dsn.h"
#include "analyzer/config/password_file.h"
#include "analyzer/error/errors.h"
#include "analyzer/time/utc_time.h"

namespace slowscope {

std::string_view to_string(Engine engine) {
  switch (engine) {
    case Engine::kPostgres:
      return "postgres";
    case Engine::kMysql:
      return "mysql";
  }
  return "unknown";
}

std::string_view to_string(MysqlSource source) {
  switch (source) {
    case MysqlSource::kSlowLogFile:
      return "slow_log_file";
    case MysqlSource::kSlowLogTable:
      return "slow_log_table";
    case MysqlSource::kPerformanceSchema:
      return "performance_schema";
  }
  return "unknown";
}

StoreLocation StoreLocation::parse(std::string_view text) {
  if (text.starts_with("sqlite:") && text.size() > 7) {
    return StoreLocation{Kind::kSqlite, std::string(text.substr(7))};
  }
  if (text.starts_with("postgresql://") || text.starts_with("postgres://")) {
    if (!is_valid_dsn(text)) {
      throw InvalidInput("store '" + redact_dsn(text) + "' is not a valid libpq connection URI");
    }
    return StoreLocation{Kind::kPostgres, std::string(text)};
  }
  throw InvalidInput("store must be sqlite:PATH or a libpq URI such as postgresql://user@host/db");
}

std::string StoreLocation::redacted() const {
  if (kind == Kind::kSqlite) return "sqlite:" + address;
  return redact_dsn(address);
}

std::string TargetConfig::to_string() const {
  std::string out = name + " (" + std::string(slowscope::to_string(engine));
  if (engine == Engine::kPostgres) {
    out += ", " + redact_dsn(dsn);
  } else {
    out += ", " + std::string(slowscope::to_string(mysql.source));
    if (!mysql.slow_log.empty()) out += ", slow_log " + mysql.slow_log;
    if (!mysql.socket.empty()) out += ", socket " + mysql.socket;
    if (!mysql.host.empty()) out += ", host " + mysql.host;
    if (mysql.port) out.append(":").append(std::to_string(*mysql.port));
    if (!mysql.user.empty()) out += ", user " + mysql.user;
  }
  return out + ")";
}

std::string DetectionConfig::to_string() const {
  if (!enabled) return "off";
  std::ostringstream out;
  out << (every_cycles == 1 ? "every cycle" : "every " + std::to_string(every_cycles) + " cycles")
      << ": the last " << format_duration(window.count() * 1'000'000) << " against "
      << (baseline_mode == "same-hours" ? "the same hours of " : "") << "the "
      << format_duration(baseline.count() * 1'000'000) << " before; resolve after " << resolve_after
      << " clean passes; "
      << (trend_days > 0 ? "daily trends over " + std::to_string(trend_days) + " days"
                         : "no trends");
  if (min_ratio) out << "; min_ratio " << *min_ratio;
  if (min_delta) out << "; min_delta " << format_duration(min_delta->count());
  if (fdr) out << "; fdr " << *fdr;
  if (min_calls) out << "; min_calls " << *min_calls;
  return out.str();
}

std::optional<std::string> detection_problem(const DetectionConfig& settings) {
  constexpr std::chrono::hours kSameHoursMaxWindow{23};
  if (settings.baseline_mode == "same-hours" && settings.window > kSameHoursMaxWindow) {
    return "window " + format_duration(settings.window.count() * 1'000'000) +
           " is longer than baseline_mode same-hours allows (23h: its clock hours on each day "
           "before must not overlap); shorten it or use baseline_mode previous";
  }
  return std::nullopt;
}

std::vector<std::string> check_collectable(const Config& config) {
  if (config.targets.empty()) {
    throw ConfigError("no targets: `collect` has nothing to collect (add a `targets:` list)");
  }
  for (const TargetConfig& target : config.targets) {
    if (target.password_file.empty()) continue;
    try {
      read_password_file(target.password_file);
    } catch (const ConfigError& e) {
      throw ConfigError("target " + target.name + ": " + e.what());
    }
  }
  if (!config.alerts) return {};
  check_alert_sinks(*config.alerts);
  return alert_secret_warnings(*config.alerts);
}

const TargetConfig* Config::find_target(std::string_view name) const {
  for (const auto& target : targets) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

}  // namespace slowscope
