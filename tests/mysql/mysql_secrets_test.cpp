// Secrets in MySQL statements never reach the store or a report: passwords in CREATE USER
// and SET PASSWORD, and a literal in a WHERE clause, written to MariaDB's slow log, its
// mysql.slow_log table and performance_schema, then collected from all three and added with
// `digest --store` — unless a target opts in to examples — in files only their owner can
// read.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/mysql/mysql_workload.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/secrets.h"

namespace slowscope {
namespace {

using testing::run_slowscope;

const std::vector<std::string> kSecrets = {"MyS3cret!pw", "BobPass999", "secret-token-123"};

void plant_secrets(testing::MariadbServer& server) {
  server.sql(
      "CREATE USER IF NOT EXISTS 'victim'@'localhost' IDENTIFIED BY 'MyS3cret!pw'; "
      "SET PASSWORD FOR 'victim'@'localhost' = PASSWORD('BobPass999'); "
      "CREATE DATABASE IF NOT EXISTS wl; CREATE TABLE IF NOT EXISTS wl.secret_items (v TEXT); "
      "SELECT COUNT(*) FROM wl.secret_items WHERE v <> 'secret-token-123';");
}

std::string config(const testing::TempDir& dir, const testing::MariadbServer& server,
                   bool examples) {
  const std::string pw = dir.file("pw");
  std::ofstream(pw) << testing::MariadbServer::kPassword << "\n";
  chmod(pw.c_str(), 0600);
  const std::string connection = "    socket: " + server.socket() + "\n    user: " +
                                 testing::MariadbServer::kUser + "\n    password_file: " + pw +
                                 "\n" + (examples ? "    examples: true\n" : "");
  const std::string path = dir.file("slowscope.yaml");
  std::ofstream(path) << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
                      << "  - name: file\n    engine: mysql\n    source: slow_log_file\n"
                      << "    slow_log: " << server.slow_log().string() << "\n"
                      << (examples ? "    examples: true\n" : "")
                      << "  - name: table\n    engine: mysql\n    source: slow_log_table\n"
                      << connection
                      << "  - name: digests\n    engine: mysql\n    source: performance_schema\n"
                      << connection;
  return path;
}

TEST(MariadbSecretsTest, PlantedSecretsReachNeitherTheStoreNorAReport) {
  auto* server = testing::MariadbEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  testing::TempDir dir;
  const std::string collect = "collect --once --no-detect --config '" + config(dir, *server, false) + "'";
  auto r = run_slowscope(collect);  // baselines
  ASSERT_EQ(r.exit_code, 0) << r.err;
  plant_secrets(*server);
  r = run_slowscope(collect);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(testing::holds_none_of(r.out + r.err, kSecrets, "collect's output"));
  const std::string store = "sqlite:" + dir.file("store.db");
  r = run_slowscope("digest '" + server->slow_log().string() + "' --store " + store +
                    " --target archive");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_TRUE(
      testing::holds_none_of(testing::store_bytes(dir.file("store.db")), kSecrets, "the store"));
  EXPECT_TRUE(testing::private_store_files(dir.file("store.db")));
  const std::string reports = testing::all_report_output("--store " + store);
  EXPECT_NE(reports.find("create user if not exists ?@? identified by ?"), std::string::npos)
      << reports;
  EXPECT_TRUE(testing::holds_none_of(reports, kSecrets, "the reports"));
}

// The opt-in keeps the text: the same check finds it (so the one above can fail).
TEST(MariadbSecretsTest, ATargetWithExamplesKeepsTheLiteralText) {
  auto* server = testing::MariadbEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  testing::TempDir dir;
  const std::string collect = "collect --once --no-detect --config '" + config(dir, *server, true) + "'";
  ASSERT_EQ(run_slowscope(collect).exit_code, 0);
  plant_secrets(*server);
  ASSERT_EQ(run_slowscope(collect).exit_code, 0);
  // (A statement key keeps its first example: CREATE USER's is the test server's own.)
  EXPECT_FALSE(testing::holds_none_of(testing::store_bytes(dir.file("store.db")),
                                      {"secret-token-123"}, ""));
}

}  // namespace
}  // namespace slowscope
