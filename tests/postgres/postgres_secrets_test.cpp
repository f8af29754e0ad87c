// Secrets in PostgreSQL statements never reach the store or a report: pg_stat_statements
// keeps utility statements as they ran (ALTER ROLE ... PASSWORD '...', SET app.token =
// '...'), and `collect` must store only their literal-free text — unless the target opts in
// to examples — in files only their owner can read.
#include <gtest/gtest.h>

#include <fstream>
#include <pqxx/pqxx>

#include "tests/support/postgres_server.h"
#include "tests/support/secrets.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;
using testing::run_slowscope;

const std::vector<std::string> kSecrets = {"S3cretPW!x", "secret-token-123", "hunter2-copy"};

class PostgresSecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* server = testing::PostgresEnvironment::server();
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->ok()) << server->error();
    conninfo_ = server->conninfo();
  }

  void exec(const std::string& sql) {
    pqxx::connection c(conninfo_);
    pqxx::nontransaction tx(c);
    tx.exec(sql);
  }

  // Writes a configuration with one target over the test server into `dir`.
  std::string config(const testing::TempDir& dir, bool examples) {
    const std::string path = dir.file("slowscope.yaml");
    std::ofstream(path) << "store: sqlite:" << dir.file("store.db")
                        << "\ninterval: 1s\ntargets:\n  - name: pg\n    engine: postgres\n"
                        << "    dsn: \"" << conninfo_ << "\"\n"
                        << (examples ? "    examples: true\n" : "");
    return path;
  }

  void plant_secrets() {
    exec("DO $$ BEGIN CREATE ROLE victim LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    exec("ALTER ROLE victim PASSWORD 'S3cretPW!x'");
    exec("SET app.token = 'secret-token-123'");
    exec("CREATE TABLE IF NOT EXISTS secret_items (v text)");
    exec("SELECT count(*) FROM secret_items WHERE v <> 'secret-token-123'");
    exec("COPY (SELECT 'hunter2-copy') TO '/dev/null'");
  }

  std::string conninfo_;
};

TEST_F(PostgresSecretsTest, PlantedSecretsReachNeitherTheStoreNorAReport) {
  testing::TempDir dir;
  const std::string collect = "collect --once --no-detect --config '" + config(dir, false) + "'";
  ASSERT_EQ(run_slowscope(collect).exit_code, 0);  // the baseline
  plant_secrets();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto r = run_slowscope(collect);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(testing::holds_none_of(r.out + r.err, kSecrets, "collect's output"));

  const fs::path db = dir.file("store.db");
  EXPECT_TRUE(testing::holds_none_of(testing::store_bytes(db), kSecrets, "the store's files"));
  EXPECT_TRUE(testing::private_store_files(db));
  const std::string reports = testing::all_report_output("--store sqlite:" + db.string());
  EXPECT_NE(reports.find("ALTER ROLE /* rest withheld */"), std::string::npos) << reports;
  EXPECT_NE(reports.find("secret_items WHERE v <> $1"), std::string::npos) << reports;
  EXPECT_TRUE(testing::holds_none_of(reports, kSecrets, "the reports"));
}

// The opt-in keeps the text: the same check finds it (so the one above can fail).
TEST_F(PostgresSecretsTest, ATargetWithExamplesKeepsTheLiteralText) {
  testing::TempDir dir;
  const std::string collect = "collect --once --no-detect --config '" + config(dir, true) + "'";
  ASSERT_EQ(run_slowscope(collect).exit_code, 0);
  plant_secrets();
  ASSERT_EQ(run_slowscope(collect).exit_code, 0);
  EXPECT_FALSE(
      testing::holds_none_of(testing::store_bytes(dir.file("store.db")), {"S3cretPW!x"}, ""));
}

}  // namespace
}  // namespace slowscope
