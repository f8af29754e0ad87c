// The MariaDB the MySQL-source tests run against: what they rely on of it.
#include "tests/support/mariadb_server.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace slowscope {
namespace {

class MariadbServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::MariadbEnvironment::server();
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->ok()) << server_->error();
  }
  testing::MariadbServer* server_ = nullptr;
};

TEST_F(MariadbServerTest, LogsEveryStatementToTheSlowLogFileAndTable) {
  server_->sql("SELECT 'harness-probe-1' FROM DUAL;");
  EXPECT_TRUE(std::filesystem::exists(server_->slow_log()));
  const std::string settings = server_->sql(
      "SELECT @@slow_query_log, @@long_query_time, @@log_output, @@performance_schema;");
  EXPECT_EQ(settings, "1\t0.000000\tFILE,TABLE\t1\n");
  const std::string rows =
      server_->sql("SELECT COUNT(*) FROM mysql.slow_log WHERE sql_text LIKE '%harness-probe-1%';");
  EXPECT_EQ(rows, "1\n");
}

TEST_F(MariadbServerTest, StopsAndStartsOnTheSameData) {
  server_->sql(
      "CREATE DATABASE IF NOT EXISTS harness; "
      "CREATE TABLE IF NOT EXISTS harness.kept (x INT); INSERT INTO harness.kept VALUES (7);");
  const int port = server_->port();
  server_->stop();
  EXPECT_THROW(server_->sql("SELECT 1;"), std::runtime_error);
  server_->start();
  EXPECT_EQ(server_->port(), port);
  EXPECT_EQ(server_->sql("SELECT SUM(x) FROM harness.kept;"), "7\n");
  server_->sql("DROP DATABASE harness;");
}

}  // namespace
}  // namespace slowscope
