// AlertsConfig: the `alerts:` section of slowscope.yaml — the least severity sent, the bars a
// finding must reach for each severity, the report page events link to, and the sinks
// (on-call tools, chat, webhooks, a file) that receive alerts.
//
// Secrets — routing keys, API keys, URLs that hold keys, HMAC secrets — are never in these
// values: a sink keeps only where its secret is (a SecretSource: a file or an environment
// variable), and read_secret() fetches it when it is needed. Descriptions (to_string) and
// every message name the file or variable, never the secret.
//
// Severities are the texts "info", "warning", "error", "critical" (reports/alerts
// alert_event.h's AlertSeverity reads them with alert_severity_from_string); the core keeps
// them as validated text since it does not know reports/.
//
// Plain value types, built once by load_config() and then only read: safe to share between
// threads as long as nobody modifies them. read_secret and secret_file_warning read the
// file system and the environment: thread-safe while nobody changes the environment.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slowscope {

// The severities in order, least first, as written in the file.
inline constexpr std::string_view kAlertSeverities[] = {"info", "warning", "error", "critical"};

// Where a receiver's API is when the file gives no `url`.
inline constexpr std::string_view kPagerdutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";
inline constexpr std::string_view kOpsgenieApiUrl = "https://api.opsgenie.com";

// The rank of `severity` among kAlertSeverities (info 0 .. critical 3), or -1 for other text.
int alert_severity_rank(std::string_view severity);

// Where a secret is read from: a file (its first line) or an environment variable.
struct SecretSource {
  enum class Kind { kFile, kEnv };

  Kind kind = Kind::kFile;
  std::string location;  // the file's path (absolute after load_config), or the variable's name

  // "/etc/slowscope/pagerduty.key" or "env:PAGERDUTY_KEY": where, never what.
  std::string to_string() const;

  bool operator==(const SecretSource&) const = default;
};

// The secret `source` points to: the file's first line without its line end, or the
// variable's value. Throws ConfigError naming the file or variable (never the content)
// when the file is missing, not a regular file, unreadable or its first line empty, or
// the variable is unset or empty.
std::string read_secret(const SecretSource& source);

// "/etc/slowscope/pagerduty.key is readable by others than its owner (mode 0644); chmod
// 600 it" when `source` is a file group or others may read or write; nullopt otherwise
// (an environment variable, a private file, or one stat() cannot see: read_secret says why).
std::optional<std::string> secret_file_warning(const SecretSource& source);

enum class AlertSinkType {
  kPagerduty,
  kOpsgenie,
  kSplunkOncall,
  kAlertmanager,
  kSlack,
  kWebhook,
  kFile
};

// "pagerduty", "opsgenie", "splunk_oncall", "alertmanager", "slack", "webhook" or "file",
// as written in the file.
std::string_view to_string(AlertSinkType type);

// The key the secret of `type` is given under ("routing_key", "api_key", "url",
// "webhook_url", "hmac_secret"; written as KEY_file: or KEY: env:NAME), or "" for a type
// without one (alertmanager, file).
std::string_view secret_key(AlertSinkType type);

// What the secret of `type` is, for people: "routing key", "API key", "URL", "webhook URL",
// "HMAC secret"; "" for a type without one.
std::string_view secret_name(AlertSinkType type);

// The url a sink of `type` uses when the file gives none (kPagerdutyEventsUrl,
// kOpsgenieApiUrl), or "" when there is no public default.
std::string_view default_url(AlertSinkType type);

// One receiver of alerts.
struct AlertSinkConfig {
  std::string name;  // [a-z0-9][a-z0-9_.-]*, unique among the sinks
  AlertSinkType type = AlertSinkType::kWebhook;
  // The sink's own least severity; unset: the section's (AlertsConfig::min_severity_of).
  std::optional<std::string> min_severity;
  // The API's address: pagerduty and opsgenie (their default_url unless the file gives
  // one), alertmanager (its base URL) and webhook; empty for the others, whose URL is their
  // secret (splunk_oncall, slack) or who have none (file). Not a secret: shown as is.
  std::string url;
  // pagerduty: routing key; opsgenie: API key; splunk_oncall: REST URL (it holds the API and
  // routing keys); slack: webhook URL; webhook: HMAC secret (optional: unset, unsigned).
  // Unset for alertmanager and file.
  std::optional<SecretSource> secret;
  std::string path;  // file: the JSON-lines file (absolute after load_config)

  // "oncall (pagerduty, routing key from /etc/slowscope/pagerduty.key)": the url where the
  // file gives one, the path, the sink's own min_severity, where the secret comes from.
  std::string to_string() const;

  bool operator==(const AlertSinkConfig&) const = default;
};

// What a finding must reach for one severity: both its added database time per hour and
// its ratio (after / before) — the ratio only for kinds that have one.
struct AlertSeverityBar {
  std::chrono::seconds added_per_hour{0};
  double ratio = 1;

  bool operator==(const AlertSeverityBar&) const = default;
};

// The bars of the severities above info, each at least the one below it in both values
// (reports/alerts alert_event.h's AlertThresholds takes them in seconds).
struct AlertThresholdsConfig {
  AlertSeverityBar warning{std::chrono::seconds{60}, 1.5};
  AlertSeverityBar error{std::chrono::seconds{600}, 2};
  AlertSeverityBar critical{std::chrono::seconds{1800}, 4};

  // "warning +1m/h and 1.5x, error +10m/h and 2x, critical +30m/h and 4x".
  std::string to_string() const;

  bool operator==(const AlertThresholdsConfig&) const = default;
};

// The `alerts:` section.
struct AlertsConfig {
  std::string min_severity = "warning";  // one of kAlertSeverities
  std::string report_url;                // linked from events; empty: none
  std::chrono::seconds timeout{10};      // one request to a receiver, at most
  AlertThresholdsConfig thresholds;
  std::vector<AlertSinkConfig> sinks;  // at least one

  // The least severity `sink` receives: its own, else the section's.
  const std::string& min_severity_of(const AlertSinkConfig& sink) const;

  bool operator==(const AlertsConfig&) const = default;
};

// One warning per sink secret file group or others may read or write: "alert sink oncall:
// /etc/slowscope/pagerduty.key is readable by others than its owner (mode 0644); chmod 600
// it". Empty when all are private.
std::vector<std::string> alert_secret_warnings(const AlertsConfig& alerts);

// Throws ConfigError "alert sink NAME: ..." for what would make a sink fail at its first
// alert rather than at start: a secret read_secret cannot read, a secret URL that is not
// http(s), a file sink whose file or folder cannot be written.
void check_alert_sinks(const AlertsConfig& alerts);

}  // namespace slowscope
