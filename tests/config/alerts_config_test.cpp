// The `alerts:` section of slowscope.yaml: every sink type and its keys, the defaults, the
// thresholds' order, and secrets that stay out of the file, the Config values and every
// message — read from real files and environment variables only when asked.
#include "analyzer/config/alerts_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/config/config.h"

namespace slowscope {
namespace {

using std::chrono::seconds;
constexpr size_t npos = std::string::npos;

// A private temporary folder with helpers to put files in it.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/slowscope-alerts-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) const {
    const auto file = path_ / name;
    std::ofstream(file) << text;
    ::chmod(file.c_str(), mode);
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

// An environment variable set for one test, put back as it was afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

Config parse(const std::string& yaml, const std::filesystem::path& base = "/etc/slowscope") {
  return parse_config(yaml, "test.yaml", base);
}

// The message parse() throws, or "" when it does not.
std::string error_of(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// The message check_collectable() throws for `config`, or "" when it does not.
std::string collect_error_of(const Config& config) {
  try {
    check_collectable(config);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// The example of the issue and docs/REGRESSION.md, with a target so that collect takes it.
const std::string kExample = R"(
targets:
  - {name: orders, engine: postgres, dsn: "dbname=orders"}
alerts:
  min_severity: warning
  report_url: https://reports.example/slowscope/latest.html
  thresholds:
    warning:  {added_per_hour: 1m,  ratio: 1.5}
    error:    {added_per_hour: 10m, ratio: 2}
    critical: {added_per_hour: 30m, ratio: 4}
  sinks:
    - {name: oncall,  type: pagerduty,     routing_key_file: /etc/slowscope/pagerduty.key}
    - {name: ops,     type: opsgenie,      api_key_file: /etc/slowscope/opsgenie.key}
    - {name: victor,  type: splunk_oncall, url_file: /etc/slowscope/victorops.url}
    - {name: am,      type: alertmanager,  url: http://127.0.0.1:9093}
    - {name: chat,    type: slack,         webhook_url_file: /etc/slowscope/slack.url}
    - {name: hook,    type: webhook,       url: https://hooks.example/slowscope, hmac_secret_file: /etc/slowscope/hook.key}
    - {name: log,     type: file,          path: ./slowscope-alerts.jsonl}
)";

SecretSource file_secret(const std::string& path) {
  return SecretSource{SecretSource::Kind::kFile, path};
}
SecretSource env_secret(const std::string& name) {
  return SecretSource{SecretSource::Kind::kEnv, name};
}

TEST(AlertsConfig, EverySinkTypeOfTheExampleParses) {
  const Config c = parse(kExample);
  ASSERT_TRUE(c.alerts.has_value());
  const AlertsConfig& a = *c.alerts;
  EXPECT_EQ(a.min_severity, "warning");
  EXPECT_EQ(a.report_url, "https://reports.example/slowscope/latest.html");
  EXPECT_EQ(a.thresholds, AlertThresholdsConfig{});
  ASSERT_EQ(a.sinks.size(), 7u);

  const AlertSinkConfig& oncall = a.sinks[0];
  EXPECT_EQ(oncall.name, "oncall");
  EXPECT_EQ(oncall.type, AlertSinkType::kPagerduty);
  EXPECT_EQ(oncall.url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(oncall.secret, file_secret("/etc/slowscope/pagerduty.key"));
  EXPECT_FALSE(oncall.min_severity.has_value());
  EXPECT_EQ(a.min_severity_of(oncall), "warning");

  EXPECT_EQ(a.sinks[1].type, AlertSinkType::kOpsgenie);
  EXPECT_EQ(a.sinks[1].url, "https://api.opsgenie.com");
  EXPECT_EQ(a.sinks[1].secret, file_secret("/etc/slowscope/opsgenie.key"));

  EXPECT_EQ(a.sinks[2].type, AlertSinkType::kSplunkOncall);
  EXPECT_EQ(a.sinks[2].url, "");  // the URL holds keys: it is the secret
  EXPECT_EQ(a.sinks[2].secret, file_secret("/etc/slowscope/victorops.url"));

  EXPECT_EQ(a.sinks[3].type, AlertSinkType::kAlertmanager);
  EXPECT_EQ(a.sinks[3].url, "http://127.0.0.1:9093");
  EXPECT_FALSE(a.sinks[3].secret.has_value());

  EXPECT_EQ(a.sinks[4].type, AlertSinkType::kSlack);
  EXPECT_EQ(a.sinks[4].url, "");
  EXPECT_EQ(a.sinks[4].secret, file_secret("/etc/slowscope/slack.url"));

  EXPECT_EQ(a.sinks[5].type, AlertSinkType::kWebhook);
  EXPECT_EQ(a.sinks[5].url, "https://hooks.example/slowscope");
  EXPECT_EQ(a.sinks[5].secret, file_secret("/etc/slowscope/hook.key"));

  EXPECT_EQ(a.sinks[6].type, AlertSinkType::kFile);
  EXPECT_EQ(a.sinks[6].path, "/etc/slowscope/slowscope-alerts.jsonl");  // next to the file
  EXPECT_FALSE(a.sinks[6].secret.has_value());

  // What `config check` lists: where each secret is, never what.
  const char* descriptions[] = {
      "oncall (pagerduty, routing key from /etc/slowscope/pagerduty.key)",
      "ops (opsgenie, API key from /etc/slowscope/opsgenie.key)",
      "victor (splunk_oncall, URL from /etc/slowscope/victorops.url)",
      "am (alertmanager, http://127.0.0.1:9093)",
      "chat (slack, webhook URL from /etc/slowscope/slack.url)",
      "hook (webhook, https://hooks.example/slowscope, HMAC secret from /etc/slowscope/hook.key)",
      "log (file, /etc/slowscope/slowscope-alerts.jsonl)",
  };
  for (size_t i = 0; i < a.sinks.size(); ++i) EXPECT_EQ(a.sinks[i].to_string(), descriptions[i]);
}

TEST(AlertsConfig, SinksTakeTheirOwnSeverityUrlAndEnvironmentSecrets) {
  const AlertsConfig a = *parse(R"(
alerts:
  min_severity: error
  sinks:
    - {name: pd.eu, type: pagerduty, routing_key: "env:PD_KEY", min_severity: critical,
       url: "https://events.eu.pagerduty.com/v2/enqueue"}
    - {name: ops-eu, type: opsgenie, api_key: env:OPSGENIE_API_KEY, url: https://api.eu.opsgenie.com}
    - {name: victor, type: splunk_oncall, url: env:VICTOROPS_URL}
    - {name: chat_1, type: slack, webhook_url: env:SLACK_URL, min_severity: info}
    - {name: hook, type: webhook, url: http://127.0.0.1:8080/in}
    - {name: log, type: file, path: alerts/events.jsonl}
    - {name: keys, type: webhook, url: https://x.example/, hmac_secret_file: keys/hook.key}
)")
                              .alerts;
  EXPECT_EQ(a.min_severity, "error");
  EXPECT_EQ(a.sinks[0].url, "https://events.eu.pagerduty.com/v2/enqueue");
  EXPECT_EQ(a.sinks[0].secret, env_secret("PD_KEY"));
  EXPECT_EQ(a.min_severity_of(a.sinks[0]), "critical");
  EXPECT_EQ(a.sinks[0].to_string(),
            "pd.eu (pagerduty, https://events.eu.pagerduty.com/v2/enqueue, min_severity "
            "critical, routing key from env:PD_KEY)");
  EXPECT_EQ(a.sinks[1].url, "https://api.eu.opsgenie.com");
  EXPECT_EQ(a.sinks[1].secret, env_secret("OPSGENIE_API_KEY"));
  EXPECT_EQ(a.sinks[2].secret, env_secret("VICTOROPS_URL"));
  EXPECT_EQ(a.min_severity_of(a.sinks[2]), "error");
  EXPECT_EQ(a.sinks[3].secret, env_secret("SLACK_URL"));
  EXPECT_EQ(a.min_severity_of(a.sinks[3]), "info");
  EXPECT_FALSE(a.sinks[4].secret.has_value());
  EXPECT_EQ(a.sinks[4].to_string(), "hook (webhook, http://127.0.0.1:8080/in, unsigned)");
  // Relative paths are the config file's folder's, as everywhere in the file.
  EXPECT_EQ(a.sinks[5].path, "/etc/slowscope/alerts/events.jsonl");
  EXPECT_EQ(a.sinks[6].secret, file_secret("/etc/slowscope/keys/hook.key"));
}

TEST(AlertsConfig, DefaultsWhereTheSectionIsSilent) {
  EXPECT_FALSE(parse("").alerts.has_value());
  EXPECT_FALSE(parse("interval: 60s\n").alerts.has_value());

  const AlertsConfig a =
      *parse("alerts:\n  sinks: [{name: log, type: file, path: a.jsonl}]\n").alerts;
  EXPECT_EQ(a.min_severity, "warning");
  EXPECT_EQ(a.report_url, "");
  EXPECT_EQ(a.thresholds.warning.added_per_hour, seconds(60));
  EXPECT_EQ(a.thresholds.warning.ratio, 1.5);
  EXPECT_EQ(a.thresholds.error.added_per_hour, seconds(600));
  EXPECT_EQ(a.thresholds.error.ratio, 2);
  EXPECT_EQ(a.thresholds.critical.added_per_hour, seconds(1800));
  EXPECT_EQ(a.thresholds.critical.ratio, 4);
  EXPECT_EQ(a.thresholds.to_string(),
            "warning +1m/h and 1.5x, error +10m/h and 2x, critical +30m/h and 4x");
}

TEST(AlertsConfig, ThresholdsAreSpansAndRatiosInOrder) {
  const AlertThresholdsConfig t = parse(
                                      "alerts:\n"
                                      "  thresholds:\n"
                                      "    warning: {added_per_hour: 90s, ratio: 1.2}\n"
                                      "    critical: {ratio: 8}\n"
                                      "  sinks: [{name: log, type: file, path: a.jsonl}]\n")
                                      .alerts->thresholds;
  EXPECT_EQ(t.warning.added_per_hour, seconds(90));
  EXPECT_EQ(t.warning.ratio, 1.2);
  EXPECT_EQ(t.error, AlertThresholdsConfig{}.error);  // keys left out keep their defaults
  EXPECT_EQ(t.critical.added_per_hour, seconds(1800));
  EXPECT_EQ(t.critical.ratio, 8);
  // Equal bars are in order.
  EXPECT_EQ(error_of("alerts:\n  thresholds:\n    error: {added_per_hour: 1m, ratio: 1.5}\n"
                     "  sinks: [{name: log, type: file, path: a.jsonl}]\n"),
            "");
}

struct BadCase {
  const char* yaml;
  const char* message;  // expected fragment, with line and column
};

TEST(AlertsConfig, BadSectionsSayWhereAndWhat) {
  const std::string sinks = "  sinks: [{name: log, type: file, path: a.jsonl}]\n";
  const std::string thresholds = "alerts:\n" + sinks + "  thresholds:\n";
  const BadCase cases[] = {
      {"alerts:\n",
       "test.yaml:2:1: alerts: expected a mapping with keys min_severity, report_url, "
       "timeout, thresholds, sinks"},
      {"alerts:\n  timeout: 0s\n  sinks: [{name: log, type: file, path: a.jsonl}]\n",
       "test.yaml:2:12: alerts.timeout: must be at least 1s, got '0s'"},
      {"alerts:\n  timeout: 10m\n  sinks: [{name: log, type: file, path: a.jsonl}]\n",
       "test.yaml:2:12: alerts.timeout: must be between 1s and 5m"},
      {"alerts: {min_severity: warning}\n",
       "test.yaml:1:9: alerts: missing key 'sinks' (the receivers of alerts)"},
      {"alerts: {sinks: []}\n",
       "test.yaml:1:17: alerts.sinks: no sinks: give at least one, or leave out the alerts "
       "section"},
      {"alerts: {sinks: oncall}\n", "test.yaml:1:17: alerts.sinks: expected a list of sinks"},
      {"alerts:\n  min_severty: error\n",
       "test.yaml:2:3: alerts: unknown key 'min_severty' (did you mean 'min_severity'?)"},
      {"alerts:\n  min_severity: warn\n",
       "test.yaml:2:17: alerts.min_severity: expected info, warning, error or critical, got "
       "'warn'"},
      {"alerts:\n  report_url: reports.example/latest.html\n",
       "test.yaml:2:15: alerts.report_url: expected an http:// or https:// URL, got "
       "'reports.example/latest.html'"},
      {"alerts:\n  sinks:\n    - {name: oncall, type: pagerduty, routing_key_fil: /k}\n",
       "test.yaml:3:39: alerts.sinks[0]: unknown key 'routing_key_fil' (did you mean "
       "'routing_key_file'?)"},
      {"alerts:\n  sinks:\n    - {name: oncall, type: pager_duty}\n",
       "test.yaml:3:28: alerts.sinks[0].type: expected pagerduty, opsgenie, splunk_oncall, "
       "alertmanager, slack, webhook or file, got 'pager_duty' (did you mean 'pagerduty'?)"},
      {"alerts:\n  sinks:\n    - {name: oncall}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'type' (pagerduty, opsgenie,"},
      {"alerts:\n  sinks:\n    - {type: file, path: a}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'name'"},
      {"alerts:\n  sinks:\n    - {name: On-Call, type: file, path: a}\n",
       "test.yaml:3:14: alerts.sinks[0].name: 'On-Call' must match [a-z0-9][a-z0-9_.-]*"},
      {"alerts:\n  sinks:\n    - {name: log, type: file, path: a}\n"
       "    - {name: log, type: file, path: b}\n",
       "test.yaml:4:14: alerts.sinks[1].name: duplicate sink name 'log' (first at line 3)"},
      {"alerts:\n  sinks:\n    - {name: log, type: file, path: a, min_severity: high}\n",
       "test.yaml:3:54: alerts.sinks[0].min_severity: expected info, warning, error or critical"},
      {"alerts:\n  sinks:\n    - {name: oncall, type: pagerduty}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'routing_key_file' or 'routing_key: "
       "env:NAME' (the routing key of pagerduty)"},
      {"alerts:\n  sinks:\n    - {name: ops, type: opsgenie}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'api_key_file' or 'api_key: env:NAME' (the "
       "API key of opsgenie)"},
      {"alerts:\n  sinks:\n    - {name: victor, type: splunk_oncall}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'url_file' or 'url: env:NAME' (the URL of "
       "splunk_oncall)"},
      {"alerts:\n  sinks:\n    - {name: chat, type: slack}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'webhook_url_file' or 'webhook_url: "
       "env:NAME' (the webhook URL of slack)"},
      {"alerts:\n  sinks:\n    - {name: am, type: alertmanager}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'url' (Alertmanager's address"},
      {"alerts:\n  sinks:\n    - {name: hook, type: webhook}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'url' (where the events are POSTed)"},
      {"alerts:\n  sinks:\n    - {name: log, type: file}\n",
       "test.yaml:3:7: alerts.sinks[0]: missing key 'path'"},
      {"alerts:\n  sinks:\n    - {name: chat, type: slack, url_file: /k}\n",
       "test.yaml:3:33: alerts.sinks[0].url_file: not a key of type slack, which takes name, "
       "type, min_severity, webhook_url_file, webhook_url"},
      {"alerts:\n  sinks:\n    - {name: am, type: alertmanager, url: http://a, path: x}\n",
       "test.yaml:3:53: alerts.sinks[0].path: not a key of type alertmanager"},
      {"alerts:\n  sinks:\n    - {name: am, type: alertmanager, url: 127.0.0.1:9093}\n",
       "test.yaml:3:43: alerts.sinks[0].url: expected an http:// or https:// URL, got "
       "'127.0.0.1:9093'"},
      {"alerts:\n  sinks:\n    - {name: pd, type: pagerduty, routing_key_file: /k, "
       "routing_key: env:K}\n",
       "test.yaml:3:35: alerts.sinks[0].routing_key_file: give routing_key_file or routing_key, "
       "not both"},
      {"alerts:\n  sinks:\n    - {name: pd, type: pagerduty, routing_key: \"env:\"}\n",
       "test.yaml:3:48: alerts.sinks[0].routing_key: env: takes the name of an environment "
       "variable"},
      {"alerts:\n  sinks:\n    - {name: pd, type: pagerduty, routing_key: env:9KEY}\n",
       "alerts.sinks[0].routing_key: env: takes the name of an environment variable"},
  };
  for (const BadCase& c : cases) {
    const std::string message = error_of(c.yaml);
    EXPECT_NE(message.find(c.message), npos)
        << "yaml:\n"
        << c.yaml << "\nmessage: " << message << "\nexpected: " << c.message;
  }

  // Thresholds: spans by the span rules, ratios above 1, each bar at least the one below.
  const BadCase threshold_cases[] = {
      {"    warning: {added_per_hour: soon}\n",
       "test.yaml:4:31: alerts.thresholds.warning.added_per_hour: expected a duration such as "
       "60s, 5m, 12h or 7d, got 'soon'"},
      {"    warning: {added_per_hour: 0s}\n",
       "test.yaml:4:31: alerts.thresholds.warning.added_per_hour: must be at least 1s"},
      {"    warning: {ratio: 1}\n",
       "test.yaml:4:22: alerts.thresholds.warning.ratio: expected a number above 1 and below "
       "1e+06, got '1'"},
      {"    warning: {rate: 2}\n",
       "test.yaml:4:15: alerts.thresholds.warning: unknown key 'rate' (did you mean 'ratio'?)"},
      {"    major: {ratio: 2}\n",
       "test.yaml:4:5: alerts.thresholds: unknown key 'major'; expected one of warning, error, "
       "critical"},
      {"    warning: {added_per_hour: 20m}\n",
       "test.yaml:4:14: alerts.thresholds: error.added_per_hour (10m) is below warning's (20m); "
       "each severity's bar must be at least the one below it (warning <= error <= critical)"},
      {"    error: {ratio: 5}\n",
       "test.yaml:4:12: alerts.thresholds: critical.ratio (4) is below error's (5)"},
      {"    error: {ratio: 3}\n    critical: {ratio: 2.5}\n",
       "test.yaml:5:15: alerts.thresholds: critical.ratio (2.5) is below error's (3)"},
      {"    critical: {added_per_hour: 5m}\n",
       "test.yaml:4:15: alerts.thresholds: critical.added_per_hour (5m) is below error's (10m)"},
  };
  for (const BadCase& c : threshold_cases) {
    const std::string yaml = thresholds + c.yaml;
    const std::string message = error_of(yaml);
    EXPECT_NE(message.find(c.message), npos)
        << "yaml:\n"
        << yaml << "\nmessage: " << message << "\nexpected: " << c.message;
  }
}

TEST(AlertsConfig, ASecretWrittenInTheFileIsRefusedWithoutShowingIt) {
  struct SecretCase {
    const char* sink;  // the sink, with SECRET where the literal secret is
    const char* key;
    bool written_in_file;  // else: under a key of another type
  };
  const SecretCase cases[] = {
      {"{name: a, type: pagerduty, routing_key: SECRET}", "routing_key", true},
      {"{name: a, type: opsgenie, api_key: SECRET}", "api_key", true},
      {"{name: a, type: splunk_oncall, url: \"https://alert.victorops.com/x/SECRET/route\"}", "url",
       true},
      {"{name: a, type: slack, webhook_url: \"https://hooks.slack.com/services/SECRET\"}",
       "webhook_url", true},
      {"{name: a, type: webhook, url: \"https://h.example/\", hmac_secret: SECRET}", "hmac_secret",
       true},
      // A secret under a key its type does not take is not shown either.
      {"{name: a, type: pagerduty, api_key: SECRET, routing_key_file: /k}", "api_key", false},
  };
  const std::string secret = "R0utingK3yValue";
  for (const SecretCase& c : cases) {
    std::string sink = c.sink;
    sink.replace(sink.find("SECRET"), 6, secret);
    const std::string message = error_of("alerts:\n  sinks:\n    - " + sink + "\n");
    EXPECT_NE(message.find("test.yaml:3:"), npos) << message;
    EXPECT_NE(message.find(std::string("alerts.sinks[0].") + c.key + ": "), npos) << message;
    EXPECT_EQ(message.find(secret), npos) << message;
    if (c.written_in_file) {
      EXPECT_NE(message.find(std::string("a secret is not written in the file: give ") + c.key +
                             "_file: PATH (a file only slowscope's user may read) or " + c.key +
                             ": env:NAME"),
                npos)
          << message;
    }
  }
  // Neither is an env: with something that is no variable's name.
  const std::string bad_env = error_of(
      "alerts:\n  sinks:\n    - {name: a, type: opsgenie, api_key: \"env:" + secret + "/x\"}\n");
  EXPECT_NE(bad_env.find("env: takes the name of an environment variable"), npos) << bad_env;
  EXPECT_EQ(bad_env.find(secret), npos) << bad_env;
}

TEST(AlertsConfig, ReadSecretReadsTheFirstLineOrTheVariable) {
  TempDir dir;
  EXPECT_EQ(read_secret(file_secret(dir.write("crlf.key", "k3y-one\r\nsecond line\n"))), "k3y-one");
  EXPECT_EQ(read_secret(file_secret(dir.write("bare.key", "k3y-two"))), "k3y-two");

  const ScopedEnv set("SLOWSCOPE_TEST_ALERT_KEY", "env-k3y");
  EXPECT_EQ(read_secret(env_secret("SLOWSCOPE_TEST_ALERT_KEY")), "env-k3y");
}

// The message read_secret() throws for `source`, or "" when it does not.
std::string secret_error_of(const SecretSource& source) {
  try {
    read_secret(source);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(AlertsConfig, ReadSecretNamesWhatItCouldNotRead) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing.key").string();
  EXPECT_EQ(secret_error_of(file_secret(missing)),
            "secret file " + missing + ": No such file or directory");
  EXPECT_EQ(secret_error_of(file_secret(dir.path().string())),
            "secret file " + dir.path().string() + " is not a regular file");
  const std::string empty = dir.write("empty.key", "\nsecond-line-s3cret\n");
  EXPECT_EQ(secret_error_of(file_secret(empty)),
            "secret file " + empty + " is empty (the secret is its first line)");

  const ScopedEnv unset("SLOWSCOPE_TEST_UNSET_KEY", nullptr);
  EXPECT_EQ(secret_error_of(env_secret("SLOWSCOPE_TEST_UNSET_KEY")),
            "environment variable SLOWSCOPE_TEST_UNSET_KEY is not set");
  const ScopedEnv blank("SLOWSCOPE_TEST_EMPTY_KEY", "");
  EXPECT_EQ(secret_error_of(env_secret("SLOWSCOPE_TEST_EMPTY_KEY")),
            "environment variable SLOWSCOPE_TEST_EMPTY_KEY is empty");

  // A file this process may not read (only as a user other than root: root reads any file;
  // the CLI test runs that case as nobody).
  if (::geteuid() != 0) {
    const std::string locked = dir.write("locked.key", "l0cked-s3cret\n", 0000);
    const std::string message = secret_error_of(file_secret(locked));
    EXPECT_EQ(message, "secret file " + locked + ": cannot open: Permission denied");
  }
}

TEST(AlertsConfig, SecretFilesOthersMayReadOrWriteAreWarnedAbout) {
  TempDir dir;
  const std::string open = dir.write("open.key", "k\n", 0644);
  const std::string group = dir.write("group.key", "k\n", 0640);
  const std::string writable = dir.write("writable.key", "k\n", 0620);
  const std::string both = dir.write("both.key", "k\n", 0666);
  const std::string owner_only = dir.write("owner.key", "k\n", 0600);
  EXPECT_EQ(secret_file_warning(file_secret(open)),
            open + " is readable by others than its owner (mode 0644); chmod 600 it");
  EXPECT_EQ(secret_file_warning(file_secret(group)),
            group + " is readable by others than its owner (mode 0640); chmod 600 it");
  EXPECT_EQ(secret_file_warning(file_secret(writable)),
            writable + " is writable by others than its owner (mode 0620); chmod 600 it");
  EXPECT_EQ(secret_file_warning(file_secret(both)),
            both + " is readable and writable by others than its owner (mode 0666); chmod 600 it");
  EXPECT_EQ(secret_file_warning(file_secret(owner_only)), std::nullopt);
  EXPECT_EQ(secret_file_warning(env_secret("HOME")), std::nullopt);
  EXPECT_EQ(secret_file_warning(file_secret((dir.path() / "missing").string())), std::nullopt);
}

TEST(AlertsConfig, CollectNeedsEverySinksSecretAndWarnsAboutOpenFiles) {
  TempDir dir;
  dir.write("pagerduty.key", "pd-k3y\n", 0644);
  dir.write("hook.key", "hook-k3y\n", 0600);
  dir.write("victorops.url", "https://alert.victorops.com/integrations/x/k3y/route\n", 0600);
  const std::string yaml =
      "targets: [{name: orders, engine: postgres, dsn: \"dbname=orders\"}]\n"
      "alerts:\n"
      "  sinks:\n"
      "    - {name: oncall, type: pagerduty, routing_key_file: pagerduty.key}\n"
      "    - {name: hook, type: webhook, url: https://h.example/, hmac_secret_file: hook.key}\n"
      "    - {name: victor, type: splunk_oncall, url_file: victorops.url}\n"
      "    - {name: chat, type: slack, webhook_url: env:SLOWSCOPE_TEST_SLACK_URL}\n"
      "    - {name: log, type: file, path: out/alerts.jsonl}\n";
  std::filesystem::create_directory(dir.path() / "out");
  const ScopedEnv slack("SLOWSCOPE_TEST_SLACK_URL", "https://hooks.slack.com/services/k3y");
  const Config config = parse(yaml, dir.path());
  const std::vector<std::string> warnings = check_collectable(config);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "alert sink oncall: " + (dir.path() / "pagerduty.key").string() +
                             " is readable by others than its owner (mode 0644); chmod 600 it");

  // Each of these makes collect refuse to start, naming the sink, never the secret.
  {
    const ScopedEnv unset("SLOWSCOPE_TEST_SLACK_URL", nullptr);
    EXPECT_EQ(collect_error_of(config),
              "alert sink chat: webhook URL: environment variable SLOWSCOPE_TEST_SLACK_URL is "
              "not set");
  }
  {
    const ScopedEnv not_a_url("SLOWSCOPE_TEST_SLACK_URL", "hooks.slack.com/services/k3y");
    const std::string message = collect_error_of(config);
    EXPECT_EQ(message,
              "alert sink chat: webhook URL from env:SLOWSCOPE_TEST_SLACK_URL is not an http:// "
              "or https:// URL (not shown: it holds keys)");
  }
  std::filesystem::remove(dir.path() / "hook.key");
  EXPECT_EQ(collect_error_of(config), "alert sink hook: HMAC secret: secret file " +
                                          (dir.path() / "hook.key").string() +
                                          ": No such file or directory");
  dir.write("hook.key", "hook-k3y\n", 0600);
  std::filesystem::remove(dir.path() / "out");
  EXPECT_EQ(collect_error_of(config), "alert sink log: folder " + (dir.path() / "out").string() +
                                          " of " + (dir.path() / "out/alerts.jsonl").string() +
                                          " does not exist");
  std::filesystem::create_directories(dir.path() / "out/alerts.jsonl");
  EXPECT_EQ(collect_error_of(config),
            "alert sink log: " + (dir.path() / "out/alerts.jsonl").string() + " is a directory");
  std::filesystem::remove(dir.path() / "out/alerts.jsonl");
  EXPECT_EQ(collect_error_of(config), "");
}

TEST(AlertsConfig, NamesOfTypesSecretsAndDefaults) {
  EXPECT_EQ(to_string(AlertSinkType::kSplunkOncall), "splunk_oncall");
  EXPECT_EQ(secret_key(AlertSinkType::kSlack), "webhook_url");
  EXPECT_EQ(secret_key(AlertSinkType::kFile), "");
  EXPECT_EQ(secret_name(AlertSinkType::kOpsgenie), "API key");
  EXPECT_EQ(default_url(AlertSinkType::kPagerduty), "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(default_url(AlertSinkType::kWebhook), "");
  EXPECT_EQ(alert_severity_rank("info"), 0);
  EXPECT_EQ(alert_severity_rank("critical"), 3);
  EXPECT_EQ(alert_severity_rank("fatal"), -1);
}

}  // namespace
}  // namespace slowscope
