// `slowscope collect` over all three MySQL sources of one real MariaDB at once — the
// slow-log file, the mysql.slow_log table and performance_schema digests — plus a target
// with a wrong password: each source stores the workload's statement counts exactly, and the
// broken target is reported clearly (no password) without holding up the others.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <thread>

#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/mysql/mysql_workload.h"
#include "tests/support/mariadb_server.h"

namespace slowscope {
namespace {

using testing::run_slowscope;

// Calls per kind of statement of `tag`'s workload, found by fingerprint text: digest texts
// fingerprint differently from logged statements (backquotes), so ids do not carry over.
std::pair<int64_t, int64_t> calls_by_text(Store& store, const std::string& target,
                                          const std::string& tag) {
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  int64_t selects = 0;
  int64_t updates = 0;
  for (const auto& t : store.top({target, now - std::chrono::hours(24), now + std::chrono::hours(1),
                                  TopOrder::kCalls, 100000})) {
    if (t.fingerprint.find(tag + "_items") != std::string::npos &&
        t.fingerprint.starts_with("select")) {
      selects += t.measures.calls;
    }
    if (t.fingerprint.find(tag + "_stock") != std::string::npos &&
        t.fingerprint.starts_with("update")) {
      updates += t.measures.calls;
    }
  }
  return {selects, updates};
}

TEST(MariadbCollectTest, EverySourceStoresTheWorkloadExactly) {
  auto* server = testing::MariadbEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  testing::TempDir dir;
  const std::string good = dir.file("good.pw");
  const std::string bad = dir.file("bad.pw");
  std::ofstream(good) << testing::MariadbServer::kPassword << "\n";
  std::ofstream(bad) << "not-the-password\n";
  chmod(good.c_str(), 0600);
  chmod(bad.c_str(), 0600);
  const std::string connection =
      "    socket: " + server->socket() + "\n    user: " + testing::MariadbServer::kUser + "\n";
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: file\n    engine: mysql\n    source: slow_log_file\n    slow_log: "
      << server->slow_log().string() << "\n"
      << "  - name: table\n    engine: mysql\n    source: slow_log_table\n"
      << connection << "    password_file: " << good << "\n"
      << "  - name: digests\n    engine: mysql\n    source: performance_schema\n"
      << connection << "    password_file: " << good << "\n"
      << "  - name: broken\n    engine: mysql\n    source: slow_log_table\n"
      << connection << "    password_file: " << bad << "\n";
  const std::string collect = "collect --once --config '" + dir.file("slowscope.yaml") + "'";

  // Baselines; the broken target's login is refused, which retrying cannot mend: exit 2.
  auto r = run_slowscope(collect);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  testing::MysqlWorkload workload(*server, "allsources");
  workload.run(41, 13);
  r = run_slowscope(collect);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("broken"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ccess denied"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("not-the-password"), std::string::npos) << r.err;

  Store store = Store::open(StoreLocation::parse("sqlite:" + dir.file("store.db")));
  EXPECT_EQ(testing::stored_calls(store, "file", workload.expected()), workload.expected());
  EXPECT_EQ(testing::stored_calls(store, "table", workload.expected()), workload.expected());
  EXPECT_EQ(calls_by_text(store, "digests", "allsources"),
            std::make_pair(int64_t{41}, int64_t{13}));
  EXPECT_EQ(calls_by_text(store, "broken", "allsources"), std::make_pair(int64_t{0}, int64_t{0}));
}

// slowscope's own sessions on the server it reads — the table and performance_schema
// sources, beside a slow-log file target of the same server, which logs every statement —
// never become stored shapes of any source: neither their marked statements nor those
// Connector/C++ sends on connecting (SET autocommit, SET SESSION TRANSACTION ISOLATION
// LEVEL, SHOW SESSION VARIABLES LIKE).
TEST(MariadbCollectTest, SlowscopesOwnStatementsAreNeverStored) {
  auto* server = testing::MariadbEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  server->sql("TRUNCATE TABLE mysql.slow_log;");  // history of other tests
  testing::TempDir dir;
  const std::string password = dir.file("good.pw");
  std::ofstream(password) << testing::MariadbServer::kPassword << "\n";
  chmod(password.c_str(), 0600);
  const std::string connection = "    socket: " + server->socket() +
                                 "\n    user: " + testing::MariadbServer::kUser +
                                 "\n    password_file: " + password + "\n";
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: file\n    engine: mysql\n    source: slow_log_file\n    slow_log: "
      << server->slow_log().string() << "\n"
      << "  - name: table\n    engine: mysql\n    source: slow_log_table\n"
      << connection << "  - name: digests\n    engine: mysql\n    source: performance_schema\n"
      << connection;
  const std::string collect = "collect --once --config '" + dir.file("slowscope.yaml") + "'";

  auto r = run_slowscope(collect + " --from-end");  // baselines
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::MysqlWorkload workload(*server, "ownstmts");
  workload.run(6, 2);
  // Each run connects anew; the next run reads what the previous one's sessions did.
  for (int run = 0; run < 2; ++run) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the next 1 s bucket
    r = run_slowscope(collect);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Nothing ran since: each source says so in a line of its own.
  r = run_slowscope(collect);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("file: nothing new in " + server->slow_log().string()), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("table: nothing new"), std::string::npos) << r.err;

  Store store = Store::open(StoreLocation::parse("sqlite:" + dir.file("store.db")));
  EXPECT_EQ(testing::stored_calls(store, "file", workload.expected()), workload.expected());
  EXPECT_EQ(testing::stored_calls(store, "table", workload.expected()), workload.expected());
  EXPECT_EQ(calls_by_text(store, "digests", "ownstmts"), std::make_pair(int64_t{6}, int64_t{2}));
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  for (const std::string target : {"file", "table", "digests"}) {
    for (const auto& t : store.top({target, now - std::chrono::hours(1),
                                    now + std::chrono::hours(1), TopOrder::kCalls, 1000})) {
      std::string text = t.fingerprint;
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (const char* own :
           {"slowscope", "autocommit", "isolation level", "show session variables",
            "min_examined_row_limit", "time_zone", "performance_schema", "slow_log ",
            "information_schema", "connection_id"}) {
        EXPECT_EQ(text.find(own), std::string::npos)
            << target << " stored slowscope's own statement: " << t.fingerprint;
      }
    }
  }
}

// The server goes down: the connection sources say so (once per cycle, naming the target
// and where they tried), the file source keeps collecting, and after the server is back
// everything is collected again without loss for the sources that can catch up.
TEST(MariadbCollectTest, AServerDownAndUpAgain) {
  auto* server = testing::MariadbEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  testing::TempDir dir;
  const std::string good = dir.file("good.pw");
  std::ofstream(good) << testing::MariadbServer::kPassword << "\n";
  chmod(good.c_str(), 0600);
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: file\n    engine: mysql\n    source: slow_log_file\n    slow_log: "
      << server->slow_log().string() << "\n"
      << "  - name: table\n    engine: mysql\n    source: slow_log_table\n    socket: "
      << server->socket() << "\n    user: " << testing::MariadbServer::kUser
      << "\n    password_file: " << good << "\n";
  const std::string collect = "collect --once --config '" + dir.file("slowscope.yaml") + "'";
  testing::MysqlWorkload workload(*server, "downup");
  workload.run(7, 3);
  auto r = run_slowscope(collect);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  workload.run(5, 0);
  server->stop();  // the last statements are in the file; the table is out of reach
  r = run_slowscope(collect);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("table"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(server->socket()), std::string::npos) << r.err;
  {
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir.file("store.db")));
    EXPECT_EQ(testing::stored_calls(store, "file", workload.expected()), workload.expected());
  }

  server->start();
  workload.run(2, 2);
  r = run_slowscope(collect);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Store store = Store::open(StoreLocation::parse("sqlite:" + dir.file("store.db")));
  EXPECT_EQ(testing::stored_calls(store, "file", workload.expected()), workload.expected());
  EXPECT_EQ(testing::stored_calls(store, "table", workload.expected()), workload.expected());
}

// A slow-log file that is not there: `collect --once` cannot wait for it and fails (exit 1,
// the other targets collected), and `config check` says so beforehand.
TEST(SlowLogFileCli, MissingLogFailsOnceAndConfigCheckTellsIt) {
  testing::TempDir dir;
  const std::string present = dir.file("present.log");
  std::ofstream(present) << "# Time: 2024-03-01T10:00:00.000000Z\n# Query_time: 0.5  Lock_time: 0\n"
                            "SET timestamp=1709287200;\nSELECT 1;\n";
  const std::string missing = dir.file("missing.log");
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: present\n    engine: mysql\n    source: slow_log_file\n    slow_log: "
      << present << "\n"
      << "  - name: absent\n    engine: mysql\n    source: slow_log_file\n    slow_log: " << missing
      << "\n";
  const std::string config = " --config '" + dir.file("slowscope.yaml") + "'";

  auto r = run_slowscope("config check" + config);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("target absent: slow_log " + missing + " does not exist"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("target present"), std::string::npos) << r.err;

  r = run_slowscope("collect --once --no-detect" + config);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("absent: " + missing + " does not exist; nothing collected"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("present: 1 entries"), std::string::npos) << r.err;

  std::ofstream(missing) << "";
  EXPECT_EQ(run_slowscope("config check" + config).exit_code, 0);
  r = run_slowscope("collect --once --no-detect" + config);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace slowscope
