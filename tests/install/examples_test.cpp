// The examples/ a user copies from work as they are: systemd accepts the units, `config
// check` accepts the configuration, every slowscope command line in them uses options the
// command has, and the SQL for the database roles gives exactly enough to collect, against
// the real PostgreSQL and MariaDB servers the tests start.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "tests/digest/digest_cli.h"
#include "tests/install/shell_command.h"
#include "tests/install/cli_commands.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/postgres_server.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;
using testing::CommandPath;

const fs::path kExamples = fs::path(SLOWSCOPE_SOURCE_DIR) / "examples";

using Output = testing::ShellOutput;

Output run(const std::string& command) { return testing::run_shell(command); }

using testing::replaced;

void write_private(const fs::path& path, const std::string& content) {
  std::ofstream(path) << content << "\n";
  ::chmod(path.c_str(), 0600);
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// `text` with the whole word `word` (not part of a longer one) replaced by `to`.
std::string word_replaced(const std::string& text, const std::string& word, const std::string& to) {
  std::string out;
  size_t from = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const size_t end = at + word.size();
    if ((at > 0 && is_word_char(text[at - 1])) || (end < text.size() && is_word_char(text[end]))) {
      continue;
    }
    out += text.substr(from, at - from) + to;
    from = end;
  }
  return out + text.substr(from);
}

// The word characters of `text` from `at` on.
std::string word_at(const std::string& text, size_t at) {
  size_t end = at;
  while (end < text.size() && is_word_char(text[end])) ++end;
  return text.substr(at, end - at);
}

// The value of `key` in a libpq key=value connection string ("" when it has none).
std::string conninfo_value(const std::string& conninfo, const std::string& key) {
  std::istringstream words(conninfo);
  std::string word;
  while (words >> word) {
    if (word.starts_with(key + "=")) return word.substr(key.size() + 1);
  }
  return "";
}

// The example files people copy, without the sample slow logs and generators.
std::vector<fs::path> example_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kExamples)) {
    const std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && ext != ".log" && ext != ".py") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ExamplesTest, SystemdAnalyzeVerifiesTheUnits) {
  ASSERT_TRUE(fs::exists("/usr/bin/systemd-analyze"))
      << "systemd-analyze is missing: install systemd (scripts/lib/packages.sh)";
  testing::TempDir dir;
  // systemd-analyze checks that ExecStart's program exists and that man:slowscope(1)
  // opens: the units name the installed /usr/bin/slowscope, so their copies here name the
  // built binary, and the built page stands in for the installed one.
  fs::create_directories(dir.path() / "man" / "man1");
  fs::copy_file(fs::path(SLOWSCOPE_BUILD_DIR) / "slowscope.1", dir.path() / "man/man1/slowscope.1");
  std::string units;
  for (const auto& entry : fs::directory_iterator(kExamples / "systemd")) {
    int programs = 0;
    const std::string text =
        replaced(testing::read_file(entry.path()), "ExecStart=/usr/bin/slowscope ",
                 std::string("ExecStart=") + SLOWSCOPE_BINARY + " ", &programs);
    if (entry.path().extension() == ".service") {
      EXPECT_EQ(programs, 1) << entry.path() << " should run /usr/bin/slowscope once";
    }
    std::ofstream(dir.path() / entry.path().filename()) << text;
    units += " '" + (dir.path() / entry.path().filename()).string() + "'";
  }
  ASSERT_FALSE(units.empty());
  const Output r = run("MANPATH='" + (dir.path() / "man").string() +
                       "' SYSTEMD_LOG_COLOR=0 systemd-analyze verify" + units);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Unknown keys and values it cannot parse are only warnings: none wanted either.
  EXPECT_EQ(r.out + r.err, "");
}

TEST(ExamplesTest, ConfigCheckAcceptsTheExampleConfiguration) {
  testing::TempDir dir;
  std::string yaml = testing::read_file(kExamples / "slowscope.yaml");
  // Paths of the host it is written for (the unit's state directory, Debian's MySQL log
  // folder) moved into this test's folder; secret files, relative to the file, are made
  // next to it, and secrets from the environment are set.
  int state_paths = 0;
  int log_paths = 0;
  yaml = replaced(yaml, "/var/lib/slowscope/", dir.file("state/"), &state_paths);
  yaml = replaced(yaml, "/var/log/mysql/", dir.file("log/"), &log_paths);
  EXPECT_GT(state_paths, 0);
  EXPECT_GT(log_paths, 0);
  fs::create_directories(dir.path() / "state");
  fs::create_directories(dir.path() / "log");
  std::ofstream(dir.file("log/mysql-slow.log")).flush();
  std::ofstream(dir.file("slowscope.yaml")) << yaml;

  // KEY_file: PATH
  int files = 0;
  std::istringstream lines(yaml);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t colon = line.find("_file:");
    if (colon == std::string::npos || line.find('#') < colon) continue;
    size_t key_start = colon;
    while (key_start > 0 && is_word_char(line[key_start - 1])) --key_start;
    const std::string key = line.substr(key_start, colon - key_start);
    std::istringstream value(line.substr(colon + 6));
    std::string path;
    value >> path;
    const bool url = key.find("url") != std::string::npos;
    write_private(dir.path() / path, url ? "https://hooks.example.invalid/k" : "s3cret");
    ++files;
  }
  EXPECT_GE(files, 5);
  // KEY: env:NAME
  std::string environment;
  for (size_t at = yaml.find(": env:"); at != std::string::npos; at = yaml.find(": env:", at + 1)) {
    environment += word_at(yaml, at + 6) + "=https://hooks.example.invalid/e ";
  }
  EXPECT_FALSE(environment.empty());

  const Output r = run(environment + "'" + SLOWSCOPE_BINARY + "' config check --config '" +
                       dir.file("slowscope.yaml") + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no warning either
  EXPECT_NE(r.out.find("targets (5):"), std::string::npos) << r.out;
  for (const std::string sink :
       {"pagerduty", "opsgenie", "splunk_oncall", "alertmanager", "slack", "webhook", "file"}) {
    EXPECT_NE(r.out.find("(" + sink), std::string::npos) << sink << " sink missing:\n" << r.out;
  }
}

// The option names `help` lists for its command: "--output" and "-o" of "  -o,--output PATH".
std::set<std::string> option_names(const std::string& help) {
  std::set<std::string> names;
  std::istringstream lines(help);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("  -")) continue;
    std::string field = line.substr(2, line.find(' ', 2) - 2);
    std::istringstream parts(field);
    std::string name;
    while (std::getline(parts, name, ',')) names.insert(name);
  }
  return names;
}

TEST(ExamplesTest, CommandLinesUseOptionsTheCommandsHave) {
  const std::vector<CommandPath> commands = testing::all_commands();
  std::map<CommandPath, std::set<std::string>> options;
  for (const CommandPath& path : commands) options[path] = option_names(testing::help_of(path));
  options[{}] = option_names(testing::help_of({}));
  ASSERT_TRUE(options[{"check"}].count("--release"));  // the parse of --help works

  std::set<std::string> seen;
  int checked = 0;
  for (const fs::path& file : example_files()) {
    // Shell continuation lines joined, then each slowscope invocation's words.
    const std::string text = replaced(testing::read_file(file), "\\\n", " ");
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream split(line);
      std::vector<std::string> words{std::istream_iterator<std::string>(split), {}};
      for (size_t i = 0; i < words.size(); ++i) {
        // The command, the installed binary or the built one (not /var/lib/slowscope).
        if (words[i] != "slowscope" && !words[i].ends_with("bin/slowscope") &&
            !words[i].ends_with("build/slowscope")) {
          continue;
        }
        // The longest command path the following words spell.
        CommandPath path;
        size_t next = i + 1;
        while (next < words.size()) {
          CommandPath longer = path;
          longer.push_back(words[next]);
          if (!options.count(longer)) break;
          path = longer;
          ++next;
        }
        if (path.empty() && (next >= words.size() || !words[next].starts_with("--"))) continue;
        seen.insert(testing::joined(path));
        for (; next < words.size(); ++next) {
          const std::string& word = words[next];
          if (word == "||" || word == "|" || word == "&&" || word == ";" || word == "#") break;
          if (!word.starts_with("-") || word == "-") continue;
          const std::string name = word.substr(0, word.find('='));
          ++checked;
          EXPECT_TRUE(options[path].count(name))
              << file.filename() << ": slowscope " << testing::joined(path) << " has no " << name
              << " option:\n  " << line;
        }
      }
    }
  }
  EXPECT_GT(checked, 10);
  // The commands the examples are about: the service, the nightly report, the CI gate and
  // the configuration's own check.
  for (const std::string command : {"collect", "report", "release add", "check", "config check"}) {
    EXPECT_TRUE(seen.count(command)) << "no `slowscope " << command << "` in examples/";
  }
}

// The shapes `slowscope top --format json` lists for `target` over the last hour.
std::vector<std::string> stored_fingerprints(const std::string& config, const std::string& target) {
  const testing::RunResult r = testing::run_slowscope(
      "top --format json --since 1h --limit 1000 --config '" + config + "' --target " + target);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> fingerprints;
  if (r.exit_code != 0) return fingerprints;
  const nlohmann::json top = nlohmann::json::parse(r.out);
  for (const auto& shape : top["shapes"]) {
    fingerprints.push_back(shape["fingerprint"].get<std::string>());
  }
  return fingerprints;
}

bool any_contains(const std::vector<std::string>& texts, const std::string& part) {
  return std::any_of(texts.begin(), texts.end(),
                     [&](const std::string& t) { return t.find(part) != std::string::npos; });
}

// The test server's superuser is called slowscope, as the example's role is: the example
// runs with its role renamed (whole words only; slowscope_store is another name).
std::string renamed_role(const std::string& sql, const std::string& name) {
  return word_replaced(sql, "slowscope", name);
}

Output psql(const std::string& conninfo, const std::string& args) {
  return run("psql -X -q -v ON_ERROR_STOP=1 '" + conninfo + "' " + args);
}

TEST(PostgresExamplesTest, TheRoleReadsEveryRolesStatements) {
  auto* server = testing::PostgresEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  testing::TempDir dir;
  const std::string admin = server->conninfo();
  std::ofstream(dir.file("role.sql"))
      << renamed_role(testing::read_file(kExamples / "sql/postgres-role.sql"), "example_watcher");
  const Output created = psql(admin, "-f '" + dir.file("role.sql") + "'");
  ASSERT_EQ(created.exit_code, 0) << created.err;

  // The target connects as that role; the workload runs as another (the superuser).
  const std::string dsn =
      replaced(admin, "user=" + conninfo_value(admin, "user"), "user=example_watcher");
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: orders\n    engine: postgres\n    dsn: \"" << dsn << "\"\n";
  const std::string collect =
      "collect --once --no-detect --config '" + dir.file("slowscope.yaml") + "'";
  testing::RunResult r = testing::run_slowscope(collect);  // the baseline
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Output q =
      psql(admin,
           "-c 'CREATE TABLE IF NOT EXISTS example_marker (id int)' "
           "-c 'SELECT count(*) FROM example_marker' -c 'SELECT count(*) FROM example_marker'");
  ASSERT_EQ(q.exit_code, 0) << q.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next 1 s bucket
  r = testing::run_slowscope(collect);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Without pg_read_all_stats the superuser's entries would be left out, and collect would
  // name the grant.
  EXPECT_EQ(r.err.find("pg_read_all_stats"), std::string::npos) << r.err;
  EXPECT_TRUE(
      any_contains(stored_fingerprints(dir.file("slowscope.yaml"), "orders"), "example_marker"))
      << r.err;
}

TEST(PostgresExamplesTest, TheStoreRoleCreatesAndUsesTheStore) {
  auto* server = testing::PostgresEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  testing::TempDir dir;
  const std::string admin = server->conninfo();
  // The store database is renamed (the test server has a database slowscope already).
  std::ofstream(dir.file("store.sql"))
      << renamed_role(testing::read_file(kExamples / "sql/postgres-store.sql"), "example_history");
  const Output created = psql(admin, "-f '" + dir.file("store.sql") + "'");
  ASSERT_EQ(created.exit_code, 0) << created.err;

  const std::string host = conninfo_value(admin, "host");
  const std::string port = conninfo_value(admin, "port");
  ASSERT_FALSE(host.empty() || port.empty()) << admin;
  const std::string store =
      "postgresql://slowscope_store@/example_history?host=" + host + "&port=" + port;
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: " << store << "\ninterval: 1s\ntargets:\n"
      << "  - name: orders\n    engine: postgres\n    dsn: \"" << admin << "\"\n";
  testing::RunResult r = testing::run_slowscope("collect --once --no-detect --config '" +
                                                dir.file("slowscope.yaml") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // What CI does with it.
  r = testing::run_slowscope("release add v1 --target orders --store '" + store + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = testing::run_slowscope("release list --store '" + store + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("v1"), std::string::npos) << r.out;
}

TEST(MariadbExamplesTest, TheUserReadsTheSlowLogTableAndPerformanceSchema) {
  auto* server = testing::MariadbEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  testing::TempDir dir;
  const std::string sql = testing::read_file(kExamples / "sql/mysql-user.sql");
  server->sql(sql);
  const std::string identified = "IDENTIFIED BY '";
  const size_t at = sql.find(identified);
  ASSERT_NE(at, std::string::npos);
  const size_t start = at + identified.size();
  write_private(dir.path() / "shop.pw", sql.substr(start, sql.find('\'', start) - start));

  const std::string connection =
      "    socket: " + server->socket() + "\n    user: slowscope\n    password_file: shop.pw\n";
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:store.db\ninterval: 1s\ntargets:\n"
      << "  - name: table\n    engine: mysql\n    source: slow_log_table\n"
      << connection << "  - name: digests\n    engine: mysql\n    source: performance_schema\n"
      << connection;
  const std::string collect =
      "collect --once --no-detect --config '" + dir.file("slowscope.yaml") + "'";
  // A refused login or a missing privilege fails the run (exit 1 or 2, naming the grant).
  testing::RunResult r = testing::run_slowscope(collect + " --from-end");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  server->sql(
      "CREATE DATABASE IF NOT EXISTS examplesdb; "
      "CREATE TABLE IF NOT EXISTS examplesdb.exampleitems (id INT PRIMARY KEY); "
      "SELECT id FROM examplesdb.exampleitems WHERE id = 1; "
      "SELECT id FROM examplesdb.exampleitems WHERE id = 2;");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next 1 s bucket
  r = testing::run_slowscope(collect);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string target : {"table", "digests"}) {
    EXPECT_TRUE(
        any_contains(stored_fingerprints(dir.file("slowscope.yaml"), target), "exampleitems"))
        << target << "\n"
        << r.err;
  }
}

}  // namespace
}  // namespace slowscope
