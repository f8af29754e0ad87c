// Reading slowscope.yaml: a small walker over the yaml-cpp tree that knows, for every node,
// its key path and position, so that each message can point at the exact place.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <utility>

#include "analyzer/config/config.h"
#include "analyzer/config/dsn.h"
#include "analyzer/config/password_file.h"
#include "analyzer/config/setting_rules.h"
#include "analyzer/error/errors.h"
#include "analyzer/time/utc_time.h"

namespace slowscope {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean 'x'?)" when one of `choices` is a plausible typo of `word`, else "".
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& choices) {
  std::string_view best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (std::string_view choice : choices) {
    const size_t d = edit_distance(word, choice);
    if (d < best_distance) {
      best = choice;
      best_distance = d;
    }
  }
  return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

std::string join(const std::vector<std::string_view>& words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

class Reader {
 public:
  Reader(std::string source, std::filesystem::path base_dir)
      : source_(std::move(source)), base_dir_(std::move(base_dir)) {}

  [[noreturn]] void fail(const YAML::Mark& mark, std::string_view path,
                         std::string_view message) const {
    std::ostringstream out;
    out << source_ << ':';
    if (mark.line >= 0) {
      out << mark.line + 1 << ':' << mark.column + 1 << ':';
    }
    out << ' ';
    if (!path.empty()) out << path << ": ";
    out << message;
    throw ConfigError(out.str());
  }

  // A mapping's entries, after checking that every key is known and none repeats.
  struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
  };
  std::vector<Entry> entries(const YAML::Node& node, const std::string& path,
                             const std::vector<std::string_view>& known) const {
    if (!node.IsMap()) {
      fail(node.Mark(), path, "expected a mapping with keys " + join(known));
    }
    std::vector<Entry> result;
    for (const auto& item : node) {
      if (!item.first.IsScalar()) fail(item.first.Mark(), path, "keys must be plain words");
      std::string key = item.first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string hint = did_you_mean(key, known);
        fail(item.first.Mark(), path,
             "unknown key '" + key + "'" +
                 (hint.empty() ? "; expected one of " + join(known) : hint));
      }
      for (const auto& seen : result) {
        if (seen.key == key) {
          fail(item.first.Mark(), path,
               "duplicate key '" + key + "' (first at line " +
                   std::to_string(seen.key_node.Mark().line + 1) + ")");
        }
      }
      result.push_back(Entry{key, item.first, item.second});
    }
    return result;
  }

  std::string string(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar() || node.Scalar().empty()) fail(node.Mark(), path, "expected a text value");
    return node.Scalar();
  }

  // `read(text)` for a scalar node; what it throws becomes a message at the node's place.
  template <typename Rule>
  auto ruled(const YAML::Node& node, const std::string& path, Rule read) const {
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    try {
      return read(text);
    } catch (const InvalidInput& e) {
      fail(node.Mark(), path, e.what());
    }
  }

  std::chrono::seconds duration(const YAML::Node& node, const std::string& path) const {
    return std::chrono::duration_cast<std::chrono::seconds>(fine_duration(node, path));
  }

  // A duration kept to the microsecond; `examples` go into the message for a bad one.
  std::chrono::microseconds fine_duration(const YAML::Node& node, const std::string& path,
                                          std::string_view examples = "60s, 5m, 12h or 7d") const {
    return ruled(node, path, [&](std::string_view text) { return read_duration(text, examples); });
  }

  bool boolean(const YAML::Node& node, const std::string& path) const {
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    if (text == "true") return true;
    if (text == "false") return false;
    fail(node.Mark(), path, "expected true or false, got '" + text + "'");
  }

  int positive_int(const YAML::Node& node, const std::string& path) const {
    return ruled(node, path, read_positive_int);
  }

  // A decimal number in (low, high), or [low, high) with `low_included`.
  double number(const YAML::Node& node, const std::string& path, double low, bool low_included,
                double high) const {
    return ruled(node, path,
                 [&](std::string_view text) { return read_number(text, low, low_included, high); });
  }

  uint16_t port(const YAML::Node& node, const std::string& path) const {
    const std::string text = node.IsScalar() ? node.Scalar() : "";
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
        value > 65535) {
      fail(node.Mark(), path, "expected a port number from 1 to 65535, got '" + text + "'");
    }
    return static_cast<uint16_t>(value);
  }

  // Relative paths in the file mean relative to the file's folder, not to wherever the
  // daemon happens to be started from.
  std::string file_path(const YAML::Node& node, const std::string& path) const {
    std::filesystem::path p(string(node, path));
    if (p.is_relative()) p = (base_dir_ / p).lexically_normal();
    return p.string();
  }

  const std::filesystem::path& base_dir() const { return base_dir_; }

 private:
  std::string source_;
  std::filesystem::path base_dir_;
};

StoreLocation read_store(const Reader& r, const YAML::Node& node) {
  const std::string text = r.string(node, "store");
  StoreLocation location;
  try {
    location = StoreLocation::parse(text);
  } catch (const InvalidInput& e) {
    r.fail(node.Mark(), "store", e.what());
  }
  if (location.kind == StoreLocation::Kind::kSqlite && location.address != ":memory:") {
    std::filesystem::path p(location.address);
    if (p.is_relative()) location.address = (r.base_dir() / p).lexically_normal().string();
  }
  return location;
}

Retention read_retention(const Reader& r, const YAML::Node& node) {
  Retention retention;
  for (const auto& e : r.entries(node, "retention", {"raw", "hourly", "daily"})) {
    const std::string path = "retention." + e.key;
    const std::chrono::seconds value = r.duration(e.value, path);
    if (e.key == "raw") {
      if (value < std::chrono::hours(1)) r.fail(e.value.Mark(), path, "must be at least 1h");
      retention.raw = value;
    } else if (e.key == "hourly") {
      retention.hourly = value;
    } else {
      retention.daily = value;
    }
  }
  if (retention.hourly < retention.raw) {
    r.fail(node.Mark(), "retention", "hourly must be at least as long as raw");
  }
  if (retention.daily < retention.hourly) {
    r.fail(node.Mark(), "retention", "daily must be at least as long as hourly");
  }
  return retention;
}

// `node`'s keys over `base` (the defaults, or the file's section for a target's own).
DetectionConfig read_detection(const Reader& r, const YAML::Node& node, const std::string& prefix,
                               DetectionConfig base) {
  DetectionConfig detection = std::move(base);
  for (const auto& e :
       r.entries(node, prefix,
                 {"enabled", "every", "window", "baseline", "resolve_after", "baseline_mode",
                  "min_ratio", "min_delta", "fdr", "min_calls", "trend_days"})) {
    const std::string path = prefix + "." + e.key;
    if (e.key == "enabled") {
      detection.enabled = r.boolean(e.value, path);
    } else if (e.key == "every") {
      detection.every_cycles = r.positive_int(e.value, path);
    } else if (e.key == "resolve_after") {
      detection.resolve_after = r.positive_int(e.value, path);
    } else if (e.key == "min_calls") {
      detection.min_calls = r.positive_int(e.value, path);
    } else if (e.key == "baseline_mode") {
      detection.baseline_mode = r.string(e.value, path);
      if (detection.baseline_mode != "same-hours" && detection.baseline_mode != "previous") {
        r.fail(e.value.Mark(), path,
               "expected same-hours or previous, got '" + detection.baseline_mode + "'");
      }
    } else if (e.key == "min_ratio") {
      detection.min_ratio = r.ruled(e.value, path, read_min_ratio);
    } else if (e.key == "fdr") {
      detection.fdr = r.ruled(e.value, path, read_fdr);
    } else if (e.key == "min_delta") {
      detection.min_delta = r.fine_duration(e.value, path, "1ms or 0.5ms");
    } else if (e.key == "trend_days") {
      // A trend needs 7 days with enough calls (TrendThresholds::min_days).
      const double days = r.number(e.value, path, 0, true, 3651);
      if (days != std::floor(days) || (days > 0 && days < 7)) {
        r.fail(e.value.Mark(), path,
               "expected 0 (no trends) or a whole number of days from 7 to 3650, got '" +
                   e.value.Scalar() + "'");
      }
      detection.trend_days = static_cast<int>(days);
    } else {
      (e.key == "window" ? detection.window : detection.baseline) =
          r.ruled(e.value, path, read_span);
    }
  }
  if (const auto problem = detection_problem(detection)) r.fail(node.Mark(), prefix, *problem);
  return detection;
}

const std::vector<std::string_view> kTargetKeys = {
    "name",   "engine", "dsn",  "password_file", "source",        "slow_log",
    "socket", "host",   "port", "user",          "defaults_file", "detection",
    "examples"};
const std::vector<std::string_view> kMysqlOnlyKeys = {"source", "slow_log", "socket",       "host",
                                                      "port",   "user",     "defaults_file"};

TargetConfig read_target(const Reader& r, const YAML::Node& node, const std::string& path,
                         const DetectionConfig& detection) {
  TargetConfig target;
  const auto entries = r.entries(node, path, kTargetKeys);
  auto find = [&](std::string_view key) -> const Reader::Entry* {
    for (const auto& e : entries) {
      if (e.key == key) return &e;
    }
    return nullptr;
  };
  auto require = [&](std::string_view key, std::string_view what) -> const Reader::Entry& {
    const Reader::Entry* e = find(key);
    if (e == nullptr)
      r.fail(node.Mark(), path,
             "missing key '" + std::string(key) + "' (" + std::string(what) + ")");
    return *e;
  };

  const auto& name = require("name", "[a-z0-9][a-z0-9_.-]*");
  r.string(name.value, path + ".name");  // "expected a text value" for a list or nothing
  target.name = r.ruled(name.value, path + ".name", read_target_name);

  const auto& engine = require("engine", "postgres or mysql");
  const std::string engine_text = r.string(engine.value, path + ".engine");
  if (engine_text == "postgres") {
    target.engine = Engine::kPostgres;
  } else if (engine_text == "mysql") {
    target.engine = Engine::kMysql;
  } else {
    r.fail(engine.value.Mark(), path + ".engine",
           "expected postgres or mysql, got '" + engine_text + "'" +
               did_you_mean(engine_text, {"postgres", "mysql"}));
  }

  if (const auto* e = find("examples")) target.examples = r.boolean(e->value, path + ".examples");

  target.detection = detection;
  if (const auto* e = find("detection")) {
    target.detection = read_detection(r, e->value, path + ".detection", detection);
  }

  if (const auto* e = find("password_file")) {
    target.password_file = r.file_path(e->value, path + ".password_file");
    try {
      check_password_file(target.password_file);
    } catch (const ConfigError& error) {
      r.fail(e->value.Mark(), path + ".password_file", error.what());
    }
  }

  if (target.engine == Engine::kPostgres) {
    for (const auto& e : entries) {
      if (std::find(kMysqlOnlyKeys.begin(), kMysqlOnlyKeys.end(), e.key) != kMysqlOnlyKeys.end()) {
        r.fail(e.key_node.Mark(), path + "." + e.key, "only for engine mysql");
      }
    }
    const auto& dsn =
        require("dsn", "a libpq connection string such as \"host=/run/postgresql dbname=app\"");
    target.dsn = r.string(dsn.value, path + ".dsn");
    if (!is_valid_dsn(target.dsn)) {
      r.fail(dsn.value.Mark(), path + ".dsn",
             "not a valid libpq connection string: " + redact_dsn(target.dsn));
    }
    return target;
  }

  if (const auto* e = find("dsn")) {
    r.fail(e->key_node.Mark(), path + ".dsn",
           "only for engine postgres; a mysql target uses socket or host/port/user");
  }
  MysqlTargetOptions& mysql = target.mysql;
  if (const auto* e = find("source")) {
    const std::string text = r.string(e->value, path + ".source");
    if (text == "slow_log_file") {
      mysql.source = MysqlSource::kSlowLogFile;
    } else if (text == "slow_log_table") {
      mysql.source = MysqlSource::kSlowLogTable;
    } else if (text == "performance_schema") {
      mysql.source = MysqlSource::kPerformanceSchema;
    } else {
      r.fail(e->value.Mark(), path + ".source",
             "expected slow_log_file, slow_log_table or performance_schema, got '" + text + "'" +
                 did_you_mean(text, {"slow_log_file", "slow_log_table", "performance_schema"}));
    }
  }
  if (const auto* e = find("slow_log")) mysql.slow_log = r.file_path(e->value, path + ".slow_log");
  if (const auto* e = find("socket")) mysql.socket = r.string(e->value, path + ".socket");
  if (const auto* e = find("host")) mysql.host = r.string(e->value, path + ".host");
  if (const auto* e = find("port")) mysql.port = r.port(e->value, path + ".port");
  if (const auto* e = find("user")) mysql.user = r.string(e->value, path + ".user");
  if (const auto* e = find("defaults_file")) {
    mysql.defaults_file = r.file_path(e->value, path + ".defaults_file");
  }

  if (mysql.source == MysqlSource::kSlowLogFile) {
    if (mysql.slow_log.empty()) {
      r.fail(node.Mark(), path,
             "missing key 'slow_log' (the slow-log file, for source slow_log_file)");
    }
  } else {
    if (const auto* e = find("slow_log")) {
      r.fail(e->key_node.Mark(), path + ".slow_log", "only for source slow_log_file");
    }
    if (mysql.socket.empty() && mysql.host.empty()) {
      r.fail(node.Mark(), path,
             "missing key 'socket' or 'host' (how to reach the server for source " +
                 std::string(to_string(mysql.source)) + ")");
    }
  }
  if (!mysql.socket.empty() && !mysql.host.empty()) {
    r.fail(find("host")->key_node.Mark(), path + ".host", "give socket or host, not both");
  }
  if (mysql.port && mysql.host.empty()) {
    r.fail(find("port")->key_node.Mark(), path + ".port", "only together with host");
  }
  if (!mysql.defaults_file.empty() && !target.password_file.empty()) {
    r.fail(find("defaults_file")->key_node.Mark(), path + ".defaults_file",
           "password_file and defaults_file both give credentials; keep one");
  }
  return target;
}

std::vector<TargetConfig> read_targets(const Reader& r, const YAML::Node& node,
                                       const DetectionConfig& detection) {
  if (!node.IsSequence()) r.fail(node.Mark(), "targets", "expected a list of targets");
  std::vector<TargetConfig> targets;
  std::map<std::string, int> first_line;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string path = "targets[" + std::to_string(i) + "]";
    TargetConfig target = read_target(r, node[i], path, detection);
    const YAML::Node name_node = node[i]["name"];
    if (auto [it, inserted] = first_line.emplace(target.name, name_node.Mark().line + 1);
        !inserted) {
      r.fail(name_node.Mark(), path + ".name",
             "duplicate target name '" + target.name + "' (first at line " +
                 std::to_string(it->second) + ")");
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

// A text that is one of `choices`, or a message listing them (with a typo's likely meaning).
std::string one_of(const Reader& r, const YAML::Node& node, const std::string& path,
                   const std::vector<std::string_view>& choices) {
  const std::string text = r.string(node, path);
  if (std::find(choices.begin(), choices.end(), text) == choices.end()) {
    std::string expected;
    for (size_t i = 0; i < choices.size(); ++i) {
      if (i > 0) expected += i + 1 == choices.size() ? " or " : ", ";
      expected += choices[i];
    }
    r.fail(node.Mark(), path,
           "expected " + expected + ", got '" + text + "'" + did_you_mean(text, choices));
  }
  return text;
}

const std::vector<std::string_view> kSeverities(std::begin(kAlertSeverities),
                                                std::end(kAlertSeverities));

std::string http_url(const Reader& r, const YAML::Node& node, const std::string& path) {
  const std::string text = r.string(node, path);
  const bool http = (text.starts_with("http://") && text.size() > 7) ||
                    (text.starts_with("https://") && text.size() > 8);
  if (!http) r.fail(node.Mark(), path, "expected an http:// or https:// URL, got '" + text + "'");
  return text;
}

AlertThresholdsConfig read_alert_thresholds(const Reader& r, const YAML::Node& node) {
  const std::string prefix = "alerts.thresholds";
  AlertThresholdsConfig thresholds;
  std::map<std::string, YAML::Mark> written;
  for (const auto& e : r.entries(node, prefix, {"warning", "error", "critical"})) {
    const std::string path = prefix + "." + e.key;
    AlertSeverityBar& bar = e.key == "warning" ? thresholds.warning
                            : e.key == "error" ? thresholds.error
                                               : thresholds.critical;
    for (const auto& b : r.entries(e.value, path, {"added_per_hour", "ratio"})) {
      if (b.key == "added_per_hour") {
        bar.added_per_hour = r.ruled(b.value, path + "." + b.key, read_span);
      } else {
        bar.ratio = r.number(b.value, path + "." + b.key, 1, false, 1e6);
      }
    }
    written.emplace(e.key, e.value.Mark());
  }
  // Each severity's bar at least the one below it, so that a finding that reaches a
  // severity reaches the ones below too.
  const auto in_order = [&](std::string_view low_name, const AlertSeverityBar& low,
                            std::string_view high_name, const AlertSeverityBar& high) {
    std::string problem;
    if (high.added_per_hour < low.added_per_hour) {
      problem = std::string(high_name) + ".added_per_hour (" +
                format_duration(high.added_per_hour.count() * 1'000'000) + ") is below " +
                std::string(low_name) + "'s (" +
                format_duration(low.added_per_hour.count() * 1'000'000) + ")";
    } else if (high.ratio < low.ratio) {
      std::ostringstream text;
      text << high_name << ".ratio (" << high.ratio << ") is below " << low_name << "'s ("
           << low.ratio << ")";
      problem = text.str();
    } else {
      return;
    }
    const auto place = written.count(std::string(high_name)) ? written.at(std::string(high_name))
                                                             : written.at(std::string(low_name));
    r.fail(place, prefix,
           problem +
               "; each severity's bar must be at least the one below it "
               "(warning <= error <= critical)");
  };
  in_order("warning", thresholds.warning, "error", thresholds.error);
  in_order("error", thresholds.error, "critical", thresholds.critical);
  return thresholds;
}

constexpr AlertSinkType kAllSinkTypes[] = {
    AlertSinkType::kPagerduty,    AlertSinkType::kOpsgenie, AlertSinkType::kSplunkOncall,
    AlertSinkType::kAlertmanager, AlertSinkType::kSlack,    AlertSinkType::kWebhook,
    AlertSinkType::kFile};

std::vector<std::string_view> sink_type_names() {
  std::vector<std::string_view> names;
  for (const AlertSinkType type : kAllSinkTypes) names.push_back(to_string(type));
  return names;
}
const std::vector<std::string_view> kSinkTypes = sink_type_names();
const std::vector<std::string_view> kSinkKeys = {"name",
                                                 "type",
                                                 "min_severity",
                                                 "url",
                                                 "url_file",
                                                 "routing_key",
                                                 "routing_key_file",
                                                 "api_key",
                                                 "api_key_file",
                                                 "webhook_url",
                                                 "webhook_url_file",
                                                 "hmac_secret",
                                                 "hmac_secret_file",
                                                 "path"};

// The keys a sink of `type` takes besides name, type and min_severity.
std::vector<std::string_view> sink_keys(AlertSinkType type) {
  switch (type) {
    case AlertSinkType::kPagerduty:
      return {"url", "routing_key_file", "routing_key"};
    case AlertSinkType::kOpsgenie:
      return {"url", "api_key_file", "api_key"};
    case AlertSinkType::kSplunkOncall:
      return {"url_file", "url"};
    case AlertSinkType::kAlertmanager:
      return {"url"};
    case AlertSinkType::kSlack:
      return {"webhook_url_file", "webhook_url"};
    case AlertSinkType::kWebhook:
      return {"url", "hmac_secret_file", "hmac_secret"};
    case AlertSinkType::kFile:
      return {"path"};
  }
  return {};
}

bool is_env_name(std::string_view name) {
  const auto letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  return !name.empty() && letter(name[0]) && std::all_of(name.begin(), name.end(), [&](char c) {
    return letter(c) || (c >= '0' && c <= '9');
  });
}

AlertSinkConfig read_alert_sink(const Reader& r, const YAML::Node& node, const std::string& path) {
  AlertSinkConfig sink;
  const auto entries = r.entries(node, path, kSinkKeys);
  auto find = [&](std::string_view key) -> const Reader::Entry* {
    for (const auto& e : entries) {
      if (e.key == key) return &e;
    }
    return nullptr;
  };
  auto missing = [&](std::string_view keys, std::string_view what) {
    r.fail(node.Mark(), path, "missing key " + std::string(keys) + " (" + std::string(what) + ")");
  };
  auto require = [&](std::string_view key, std::string_view what) -> const Reader::Entry& {
    const Reader::Entry* e = find(key);
    if (e == nullptr) {
      r.fail(node.Mark(), path,
             "missing key '" + std::string(key) + "' (" + std::string(what) + ")");
    }
    return *e;
  };

  const auto& name = require("name", "[a-z0-9][a-z0-9_.-]*");
  r.string(name.value, path + ".name");  // "expected a text value" for a list or nothing
  sink.name = r.ruled(name.value, path + ".name", read_target_name);

  const std::string type_text =
      one_of(r, require("type", join(kSinkTypes)).value, path + ".type", kSinkTypes);
  for (const AlertSinkType t : kAllSinkTypes) {
    if (to_string(t) == type_text) sink.type = t;
  }

  // Keys of other types are refused before any value is read: a secret written under a key
  // its type does not take is never echoed either.
  const std::vector<std::string_view> own = sink_keys(sink.type);
  for (const auto& e : entries) {
    if (e.key == "name" || e.key == "type" || e.key == "min_severity") continue;
    if (std::find(own.begin(), own.end(), e.key) == own.end()) {
      r.fail(e.key_node.Mark(), path + "." + e.key,
             "not a key of type " + type_text + ", which takes name, type, min_severity, " +
                 join(own));
    }
  }

  if (const auto* e = find("min_severity")) {
    sink.min_severity = one_of(r, e->value, path + ".min_severity", kSeverities);
  }

  const std::string key(secret_key(sink.type));
  if (!key.empty()) {
    const auto* written = find(key);
    const auto* file = find(key + "_file");
    if (written != nullptr && file != nullptr) {
      r.fail(file->key_node.Mark(), path + "." + key + "_file",
             "give " + key + "_file or " + key + ", not both");
    }
    if (file != nullptr) {
      sink.secret = SecretSource{SecretSource::Kind::kFile,
                                 r.file_path(file->value, path + "." + key + "_file")};
    } else if (written != nullptr) {
      // Secrets stay out of the file (which is shown, copied and kept in version control)
      // and out of every message, this one included.
      const std::string text = written->value.IsScalar() ? written->value.Scalar() : "";
      if (!text.starts_with("env:")) {
        r.fail(written->value.Mark(), path + "." + key,
               "a secret is not written in the file: give " + key +
                   "_file: PATH (a file only slowscope's user may read) or " + key +
                   ": env:NAME (read from the environment variable NAME)");
      }
      if (!is_env_name(std::string_view(text).substr(4))) {
        r.fail(written->value.Mark(), path + "." + key,
               "env: takes the name of an environment variable (letters, digits and _, not "
               "starting with a digit)");
      }
      sink.secret = SecretSource{SecretSource::Kind::kEnv, text.substr(4)};
    } else if (sink.type != AlertSinkType::kWebhook) {
      missing("'" + key + "_file' or '" + key + ": env:NAME'",
              "the " + std::string(secret_name(sink.type)) + " of " + type_text);
    }
  }

  if (sink.type == AlertSinkType::kSplunkOncall || sink.type == AlertSinkType::kSlack) {
    // Their url is the secret, read above.
  } else if (const auto* e = find("url")) {
    sink.url = http_url(r, e->value, path + ".url");
  } else if (sink.type == AlertSinkType::kAlertmanager) {
    missing("'url'", "Alertmanager's address, such as http://127.0.0.1:9093");
  } else if (sink.type == AlertSinkType::kWebhook) {
    missing("'url'", "where the events are POSTed");
  } else {
    sink.url = std::string(default_url(sink.type));
  }

  if (sink.type == AlertSinkType::kFile) {
    const auto& e = require("path", "the file alert events are appended to, one JSON a line");
    sink.path = r.file_path(e.value, path + ".path");
  }
  return sink;
}

std::vector<AlertSinkConfig> read_alert_sinks(const Reader& r, const YAML::Node& node) {
  if (!node.IsSequence()) r.fail(node.Mark(), "alerts.sinks", "expected a list of sinks");
  if (node.size() == 0) {
    r.fail(node.Mark(), "alerts.sinks",
           "no sinks: give at least one, or leave out the alerts section");
  }
  std::vector<AlertSinkConfig> sinks;
  std::map<std::string, int> first_line;
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string path = "alerts.sinks[" + std::to_string(i) + "]";
    AlertSinkConfig sink = read_alert_sink(r, node[i], path);
    const YAML::Node name_node = node[i]["name"];
    if (auto [it, inserted] = first_line.emplace(sink.name, name_node.Mark().line + 1); !inserted) {
      r.fail(name_node.Mark(), path + ".name",
             "duplicate sink name '" + sink.name + "' (first at line " +
                 std::to_string(it->second) + ")");
    }
    sinks.push_back(std::move(sink));
  }
  return sinks;
}

AlertsConfig read_alerts(const Reader& r, const YAML::Node& node) {
  AlertsConfig alerts;
  bool has_sinks = false;
  for (const auto& e :
       r.entries(node, "alerts", {"min_severity", "report_url", "timeout", "thresholds", "sinks"})) {
    const std::string path = "alerts." + e.key;
    if (e.key == "timeout") {
      alerts.timeout = r.ruled(e.value, path, read_span);
      if (alerts.timeout < std::chrono::seconds(1) || alerts.timeout > std::chrono::minutes(5)) {
        r.fail(e.value.Mark(), path, "must be between 1s and 5m");
      }
    } else if (e.key == "min_severity") {
      alerts.min_severity = one_of(r, e.value, path, kSeverities);
    } else if (e.key == "report_url") {
      alerts.report_url = http_url(r, e.value, path);
    } else if (e.key == "thresholds") {
      alerts.thresholds = read_alert_thresholds(r, e.value);
    } else {
      alerts.sinks = read_alert_sinks(r, e.value);
      has_sinks = true;
    }
  }
  if (!has_sinks) r.fail(node.Mark(), "alerts", "missing key 'sinks' (the receivers of alerts)");
  return alerts;
}

}  // namespace

Config parse_config(std::string_view yaml, std::string_view source_name,
                    const std::filesystem::path& base_dir) {
  const Reader r{std::string(source_name), base_dir};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    r.fail(e.mark, "", "invalid YAML: " + e.msg);
  }
  Config config;
  config.store.address = (base_dir / config.store.address).lexically_normal().string();
  if (root.IsNull()) return config;
  const auto entries =
      r.entries(root, "", {"store", "interval", "retention", "detection", "targets", "alerts"});
  // Targets start from the file's detection settings, wherever the section is.
  for (const auto& e : entries) {
    if (e.key == "detection") config.detection = read_detection(r, e.value, "detection", {});
  }
  for (const auto& e : entries) {
    if (e.key == "store") {
      config.store = read_store(r, e.value);
    } else if (e.key == "interval") {
      config.interval = r.ruled(e.value, "interval", read_span);
    } else if (e.key == "retention") {
      config.retention = read_retention(r, e.value);
    } else if (e.key == "targets") {
      config.targets = read_targets(r, e.value, config.detection);
    } else if (e.key == "alerts") {
      config.alerts = read_alerts(r, e.value);
    }
  }
  return config;
}

Config load_config(const std::filesystem::path& path) {
  // A directory opens and reads as empty text, which would be a valid empty configuration
  // whose store is slowscope.db next to it.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw ConfigError(path.string() +
                      ": is a directory; give the configuration file itself (e.g. " +
                      (path / "slowscope.yaml").lexically_normal().string() + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path.string() + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  std::filesystem::path base = path.parent_path();
  if (base.empty()) base = ".";
  return parse_config(text.str(), path.string(), base);
}

}  // namespace slowscope
