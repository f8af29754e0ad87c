#include "analyzer/config/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/config/dsn.h"
#include "analyzer/config/password_file.h"
#include "analyzer/config/setting_rules.h"
#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;

// A private temporary folder with helpers to put files in it.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/slowscope-config-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& name, const std::string& text,
                              mode_t mode = 0600) const {
    const auto file = path_ / name;
    std::ofstream(file) << text;
    chmod(file.c_str(), mode);
    return file;
  }

 private:
  std::filesystem::path path_;
};

Config parse(const std::string& yaml, const std::filesystem::path& base = "/etc/slowscope") {
  return parse_config(yaml, "test.yaml", base);
}

// The message parse() throws, or "" when it does not.
std::string error_of(const std::string& yaml,
                     const std::filesystem::path& base = "/etc/slowscope") {
  try {
    parse(yaml, base);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, EmptyFileMeansDefaults) {
  const Config c = parse("");
  EXPECT_EQ(c.store.kind, StoreLocation::Kind::kSqlite);
  EXPECT_EQ(c.store.address, "/etc/slowscope/slowscope.db");
  EXPECT_EQ(c.interval, seconds(60));
  EXPECT_EQ(c.retention.raw, days(7));
  EXPECT_EQ(c.retention.hourly, days(90));
  EXPECT_EQ(c.retention.daily, days(730));
  EXPECT_EQ(c.detection, DetectionConfig{});
  EXPECT_TRUE(c.detection.enabled);
  EXPECT_TRUE(c.targets.empty());
}

TEST(Config, LiteralExamplesAreKeptOnlyForATargetThatOptsIn) {
  const Config c = parse(
      "targets:\n"
      "  - {name: a, engine: postgres, dsn: \"dbname=a\"}\n"
      "  - {name: b, engine: postgres, dsn: \"dbname=b\", examples: true}\n");
  EXPECT_FALSE(c.targets[0].examples);
  EXPECT_TRUE(c.targets[1].examples);
  EXPECT_EQ(error_of("targets:\n  - {name: a, engine: postgres, dsn: \"dbname=a\", examples: "
                     "sometimes}\n"),
            "test.yaml:2:60: targets[0].examples: expected true or false, got 'sometimes'");
}

TEST(Config, ReadsTheDetectionSettings) {
  const DetectionConfig d =
      parse("detection: {enabled: false, every: 3, window: 5m, baseline: 2d, resolve_after: 4}\n")
          .detection;
  EXPECT_FALSE(d.enabled);
  EXPECT_EQ(d.every_cycles, 3);
  EXPECT_EQ(d.window, seconds(300));
  EXPECT_EQ(d.baseline, days(2));
  EXPECT_EQ(d.resolve_after, 4);
  // Keys left out keep their defaults.
  EXPECT_EQ(parse("detection: {window: 10m}\n").detection.baseline, days(7));
  EXPECT_EQ(parse("detection: {window: 10m}\n").detection.baseline_mode, "same-hours");
  EXPECT_FALSE(parse("detection: {window: 10m}\n").detection.min_ratio.has_value());

  const DetectionConfig t = parse(
                                "detection: {baseline_mode: previous, min_ratio: 1.3, "
                                "min_delta: 0.5ms, fdr: 0.05, min_calls: 50}\n")
                                .detection;
  EXPECT_EQ(t.baseline_mode, "previous");
  EXPECT_EQ(t.min_ratio, 1.3);
  EXPECT_EQ(t.min_delta, std::chrono::microseconds(500));
  EXPECT_EQ(t.fdr, 0.05);
  EXPECT_EQ(t.min_calls, 50);
  EXPECT_EQ(t.trend_days, 14);
  EXPECT_EQ(parse("detection: {trend_days: 30}\n").detection.trend_days, 30);
  EXPECT_EQ(parse("detection: {trend_days: 0}\n").detection.trend_days, 0);
}

TEST(Config, ATargetsDetectionKeysGoOnTopOfTheFilesSection) {
  // The section may come after the targets: they still start from it.
  const Config c = parse(
      "targets:\n"
      "  - {name: orders, engine: postgres, dsn: \"dbname=orders\",\n"
      "     detection: {min_ratio: 2, every: 5}}\n"
      "  - {name: batch, engine: postgres, dsn: \"dbname=batch\", detection: {enabled: false}}\n"
      "  - {name: shop, engine: postgres, dsn: \"dbname=shop\"}\n"
      "detection: {window: 10m, min_ratio: 1.3}\n");
  ASSERT_EQ(c.targets.size(), 3u);
  const DetectionConfig& orders = c.targets[0].detection;
  EXPECT_EQ(orders.min_ratio, 2.0);
  EXPECT_EQ(orders.every_cycles, 5);
  EXPECT_EQ(orders.window, seconds(600));  // from the file's section
  EXPECT_FALSE(c.targets[1].detection.enabled);
  EXPECT_EQ(c.targets[1].detection.min_ratio, 1.3);
  EXPECT_EQ(c.targets[2].detection, c.detection);
  EXPECT_EQ(c.detection.min_ratio, 1.3);

  // What `config check` prints for each target.
  EXPECT_EQ(c.targets[0].detection.to_string(),
            "every 5 cycles: the last 10m against the same hours of the 7d before; resolve "
            "after 5 clean passes; daily trends over 14 days; min_ratio 2");
  EXPECT_EQ(c.targets[1].detection.to_string(), "off");
  EXPECT_EQ(parse("detection: {baseline_mode: previous, baseline: 36h, min_delta: 0.5ms, fdr: "
                  "0.05, min_calls: 50, trend_days: 0}\n")
                .detection.to_string(),
            "every cycle: the last 15m against the 36h before; resolve after 5 clean passes; "
            "no trends; min_delta 0.5ms; fdr 0.05; min_calls 50");
}

TEST(Config, ReadsAFullFile) {
  TempDir dir;
  dir.write("orders.pass", "s3cret\n");
  dir.write("my.cnf", "[client]\npassword=x\n");
  const Config c = parse(R"(
store: postgresql://slowscope@db.internal/history
interval: 30s
retention: {raw: 2d, hourly: 30d}
targets:
  - name: orders
    engine: postgres
    dsn: "host=/var/run/postgresql dbname=orders user=slowscope"
    password_file: orders.pass
  - name: shop-eu.1
    engine: mysql
    source: performance_schema
    host: 127.0.0.1
    port: 3307
    user: monitor
    defaults_file: my.cnf
  - name: legacy_mysql
    engine: mysql
    source: slow_log_file
    slow_log: /var/log/mysql/slow.log
)",
                         dir.path());
  EXPECT_EQ(c.store.kind, StoreLocation::Kind::kPostgres);
  EXPECT_EQ(c.store.address, "postgresql://slowscope@db.internal/history");
  EXPECT_EQ(c.interval, seconds(30));
  EXPECT_EQ(c.retention.raw, days(2));
  EXPECT_EQ(c.retention.hourly, days(30));
  EXPECT_EQ(c.retention.daily, days(730));
  ASSERT_EQ(c.targets.size(), 3u);

  const TargetConfig& orders = c.targets[0];
  EXPECT_EQ(orders.name, "orders");
  EXPECT_EQ(orders.engine, Engine::kPostgres);
  EXPECT_EQ(orders.dsn, "host=/var/run/postgresql dbname=orders user=slowscope");
  EXPECT_EQ(orders.password_file, (dir.path() / "orders.pass").string());

  const TargetConfig& shop = c.targets[1];
  EXPECT_EQ(shop.engine, Engine::kMysql);
  EXPECT_EQ(shop.mysql.source, MysqlSource::kPerformanceSchema);
  EXPECT_EQ(shop.mysql.host, "127.0.0.1");
  EXPECT_EQ(shop.mysql.port, 3307);
  EXPECT_EQ(shop.mysql.user, "monitor");
  EXPECT_EQ(shop.mysql.defaults_file, (dir.path() / "my.cnf").string());

  const TargetConfig& legacy = c.targets[2];
  EXPECT_EQ(legacy.mysql.source, MysqlSource::kSlowLogFile);
  EXPECT_EQ(legacy.mysql.slow_log, "/var/log/mysql/slow.log");

  EXPECT_EQ(c.find_target("shop-eu.1"), &c.targets[1]);
  EXPECT_EQ(c.find_target("nope"), nullptr);
}

TEST(Config, RelativeSqlitePathIsRelativeToTheFile) {
  EXPECT_EQ(parse("store: sqlite:./data/s.db\n").store.address, "/etc/slowscope/data/s.db");
  EXPECT_EQ(parse("store: sqlite:/var/lib/s.db\n").store.address, "/var/lib/s.db");
  EXPECT_EQ(parse("store: \"sqlite::memory:\"\n").store.address, ":memory:");
}

TEST(Config, IntervalAcceptsBareSecondsAndUnits) {
  EXPECT_EQ(parse("interval: 90\n").interval, seconds(90));
  EXPECT_EQ(parse("interval: 5m\n").interval, seconds(300));
  EXPECT_EQ(parse("interval: 1s\n").interval, seconds(1));
}

struct BadCase {
  const char* yaml;
  const char* message;  // expected fragment, with line and column
};

TEST(Config, BadFilesSayWhereAndWhat) {
  const BadCase cases[] = {
      {"store: [sqlite\n", "test.yaml:2:1: invalid YAML: "},
      {"intervall: 60s\n", "test.yaml:1:1: unknown key 'intervall' (did you mean 'interval'?)"},
      {"colour: blue\n",
       "test.yaml:1:1: unknown key 'colour'; expected one of store, interval, retention, "
       "detection, targets"},
      {"detection: {enabled: maybe}\n",
       "test.yaml:1:22: detection.enabled: expected true or false, got 'maybe'"},
      {"detection: {every: 0}\n",
       "test.yaml:1:20: detection.every: expected a whole number of at least 1, got '0'"},
      {"targets:\n  - {name: a, engine: postgres, dsn: \"dbname=a\", detection: {fdr: 2}}\n",
       "test.yaml:2:67: targets[0].detection.fdr: expected a number above 0 and below 1, got "
       "'2'"},
      {"detection: {baseline_mode: weekly}\n",
       "test.yaml:1:28: detection.baseline_mode: expected same-hours or previous, got 'weekly'"},
      {"detection: {min_ratio: 0.5}\n",
       "test.yaml:1:24: detection.min_ratio: expected a number from 1 and below 1e+06, got "
       "'0.5'"},
      {"detection: {fdr: 1}\n",
       "test.yaml:1:18: detection.fdr: expected a number above 0 and below 1, got '1'"},
      {"detection: {min_delta: soon}\n",
       "test.yaml:1:24: detection.min_delta: expected a duration such as 1ms or 0.5ms, got "
       "'soon'"},
      {"detection: {window: 0s}\n", "test.yaml:1:21: detection.window: must be at least 1s"},
      {"detection: {resolve_afer: 3}\n",
       "test.yaml:1:13: detection: unknown key 'resolve_afer' (did you mean 'resolve_after'?)"},
      {"interval: 60s\ninterval: 30s\n",
       "test.yaml:2:1: duplicate key 'interval' (first at line 1)"},
      {"- a\n- b\n", "test.yaml:1:1: expected a mapping with keys store, interval"},
      {"interval: soon\n",
       "test.yaml:1:11: interval: expected a duration such as 60s, 5m, 12h or 7d, got 'soon'"},
      {"interval: 500ms\n", "test.yaml:1:11: interval: must be at least 1s, got '500ms'"},
      {"store: mysql://x\n",
       "test.yaml:1:8: store: store must be sqlite:PATH or a libpq URI such as postgresql://"},
      {"retention:\n  raw: 7d\n  hourli: 90d\n",
       "test.yaml:3:3: retention: unknown key 'hourli' (did you mean 'hourly'?)"},
      {"retention: 7d\n",
       "test.yaml:1:12: retention: expected a mapping with keys raw, hourly, daily"},
      {"retention: {raw: 30m}\n", "test.yaml:1:18: retention.raw: must be at least 1h"},
      {"detection: {trend_days: 3}\n",
       "test.yaml:1:25: detection.trend_days: expected 0 (no trends) or a whole number of days "
       "from 7 to 3650, got '3'"},
      {"retention: {raw: 10d, hourly: 5d}\n",
       "test.yaml:1:12: retention: hourly must be at least as long as raw"},
      {"targets: orders\n", "test.yaml:1:10: targets: expected a list of targets"},
      {"targets:\n  - engine: postgres\n    dsn: dbname=x\n",
       "test.yaml:2:5: targets[0]: missing key 'name'"},
      {"targets:\n  - name: Orders\n    engine: postgres\n    dsn: dbname=x\n",
       "test.yaml:2:11: targets[0].name: 'Orders' must match [a-z0-9][a-z0-9_.-]*"},
      {"targets:\n  - name: a\n    engine: postgress\n    dsn: dbname=x\n",
       "test.yaml:3:13: targets[0].engine: expected postgres or mysql, got 'postgress' (did you "
       "mean 'postgres'?)"},
      {"targets:\n  - name: a\n    engin: postgres\n",
       "test.yaml:3:5: targets[0]: unknown key 'engin' (did you mean 'engine'?)"},
      {"targets:\n  - name: a\n    engine: postgres\n",
       "test.yaml:2:5: targets[0]: missing key 'dsn'"},
      {"targets:\n  - name: a\n    engine: postgres\n    dsn: dbname=x\n"
       "  - name: a\n    engine: postgres\n    dsn: dbname=y\n",
       "test.yaml:5:11: targets[1].name: duplicate target name 'a' (first at line 2)"},
      {"targets:\n  - name: a\n    engine: postgres\n    dsn: dbname=x\n    socket: /tmp/s\n",
       "test.yaml:5:5: targets[0].socket: only for engine mysql"},
      {"targets:\n  - name: a\n    engine: postgres\n    dsn: \"dbname='x\"\n",
       "test.yaml:4:10: targets[0].dsn: not a valid libpq connection string"},
      {"targets:\n  - name: m\n    engine: mysql\n    dsn: dbname=x\n",
       "test.yaml:4:5: targets[0].dsn: only for engine postgres"},
      {"targets:\n  - name: m\n    engine: mysql\n    source: slowlog\n    host: h\n",
       "test.yaml:4:13: targets[0].source: expected slow_log_file, slow_log_table or "
       "performance_schema, got 'slowlog'"},
      {"targets:\n  - name: m\n    engine: mysql\n    source: slow_log_file\n",
       "test.yaml:2:5: targets[0]: missing key 'slow_log'"},
      {"targets:\n  - name: m\n    engine: mysql\n",
       "test.yaml:2:5: targets[0]: missing key 'socket' or 'host'"},
      {"targets:\n  - name: m\n    engine: mysql\n    host: h\n    port: 70000\n",
       "test.yaml:5:11: targets[0].port: expected a port number from 1 to 65535, got '70000'"},
      {"targets:\n  - name: m\n    engine: mysql\n    socket: /s\n    host: h\n",
       "test.yaml:5:5: targets[0].host: give socket or host, not both"},
      {"targets:\n  - name: m\n    engine: mysql\n    socket: /s\n    port: 3306\n",
       "test.yaml:5:5: targets[0].port: only together with host"},
      {"targets:\n  - name: m\n    engine: mysql\n    socket: /s\n    slow_log: /x\n",
       "test.yaml:5:5: targets[0].slow_log: only for source slow_log_file"},
      {"targets:\n  - name: a\n    engine: postgres\n    dsn: dbname=x\n    password_file: "
       "/nonexistent/pass\n",
       "test.yaml:5:20: targets[0].password_file: password file /nonexistent/pass: No such file"},
  };
  for (const BadCase& c : cases) {
    const std::string message = error_of(c.yaml);
    EXPECT_NE(message.find(c.message), std::string::npos)
        << "yaml:\n"
        << c.yaml << "\nmessage: " << message << "\nexpected: " << c.message;
  }
}

TEST(Config, PasswordFileMustBePrivate) {
  TempDir dir;
  const auto ok = dir.write("ok.pass", "pw1\nignored\n", 0600);
  const auto group = dir.write("group.pass", "pw2\n", 0640);
  const auto other = dir.write("other.pass", "pw3\n", 0604);

  EXPECT_NO_THROW(check_password_file(ok));
  EXPECT_EQ(read_password_file(ok), "pw1");
  EXPECT_THROW(read_password_file(group), ConfigError);

  const std::string yaml =
      "targets:\n  - name: a\n    engine: postgres\n    dsn: dbname=x\n    password_file: ";
  EXPECT_EQ(error_of(yaml + "ok.pass\n", dir.path()), "");
  const std::string group_error = error_of(yaml + "group.pass\n", dir.path());
  EXPECT_NE(
      group_error.find("test.yaml:5:20: targets[0].password_file: password file " + group.string() +
                       " is accessible by group or others (mode 0640); chmod 600 it"),
      std::string::npos)
      << group_error;
  EXPECT_NE(error_of(yaml + "other.pass\n", dir.path()).find("(mode 0604)"), std::string::npos);
  EXPECT_EQ(group_error.find("pw2"), std::string::npos);
  EXPECT_NE(error_of(yaml + ".\n", dir.path()).find("is not a regular file"), std::string::npos);
}

TEST(Config, LoadConfigNamesTheFileAndAnchorsPaths) {
  TempDir dir;
  const auto file = dir.write("slowscope.yaml", "store: sqlite:s.db\ninterval: 2m\n");
  const Config c = load_config(file);
  EXPECT_EQ(c.store.address, (dir.path() / "s.db").string());
  EXPECT_EQ(c.interval, seconds(120));

  const auto bad = dir.write("bad.yaml", "interval: 60s\nbogus: 1\n");
  try {
    load_config(bad);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(bad.string() + ":2:1: unknown key 'bogus'", 0), 0u)
        << e.what();
  }
  try {
    load_config(dir.path() / "missing.yaml");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.yaml: cannot read"), std::string::npos);
  }
}

struct RedactCase {
  const char* dsn;
  const char* redacted;
};

TEST(Dsn, RedactsPasswordsInEveryForm) {
  const RedactCase cases[] = {
      {"host=/run/postgresql dbname=orders user=app",
       "host=/run/postgresql dbname=orders user=app"},
      {"host=db password=s3cret dbname=x", "host=db password=*** dbname=x"},
      {"host=db password = 's3 cr\\'et' dbname=x", "host=db password = *** dbname=x"},
      {"password=s3cret", "password=***"},
      {"service=orders", "service=orders"},
      {"postgresql://app:s3cret@db:5432/orders", "postgresql://app:***@db:5432/orders"},
      {"postgresql://app@db/orders?password=s3cret&sslmode=require",
       "postgresql://app@db/orders?password=***&sslmode=require"},
      {"postgres://db/orders", "postgres://db/orders"},
      {"postgresql:///orders?host=/run/postgresql", "postgresql:///orders?host=/run/postgresql"},
      {"host=db password='unterminated", "<unreadable connection string>"},
  };
  for (const RedactCase& c : cases) EXPECT_EQ(redact_dsn(c.dsn), c.redacted) << c.dsn;
}

TEST(Dsn, ValidatesWithLibpq) {
  EXPECT_TRUE(is_valid_dsn("host=/run/postgresql dbname=x"));
  EXPECT_TRUE(is_valid_dsn("postgresql://u@h/db"));
  EXPECT_FALSE(is_valid_dsn("host=x bogus_keyword=1"));
  EXPECT_FALSE(is_valid_dsn("dbname='x"));
}

TEST(Config, DescriptionsNeverShowPasswords) {
  TargetConfig t;
  t.name = "orders";
  t.dsn = "host=db password=s3cret dbname=orders";
  EXPECT_EQ(t.to_string(), "orders (postgres, host=db password=*** dbname=orders)");

  const std::string bad_dsn = error_of(
      "targets:\n  - name: a\n    engine: postgres\n    dsn: \"password=s3cret bogus=1\"\n");
  EXPECT_NE(bad_dsn.find("password=***"), std::string::npos) << bad_dsn;
  EXPECT_EQ(bad_dsn.find("s3cret"), std::string::npos) << bad_dsn;

  const StoreLocation store = StoreLocation::parse("postgresql://u:s3cret@h/db");
  EXPECT_EQ(store.redacted(), "postgresql://u:***@h/db");
  EXPECT_EQ(StoreLocation::parse("sqlite:/x.db").redacted(), "sqlite:/x.db");
  try {
    StoreLocation::parse("postgresql://u:s3cret@h/db?bogus=1");
    FAIL() << "no error";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
}

// A value the user typed that the rules refuse is InvalidInput (usage, exit 2), with the
// rule's message, whether it came from an option or the file.
TEST(SettingRules, ABadValueIsInvalidInput) {
  try {
    read_positive_int("0");
    FAIL() << "no error";
  } catch (const InvalidInput& e) {
    EXPECT_STREQ(e.what(), "expected a whole number of at least 1, got '0'");
  }
  EXPECT_THROW(read_share("1.5"), InvalidInput);
  EXPECT_THROW(read_target_name("Bad Name"), InvalidInput);
  EXPECT_THROW(StoreLocation::parse("mysql://x"), InvalidInput);
}

}  // namespace
}  // namespace slowscope
