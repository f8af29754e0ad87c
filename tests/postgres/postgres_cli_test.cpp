// `slowscope collect --once`, `top` and `show` as a user runs them, against a real
// PostgreSQL 15: a target that does not answer does not hold the other one up, and the
// reports read back what was collected (JSON validated against its schema).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sstream>

#include "analyzer/store/migrations.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;

// A TCP port that accepts connections (the kernel completes the handshake) but never says
// anything: a server that hangs.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

struct RunResult {
  int status = -1;
  std::string out;
  std::string err;
  double seconds = 0;
};

class PostgresCli : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* server = testing::PostgresEnvironment::server();
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->ok()) << server->error();
    conninfo_ = server->conninfo();
    dir_ = fs::temp_directory_path() / ("slowscope-cli-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "slowscope.yaml")
        << "store: sqlite:./store.db\n"
        << "interval: 60s\n"
        << "targets:\n"
        << "  - name: hung\n    engine: postgres\n"
        << "    dsn: \"host=127.0.0.1 port=" << listener_.port()
        << " dbname=x connect_timeout=3\"\n"
        << "  - name: good\n    engine: postgres\n    dsn: \"" << conninfo_ << "\"\n";
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  RunResult run(const std::string& args) {
    const fs::path out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string command = "cd '" + dir_.string() + "' && '" SLOWSCOPE_BINARY "' " + args +
                                " >'" + out.string() + "' 2>'" + err.string() + "'";
    const auto start = std::chrono::steady_clock::now();
    const int raw = std::system(command.c_str());
    RunResult r;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    r.out = testing::read_trimmed(out);
    r.err = testing::read_trimmed(err);
    return r;
  }

  void exec(const std::string& sql) {
    pqxx::connection c(conninfo_);
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }

  // Writes `name` with the good target and `extra` targets after it.
  void write_config(const std::string& name, const std::string& extra = "",
                    const std::string& store = "sqlite:./store.db") {
    std::ofstream(dir_ / name) << "store: " << store << "\ninterval: 1s\ntargets:\n"
                               << "  - name: good\n    engine: postgres\n    dsn: \"" << conninfo_
                               << "\"\n"
                               << extra;
  }

  // `slowscope ARGS` in the background, its stderr in dir_/stderr; pid by pid().
  FILE* start(const std::string& args, pid_t* pid) {
    const std::string command = "cd '" + dir_.string() + "' && exec '" SLOWSCOPE_BINARY "' " +
                                args + " 2>'" + (dir_ / "stderr").string() + "'";
    FILE* child = popen(("echo $$; " + command).c_str(), "r");
    char pid_text[32] = {};
    if (child == nullptr || fgets(pid_text, sizeof pid_text, child) == nullptr) return nullptr;
    *pid = static_cast<pid_t>(std::stol(pid_text));
    return child;
  }

  SilentListener listener_;
  std::string conninfo_;
  fs::path dir_;
};

TEST_F(PostgresCli, HungTargetDoesNotStallTheOtherAndReportsReadTheStore) {
  ASSERT_EQ(run("config check --config slowscope.yaml").status, 0);

  const auto t0 = std::chrono::system_clock::now();
  const RunResult baseline = run("collect --once --interval 1s --config slowscope.yaml");
  EXPECT_EQ(baseline.status, 1) << baseline.err;  // one target failed
  EXPECT_GE(baseline.seconds, 2.5) << "the hung target should have waited for its timeout";
  EXPECT_NE(baseline.err.find("hung: cannot connect"), std::string::npos) << baseline.err;
  {
    Store store =
        Store::open(StoreLocation{StoreLocation::Kind::kSqlite, (dir_ / "store.db").string()});
    bool good_seen = false;
    for (const TargetInfo& t : store.targets()) {
      if (t.name != "good") continue;
      good_seen = true;
      ASSERT_TRUE(t.last_cycle_at.has_value());
      // Written well before the hung target gave up (and the run ended), not after it.
      const std::chrono::duration<double> written_after =
          *t.last_cycle_at - std::chrono::floor<std::chrono::seconds>(t0);
      EXPECT_LT(written_after.count() + 1.0, baseline.seconds);
    }
    EXPECT_TRUE(good_seen);
  }

  exec("CREATE TABLE IF NOT EXISTS cli_items (id int)");
  for (int i = 0; i < 9; ++i)
    exec("SELECT count(*) FROM cli_items WHERE id > " + std::to_string(i));
  exec("SELECT 1 AS \"red\x1b[31m\"");  // control bytes in a statement's text
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next 1 s bucket
  const RunResult second = run("collect --once --interval 1s --config slowscope.yaml");
  EXPECT_EQ(second.status, 1) << second.err;

  const RunResult top = run("top --config slowscope.yaml --since 1h --format json --target good");
  ASSERT_EQ(top.status, 0) << top.err;
  std::ofstream(dir_ / "top.json") << top.out;
  const std::string validate = "/usr/bin/python3 '" SLOWSCOPE_SOURCE_DIR
                               "/tests/tools/validate_json.py' '" SLOWSCOPE_SOURCE_DIR
                               "/reports/json/schemas/top-1.schema.json' '" +
                               (dir_ / "top.json").string() + "'";
  EXPECT_EQ(std::system(validate.c_str()), 0) << top.out;
  const auto doc = nlohmann::json::parse(top.out);
  EXPECT_EQ(doc["schema"], "slowscope.top/1");
  std::string query_id;
  for (const auto& shape : doc["shapes"]) {
    if (shape["fingerprint"].get<std::string>().find("FROM cli_items") != std::string::npos) {
      EXPECT_EQ(shape["calls"], 9);
      EXPECT_EQ(shape["target"], "good");
      EXPECT_EQ(shape["query_id"].get<std::string>().size(), 16u);
      query_id = shape["query_id"];
    }
  }
  ASSERT_FALSE(query_id.empty()) << top.out;

  const RunResult text = run("top --config slowscope.yaml --since 1h --limit 50");
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find(query_id), std::string::npos);
  EXPECT_EQ(text.out.find('\x1b'), std::string::npos) << "control bytes reached the terminal";

  const RunResult show = run("show " + query_id + " --store sqlite:store.db --since 1h");
  ASSERT_EQ(show.status, 0) << show.err;
  EXPECT_NE(show.out.find("tables: cli_items"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("calls 9"), std::string::npos) << show.out;
  const RunResult show_json =
      run("show " + query_id + " --store sqlite:store.db --since 1h --format json --examples");
  ASSERT_EQ(show_json.status, 0) << show_json.err;
  const auto shown = nlohmann::json::parse(show_json.out);
  EXPECT_EQ(shown["schema"], "slowscope.show/1");
  EXPECT_EQ(shown["targets"][0]["calls"], 9);
  EXPECT_FALSE(shown["targets"][0]["timeline"].empty());
  EXPECT_NE(shown["fingerprint"].get<std::string>().find("cli_items"), std::string::npos);

  const RunResult unknown = run("show 0000000000000000 --store sqlite:store.db");
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("no query id 0000000000000000 in the store"), std::string::npos)
      << unknown.err;
  EXPECT_EQ(run("top --store sqlite:store.db --by nonsense").status, 2);
}

// The store in the very database collect monitors, with the same role: what the store's
// sessions and the poller send (their statements, BEGIN and COMMIT) never becomes a stored
// shape; only the workload does.
TEST_F(PostgresCli, StoreOnTheMonitoredClusterStoresNoneOfSlowscopesStatements) {
  exec(
      "DROP SCHEMA IF EXISTS own_store CASCADE; CREATE SCHEMA own_store;"
      "DROP TABLE IF EXISTS own_items; CREATE TABLE own_items (id int PRIMARY KEY, v int);"
      "INSERT INTO own_items SELECT g, g FROM generate_series(1, 100) g;"
      "SELECT pg_stat_statements_reset()");
  // The harness's conninfo as a URI, with the store's tables in their own schema.
  std::map<std::string, std::string> params;
  std::istringstream words(conninfo_);
  for (std::string word; words >> word;) {
    const size_t eq = word.find('=');
    params[word.substr(0, eq)] = word.substr(eq + 1);
  }
  const std::string store = "postgresql:///" + params["dbname"] + "?host=" + params["host"] +
                            "&port=" + params["port"] + "&user=" + params["user"] +
                            "&options=-c%20search_path%3Down_store";
  std::ofstream(dir_ / "own.yaml")
      << "store: " << store << "\ninterval: 1s\ntargets:\n"
      << "  - name: pg\n    engine: postgres\n    dsn: \"" << conninfo_ << "\"\n";
  const std::string collect = "collect --once --no-detect --config own.yaml";
  RunResult r = run(collect);  // creates the store, takes the baseline
  ASSERT_EQ(r.status, 0) << r.err;
  for (int i = 0; i < 7; ++i) exec("SELECT v FROM own_items WHERE id = " + std::to_string(i));
  for (int i = 0; i < 3; ++i) exec("UPDATE own_items SET v = v + 1 WHERE id = 1");
  // What each run's store writes is polled by the next run.
  for (int i = 0; i < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next 1 s bucket
    r = run(collect);
    ASSERT_EQ(r.status, 0) << r.err;
  }
  Store opened = Store::open(StoreLocation::parse(store), StoreOpen::kMustExist);
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  int64_t selects = 0, updates = 0;
  const auto shapes = opened.top(
      {"pg", now - std::chrono::hours(1), now + std::chrono::hours(1), TopOrder::kCalls, 1000});
  for (const auto& shape : shapes) {
    EXPECT_NE(shape.fingerprint.find("own_items"), std::string::npos)
        << "not the workload's: " << shape.fingerprint;
    if (shape.fingerprint.starts_with("SELECT")) selects += shape.measures.calls;
    if (shape.fingerprint.starts_with("UPDATE")) updates += shape.measures.calls;
  }
  EXPECT_EQ(selects, 7);
  EXPECT_EQ(updates, 3);
  // And the server agrees that the store wrote there, and how it named its sessions.
  pqxx::connection c(conninfo_);
  pqxx::nontransaction tx(c);
  EXPECT_GT(tx.exec1("SELECT count(*) FROM pg_stat_statements WHERE query LIKE "
                     "'/* slowscope */%INSERT INTO samples%'")[0]
                .as<int64_t>(),
            0);
  EXPECT_GT(tx.exec1("SELECT count(*) FROM pg_stat_statements WHERE query = "
                     "'/* slowscope */\nCOMMIT'")[0]
                .as<int64_t>(),
            0);
}

// A second --once within one interval stores nothing, and says so in one line.
TEST_F(PostgresCli, ACycleThatStoresNothingSaysSo) {
  write_config("hourly.yaml");
  // Three runs within one hour-long interval: not across the turn of an hour.
  const auto seconds_into_hour = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count() %
           3600;
  };
  while (seconds_into_hour() > 3540) std::this_thread::sleep_for(std::chrono::seconds(1));
  const std::string collect = "collect --once --no-detect --interval 1h --config hourly.yaml";
  ASSERT_EQ(run(collect).status, 0);  // baseline
  exec("CREATE TABLE IF NOT EXISTS quiet_items (id int)");
  exec("SELECT count(*) FROM quiet_items");
  RunResult r = run(collect);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find(" samples for "), std::string::npos) << r.err;
  exec("SELECT count(*) FROM quiet_items");
  r = run(collect);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("good: nothing stored: the bucket of "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("is written already; what ran since goes into the next one"),
            std::string::npos)
      << r.err;
}

// Errors that retrying cannot mend: a store newer than this slowscope stops collection
// with exit 2 (--once or not); a target whose login is refused makes --once exit 2 and is
// retried once an interval by a running collector, while the other targets go on.
TEST_F(PostgresCli, ErrorsThatRetryingCannotMendExitTwo) {
  write_config("refused.yaml", "  - name: refused\n    engine: postgres\n    dsn: \"" + conninfo_ +
                                   " user=nobody_here\"\n");
  RunResult r = run("collect --once --no-detect --config refused.yaml");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("refused: login refused"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("good: baseline taken"), std::string::npos) << r.err;

  pid_t pid = 0;
  FILE* child = start("collect --no-detect --config refused.yaml", &pid);
  ASSERT_NE(child, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  ::kill(pid, SIGTERM);
  const int raw = pclose(child);
  const std::string err = testing::read_trimmed(dir_ / "stderr");
  EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << err;
  EXPECT_NE(err.find("retried every 1s, the other targets go on"), std::string::npos) << err;
  EXPECT_NE(err.find(" samples for "), std::string::npos) << err;  // the good target's cycles

  // The store, from a future version.
  { Store store = Store::open(StoreLocation::parse("sqlite:" + (dir_ / "store.db").string())); }
  {
    SqliteConnection db((dir_ / "store.db").string());
    db.exec_script("from the future", "INSERT INTO schema_version VALUES (" +
                                          std::to_string(latest_schema_version() + 1) +
                                          ", 'future', 0)");
  }
  write_config("future.yaml");
  r = run("collect --once --no-detect --config future.yaml");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("upgrade slowscope"), std::string::npos) << r.err;
  // Not --once: it stops too, rather than retrying forever.
  child = start("collect --no-detect --config future.yaml", &pid);
  ASSERT_NE(child, nullptr);
  const auto began = std::chrono::steady_clock::now();
  const int stopped = pclose(child);
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(20));
  EXPECT_TRUE(WIFEXITED(stopped) && WEXITSTATUS(stopped) == 2)
      << testing::read_trimmed(dir_ / "stderr");
  EXPECT_NE(testing::read_trimmed(dir_ / "stderr").find("retrying cannot help"), std::string::npos);
}

// SIGHUP, which log rotation sends, neither stops nor kills the collector.
TEST_F(PostgresCli, SighupIsLoggedAndIgnored) {
  write_config("hup.yaml");
  pid_t pid = 0;
  FILE* child = start("collect --no-detect --config hup.yaml", &pid);
  ASSERT_NE(child, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ::kill(pid, SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(::kill(pid, 0), 0) << "SIGHUP ended the collector";
  ::kill(pid, SIGTERM);
  const int raw = pclose(child);
  const std::string err = testing::read_trimmed(dir_ / "stderr");
  EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << err;
  EXPECT_NE(err.find("SIGHUP received"), std::string::npos) << err;
  EXPECT_NE(err.find("stopped"), std::string::npos) << err;
}

TEST_F(PostgresCli, ConfigCheckRejectsABrokenFile) {
  std::ofstream(dir_ / "bad.yaml") << "targets:\n  - name: a\n    engine: postgress\n    dsn: x\n";
  const RunResult r = run("config check --config bad.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("did you mean 'postgres'"), std::string::npos) << r.err;
}

// A role without pg_read_all_stats: the collector says which role to grant, once — not
// once as the cycle's event and again as its warning, nor again every cycle after.
TEST_F(PostgresCli, AWarningIsLoggedOnceWhileItLasts) {
  exec("DROP ROLE IF EXISTS cli_watcher; CREATE ROLE cli_watcher LOGIN");
  exec("SELECT count(*) FROM pg_class");  // an entry of another role, hidden to cli_watcher
  std::ofstream(dir_ / "watched.yaml") << "store: sqlite:./watched.db\n"
                                       << "targets:\n"
                                       << "  - name: watched\n    engine: postgres\n"
                                       << "    dsn: \"" << conninfo_ << " user=cli_watcher\"\n";
  const std::string grant = "GRANT pg_read_all_stats TO cli_watcher";
  const auto count = [&](const std::string& log) {
    size_t n = 0;
    for (size_t at = log.find(grant); at != std::string::npos; at = log.find(grant, at + 1)) ++n;
    return n;
  };
  const RunResult once = run("collect --once --interval 1s --config watched.yaml");
  EXPECT_EQ(once.status, 0) << once.err;
  EXPECT_EQ(count(once.err), 1u) << once.err;

  // Running on: a few cycles of 1 s with the entries still hidden, then stopped. The event
  // was stored by the run before; this process warns when it first meets the gap.
  const fs::path log = dir_ / "watched.log";
  {
    testing::SlowscopeProcess collect(
        "collect --interval 1s --config '" + (dir_ / "watched.yaml").string() + "'", log);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const auto cycles = [&] {
      const std::string text = testing::read_trimmed(log);
      size_t n = 0;
      for (size_t at = text.find("samples for"); at != std::string::npos;
           at = text.find("samples for", at + 1)) {
        ++n;
      }
      return n;
    };
    while (cycles() < 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    collect.stop(SIGTERM);
  }
  const std::string logged = testing::read_trimmed(log);
  ASSERT_NE(logged.find("samples for"), std::string::npos) << logged;
  EXPECT_EQ(count(logged), 1u) << logged;  // when this process first met it
  exec("DROP ROLE IF EXISTS cli_watcher");
}

TEST_F(PostgresCli, SigtermFinishesTheCycleAndExitsCleanly) {
  const std::string command = "cd '" + dir_.string() +
                              "' && exec '" SLOWSCOPE_BINARY
                              "' collect --interval 1s --config slowscope.yaml 2>'" +
                              (dir_ / "stderr").string() + "'";
  FILE* child = popen(("echo $$; " + command).c_str(), "r");
  ASSERT_NE(child, nullptr);
  char pid_text[32] = {};
  ASSERT_NE(fgets(pid_text, sizeof pid_text, child), nullptr);
  const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ::kill(pid, SIGTERM);
  const auto start = std::chrono::steady_clock::now();
  const int raw = pclose(child);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_TRUE(WIFEXITED(raw) && WEXITSTATUS(raw) == 0) << testing::read_trimmed(dir_ / "stderr");
  EXPECT_NE(testing::read_trimmed(dir_ / "stderr").find("stopped"), std::string::npos);
}

}  // namespace
}  // namespace slowscope
