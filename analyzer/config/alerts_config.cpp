#include "analyzer/config/alerts_config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "analyzer/config/config.h"
#include "analyzer/config/password_file.h"
#include "analyzer/time/utc_time.h"

namespace slowscope {

int alert_severity_rank(std::string_view severity) {
  for (size_t i = 0; i < std::size(kAlertSeverities); ++i) {
    if (kAlertSeverities[i] == severity) return static_cast<int>(i);
  }
  return -1;
}

std::string SecretSource::to_string() const {
  return kind == Kind::kEnv ? "env:" + location : location;
}

std::string read_secret(const SecretSource& source) {
  if (source.kind == SecretSource::Kind::kEnv) {
    const char* value = std::getenv(source.location.c_str());
    if (value == nullptr) {
      throw ConfigError("environment variable " + source.location + " is not set");
    }
    if (*value == '\0') throw ConfigError("environment variable " + source.location + " is empty");
    return value;
  }
  regular_file_mode(source.location, "secret file");
  std::string secret = read_first_line(source.location, "secret file");
  if (secret.empty()) {
    throw ConfigError("secret file " + source.location +
                      " is empty (the secret is its first line)");
  }
  return secret;
}

std::optional<std::string> secret_file_warning(const SecretSource& source) {
  if (source.kind != SecretSource::Kind::kFile) return std::nullopt;
  struct stat st {};
  if (::stat(source.location.c_str(), &st) != 0) return std::nullopt;
  const bool readable = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
  const bool writable = (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
  if (!readable && !writable) return std::nullopt;
  const char* access = readable && writable ? "readable and writable"
                       : readable           ? "readable"
                                            : "writable";
  return source.location + " is " + access + " by others than its owner (mode " +
         octal_mode(st.st_mode) + "); chmod 600 it";
}

std::string_view to_string(AlertSinkType type) {
  switch (type) {
    case AlertSinkType::kPagerduty:
      return "pagerduty";
    case AlertSinkType::kOpsgenie:
      return "opsgenie";
    case AlertSinkType::kSplunkOncall:
      return "splunk_oncall";
    case AlertSinkType::kAlertmanager:
      return "alertmanager";
    case AlertSinkType::kSlack:
      return "slack";
    case AlertSinkType::kWebhook:
      return "webhook";
    case AlertSinkType::kFile:
      return "file";
  }
  return "unknown";
}

std::string_view secret_key(AlertSinkType type) {
  switch (type) {
    case AlertSinkType::kPagerduty:
      return "routing_key";
    case AlertSinkType::kOpsgenie:
      return "api_key";
    case AlertSinkType::kSplunkOncall:
      return "url";
    case AlertSinkType::kSlack:
      return "webhook_url";
    case AlertSinkType::kWebhook:
      return "hmac_secret";
    case AlertSinkType::kAlertmanager:
    case AlertSinkType::kFile:
      return "";
  }
  return "";
}

std::string_view secret_name(AlertSinkType type) {
  switch (type) {
    case AlertSinkType::kPagerduty:
      return "routing key";
    case AlertSinkType::kOpsgenie:
      return "API key";
    case AlertSinkType::kSplunkOncall:
      return "URL";
    case AlertSinkType::kSlack:
      return "webhook URL";
    case AlertSinkType::kWebhook:
      return "HMAC secret";
    case AlertSinkType::kAlertmanager:
    case AlertSinkType::kFile:
      return "";
  }
  return "";
}

std::string_view default_url(AlertSinkType type) {
  switch (type) {
    case AlertSinkType::kPagerduty:
      return kPagerdutyEventsUrl;
    case AlertSinkType::kOpsgenie:
      return kOpsgenieApiUrl;
    case AlertSinkType::kSplunkOncall:
    case AlertSinkType::kAlertmanager:
    case AlertSinkType::kSlack:
    case AlertSinkType::kWebhook:
    case AlertSinkType::kFile:
      return "";
  }
  return "";
}

std::string AlertSinkConfig::to_string() const {
  std::string out = name + " (" + std::string(slowscope::to_string(type));
  if (!url.empty() && url != default_url(type)) out += ", " + url;
  if (!path.empty()) out += ", " + path;
  if (min_severity) out += ", min_severity " + *min_severity;
  if (secret) {
    out += ", " + std::string(secret_name(type)) + " from " + secret->to_string();
  } else if (type == AlertSinkType::kWebhook) {
    out += ", unsigned";
  }
  return out + ")";
}

std::string AlertThresholdsConfig::to_string() const {
  std::ostringstream out;
  const auto bar = [&](std::string_view severity, const AlertSeverityBar& b) {
    out << severity << " +" << format_duration(b.added_per_hour.count() * 1'000'000) << "/h and "
        << b.ratio << "x";
  };
  bar("warning", warning);
  out << ", ";
  bar("error", error);
  out << ", ";
  bar("critical", critical);
  return out.str();
}

const std::string& AlertsConfig::min_severity_of(const AlertSinkConfig& sink) const {
  return sink.min_severity ? *sink.min_severity : min_severity;
}

std::vector<std::string> alert_secret_warnings(const AlertsConfig& alerts) {
  std::vector<std::string> warnings;
  for (const AlertSinkConfig& sink : alerts.sinks) {
    if (!sink.secret) continue;
    if (auto warning = secret_file_warning(*sink.secret)) {
      warnings.push_back("alert sink " + sink.name + ": " + *warning);
    }
  }
  return warnings;
}

namespace {

// Why a file sink could not append to `path` now, or nullopt: the file must be writable,
// or, when it does not exist yet, its folder.
std::optional<std::string> unwritable_file_problem(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    if (std::filesystem::is_directory(path, ec)) return path.string() + " is a directory";
    if (::access(path.c_str(), W_OK) != 0) {
      return path.string() + " cannot be written: " + std::strerror(errno);
    }
    return std::nullopt;
  }
  const std::filesystem::path folder = path.parent_path().empty() ? "." : path.parent_path();
  if (!std::filesystem::is_directory(folder, ec)) {
    return "folder " + folder.string() + " of " + path.string() + " does not exist";
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    return "folder " + folder.string() + " of " + path.string() +
           " cannot be written: " + std::strerror(errno);
  }
  return std::nullopt;
}

bool is_http_url(std::string_view text) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (text.size() > scheme.size() && text.starts_with(scheme)) return true;
  }
  return false;
}

}  // namespace

void check_alert_sinks(const AlertsConfig& alerts) {
  for (const AlertSinkConfig& sink : alerts.sinks) {
    const std::string place = "alert sink " + sink.name + ": ";
    if (sink.secret) {
      std::string secret;
      try {
        secret = read_secret(*sink.secret);
      } catch (const ConfigError& e) {
        throw ConfigError(place + std::string(secret_name(sink.type)) + ": " + e.what());
      }
      const bool is_url =
          sink.type == AlertSinkType::kSplunkOncall || sink.type == AlertSinkType::kSlack;
      if (is_url && !is_http_url(secret)) {
        throw ConfigError(place + std::string(secret_name(sink.type)) + " from " +
                          sink.secret->to_string() +
                          " is not an http:// or https:// URL (not shown: it holds keys)");
      }
    }
    if (sink.type == AlertSinkType::kFile) {
      if (const auto problem = unwritable_file_problem(sink.path)) {
        throw ConfigError(place + *problem);
      }
    }
  }
}

}  // namespace slowscope
