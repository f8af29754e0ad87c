// Every command README.md shows works as shown: the test reads the README's sh and cron
// blocks and runs each command, in order, in one folder, as a user who copies them would —
// against the real PostgreSQL the tests start, with the host paths (/var/log/mysql, /srv,
// /etc/slowscope, ...) moved into the test's folder. A command added to the README runs
// here too; a path the test does not know fails it, so a new command cannot slip by.
// scripts/quickstart has its own test (tests/quickstart) and scripts/test is CI itself.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/digest/digest_cli.h"
#include "tests/install/shell_command.h"
#include "tests/support/postgres_server.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;
using testing::replaced;

// One command of the README, as a shell would read it (a here-document included).
struct ReadmeCommand {
  std::string text;
  int line = 0;  // where it starts in README.md
};

// `line` without a trailing comment ("  # ..." outside quotes).
std::string without_comment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '#' && i > 0 && line[i - 1] == ' ') {
      std::string kept = line.substr(0, i);
      while (!kept.empty() && kept.back() == ' ') kept.pop_back();
      return kept;
    }
  }
  return line;
}

// The commands of README.md's ```sh blocks and the commands of its ```cron lines.
std::vector<ReadmeCommand> readme_commands() {
  std::istringstream lines(testing::read_file(fs::path(SLOWSCOPE_SOURCE_DIR) / "README.md"));
  std::vector<ReadmeCommand> commands;
  std::string line;
  std::string block;  // the fenced block's language; "" outside one
  std::string heredoc_end;
  bool fenced = false;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (line.starts_with("```")) {
      fenced = !fenced;
      block = fenced ? line.substr(3) : "";
      continue;
    }
    if (!heredoc_end.empty()) {
      commands.back().text += "\n" + line;
      if (line == heredoc_end) heredoc_end.clear();
      continue;
    }
    if (block == "cron" && !line.empty()) {
      std::istringstream fields(line);
      std::string field;
      for (int i = 0; i < 5; ++i) fields >> field;  // minute hour day month weekday
      std::string command;
      std::getline(fields, command);
      commands.push_back({command.substr(command.find_first_not_of(' ')), number});
    } else if (block == "sh" && !line.empty() && !line.starts_with("#")) {
      commands.push_back({without_comment(line), number});
      const size_t here = line.find("<<'");
      if (here != std::string::npos) {
        heredoc_end = line.substr(here + 3, line.find('\'', here + 3) - here - 3);
      }
    }
  }
  return commands;
}

// What README.md names on the host it is written for, and where the test puts it.
struct Adaptation {
  std::string from;
  std::string to;
  int uses = 0;
};

// Runs queries on the test server until destroyed, so that collect cycles find work.
class Workload {
 public:
  explicit Workload(const std::string& conninfo)
      : thread_([this, conninfo] {
          while (!stop_) {
            testing::run_shell("psql -X -q '" + conninfo +
                               "' -c 'SELECT count(*) FROM readme_orders WHERE id < 10' "
                               "-c 'SELECT max(id) FROM readme_orders'");
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
          }
        }) {}
  ~Workload() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A command that runs until it is stopped (collect without --once): run for a few cycles
// and stopped with SIGTERM, as systemd stops it; it exits 0 then.
bool runs_until_stopped(const std::string& command) {
  return command.find("slowscope collect") != std::string::npos &&
         command.find("--once") == std::string::npos;
}

// The exit statuses a README command may end with here, other than 0: a check of a release
// recorded a moment ago has no window to judge yet (3, "could not evaluate").
std::set<int> accepted_statuses(const std::string& command) {
  if (command.find("slowscope check --release") != std::string::npos) return {0, 1, 3};
  return {0};
}

TEST(PostgresReadmeTest, EveryCommandRunsAsShown) {
  auto* server = testing::PostgresEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  const std::string conninfo = server->conninfo();
  ASSERT_EQ(testing::run_shell("psql -X -q '" + conninfo +
                               "' -c 'CREATE TABLE IF NOT EXISTS readme_orders AS "
                               "SELECT generate_series(1, 1000) AS id'")
                .exit_code,
            0);

  testing::TempDir dir;
  const fs::path home = dir.path();
  // `build/slowscope` as README runs it from a checkout, and `slowscope` as installed.
  fs::create_directories(home / "build");
  fs::create_directories(home / "bin");
  fs::create_symlink(SLOWSCOPE_BINARY, home / "build/slowscope");
  fs::create_symlink(SLOWSCOPE_BINARY, home / "bin/slowscope");
  // The slow logs the digest examples name.
  const fs::path log = fs::path(SLOWSCOPE_TEST_DATA) / "slowlogs/hand-mariadb.log";
  for (const std::string name : {"slow.log", "a.log", "mysql-slow.log", "mysql-slow.log.1"}) {
    fs::copy_file(log, home / name);
  }
  fs::copy_file(fs::path(SLOWSCOPE_TEST_DATA) / "slowlogs/hand-mysql80.log", home / "b.log");
  ASSERT_EQ(testing::run_shell("gzip -c '" + log.string() + "' > '" + (home / "slow.log.1.gz").string() + "'")
                .exit_code,
            0);
  for (const std::string folder : {"etc", "reports", "textfile", "backups"}) {
    fs::create_directories(home / folder);
  }

  std::vector<Adaptation> adaptations = {
      {"/var/log/mysql/mysql-slow.log", (home / "mysql-slow.log").string()},
      {"host=/var/run/postgresql dbname=orders user=slowscope", conninfo},
      // Cycles a user waits a minute for, here a second.
      {"interval: 60s", "interval: 1s"},
      {"/etc/slowscope/slowscope.yaml", (home / "slowscope.yaml").string()},
      {"/srv/reports/", (home / "reports/").string()},
      {"/var/lib/node_exporter/textfile/", (home / "textfile/").string()},
      {"/backups/", (home / "backups/").string()},
  };

  const std::vector<ReadmeCommand> commands = readme_commands();
  ASSERT_GT(commands.size(), 20u);
  std::set<std::string> scripts;
  std::string query_id;
  int step = 0;
  for (const ReadmeCommand& command : commands) {
    const std::string where = "README.md:" + std::to_string(command.line) + ": " + command.text;
    if (command.text.starts_with("scripts/")) {
      scripts.insert(command.text.substr(0, command.text.find(' ')));
      continue;
    }
    ASSERT_TRUE(command.text.find("slowscope") != std::string::npos ||
                command.text.starts_with("cat > slowscope.yaml"))
        << where << "\n(not a slowscope command: teach this test how to run it)";
    std::string text = command.text;
    for (Adaptation& a : adaptations) {
      int count = 0;
      text = replaced(text, a.from, a.to, &count);
      a.uses += count;
    }
    if (text.find("QUERY_ID") != std::string::npos) {
      if (query_id.empty()) {
        const testing::RunResult top =
            testing::run_slowscope("top --format json --since 1h --config '" +
                                   (home / "slowscope.yaml").string() + "'");
        ASSERT_EQ(top.exit_code, 0) << top.err;
        const auto shapes = nlohmann::json::parse(top.out)["shapes"];
        ASSERT_FALSE(shapes.empty()) << "collect stored no shape to show";
        query_id = shapes[0]["query_id"].get<std::string>();
      }
      text = replaced(text, "QUERY_ID", query_id);
    }
    // Any other absolute path is a host path the test does not know.
    for (size_t at = text.find(" /"); at != std::string::npos; at = text.find(" /", at + 1)) {
      ASSERT_TRUE(text.compare(at + 1, home.string().size(), home.string()) == 0)
          << where << "\n(a host path: add it to the adaptations)";
    }
    if (runs_until_stopped(text)) {
      text = "timeout -s TERM --preserve-status 6 " + text;
    }
    const fs::path script = home / ("step-" + std::to_string(++step) + ".sh");
    std::ofstream(script) << text << "\n";
    // The alert sinks of the README's yaml block reach real services: a file sink stands in.
    if (command.text.starts_with("cat > slowscope.yaml")) {
      std::ofstream(script, std::ios::app)
          << "printf 'alerts:\\n  sinks:\\n    - {name: file, type: file, path: alerts.jsonl}\\n'"
             " >> slowscope.yaml\n";
    }
    std::optional<Workload> workload;
    if (runs_until_stopped(command.text)) workload.emplace(conninfo);
    const testing::ShellOutput r =
        testing::run_shell("cd '" + home.string() + "' && PATH='" + (home / "bin").string() +
                           "':\"$PATH\" GIT_SHA=0123abc bash -e '" + script.string() + "'");
    workload.reset();
    EXPECT_TRUE(accepted_statuses(text).count(r.exit_code))
        << where << "\nexit status " << r.exit_code << "\n" << r.out << r.err;
  }
  for (const Adaptation& a : adaptations) {
    EXPECT_GT(a.uses, 0) << "README.md no longer shows " << a.from << ": drop it from this test";
  }
  EXPECT_EQ(scripts, (std::set<std::string>{"scripts/quickstart", "scripts/test"}));

  // What the commands say they write is there.
  for (const std::string written :
       {"slowscope.db", "digest.json", "report.html", "report.json", "incident.html",
        "reports/slowscope.html", "reports/slowscope.json", "textfile/slowscope-collect.prom",
        "backups/slowscope.db", "alerts.jsonl"}) {
    EXPECT_TRUE(fs::exists(home / written)) << written;
  }
  struct stat backup {};
  ASSERT_EQ(::stat((home / "backups/slowscope.db").c_str(), &backup), 0);
  EXPECT_EQ(backup.st_mode & 0777, 0600u);
}

}  // namespace
}  // namespace slowscope
