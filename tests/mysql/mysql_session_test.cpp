// MysqlSession against the shared MariaDB: ways to connect, the session it sets up, and
// what its errors say when the password, the socket or the server is wrong.
#include "connectors/mysql/mysql_session.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "connectors/common/collector.h"
#include "sql/embedded.h"
#include "tests/mysql/mysql_test_util.h"

namespace slowscope {
namespace {

using testing::MariadbFixture;

std::string one_value(MysqlSession& session, const std::string& sql) {
  std::string value;
  session.query("testing", sql, {}, [&](const MysqlRow& row) { value = row.text(0); });
  return value;
}

class MariadbSessionTest : public MariadbFixture {};

TEST_F(MariadbSessionTest, ConnectsThroughTheSocketWithAPasswordFile) {
  MysqlSession session(socket_target());
  const MysqlServerInfo& info = session.server();
  EXPECT_TRUE(info.mariadb);
  EXPECT_NE(info.version.find("MariaDB"), std::string::npos) << info.version;
  EXPECT_EQ(info.identity.rfind("mariadb:", 0), 0u) << info.identity;
  EXPECT_NE(info.identity.find(":" + std::to_string(server_->port()) + "/"), std::string::npos);
  EXPECT_EQ(one_value(session, "SELECT CURRENT_USER()"), "bench@localhost");
}

TEST_F(MariadbSessionTest, ConnectsThroughHostAndPort) {
  MysqlSession session(tcp_target());
  EXPECT_EQ(one_value(session, "SELECT CURRENT_USER()"), "bench@127.0.0.1");
  // The identity does not depend on how the server is reached.
  MysqlSession by_socket(socket_target());
  EXPECT_EQ(session.server().identity, by_socket.server().identity);
}

TEST_F(MariadbSessionTest, ConnectsWithTheCredentialsOfADefaultsFile) {
  TargetConfig target = socket_target();
  target.password_file.clear();
  target.mysql.user.clear();
  target.mysql.defaults_file = private_file("my.cnf", "[client]\nuser=bench\npassword=bench\n");
  MysqlSession session(target);
  EXPECT_EQ(one_value(session, "SELECT CURRENT_USER()"), "bench@localhost");
}

TEST_F(MariadbSessionTest, SessionRunsInUtcWithAStatementTimeout) {
  MysqlSessionOptions options;
  options.statement_timeout = std::chrono::milliseconds(1500);
  MysqlSession session(socket_target(), options);
  EXPECT_EQ(one_value(session, "SELECT @@session.time_zone"), "+00:00");
  EXPECT_EQ(one_value(session, "SELECT @@session.max_statement_time"), "1.500000");
  try {
    session.query("sleeping", "SELECT SLEEP(5)", {}, [](const MysqlRow&) {});
    // MariaDB ends SLEEP early on a timeout and returns 1 rather than failing.
  } catch (const SourceError& e) {
    EXPECT_EQ(e.kind(), SourceError::Kind::kTimeout) << e.what();
  }
}

// The server logs every statement (long_query_time=0, FILE and TABLE): nothing of a
// session of slowscope's reaches its slow log, not even what Connector/C++ sends on
// connecting, and the session runs in information_schema (see digest_summary_poller.h).
TEST_F(MariadbSessionTest, SessionStaysOutOfTheSlowLog) {
  // Connection ids start again after a server restart: only what is logged from now on
  // counts.
  server_->sql("TRUNCATE TABLE mysql.slow_log;");
  const auto log_start = std::filesystem::file_size(server_->slow_log());
  MysqlSession session(socket_target());
  EXPECT_EQ(one_value(session, "/* slowscope */ SELECT DATABASE()"), "information_schema");
  one_value(session, "/* slowscope */ SELECT COUNT(*) FROM mysql.user");
  const std::string id = std::to_string(session.server().connection_id);
  EXPECT_EQ(server_->sql("SELECT COUNT(*) FROM mysql.slow_log WHERE thread_id = " + id + ";"),
            "0\n");
  std::ifstream log(server_->slow_log());
  log.seekg(static_cast<std::streamoff>(log_start));
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("# Thread_id: " + id + " "), std::string::npos);
  // Another session's statements are logged as before.
  MysqlSession other(socket_target());
  other.execute("testing", "SET SESSION min_examined_row_limit = 0");
  other.execute("testing", "SET @logged = 1");
  const std::string other_id = std::to_string(other.server().connection_id);
  EXPECT_NE(server_->sql("SELECT COUNT(*) FROM mysql.slow_log WHERE thread_id = " + other_id + ";"),
            "0\n");
}

TEST_F(MariadbSessionTest, PreparedStatementsBindParameters) {
  MysqlSession session(socket_target());
  std::vector<std::string> got;
  session.query("testing", "SELECT ? + 1, CONCAT(?, 'x')", {int64_t{41}, std::string("y")},
                [&](const MysqlRow& row) {
                  got.push_back(row.text(0));
                  got.push_back(row.text(1));
                  EXPECT_EQ(row.int64(0), 42);
                });
  EXPECT_EQ(got, (std::vector<std::string>{"42", "yx"}));
}

TEST_F(MariadbSessionTest, AValueThatIsNotAnIntegerNamesTheTargetAndTheColumn) {
  MysqlSession session(socket_target());
  int64_t read = 0;
  try {
    session.query("reading counts", "SELECT 7, 'twelve'", {}, [&](const MysqlRow& row) {
      read = row.int64(0);
      row.uint64(1);
    });
    ADD_FAILURE() << "expected SourceError";
  } catch (const SourceError& e) {
    EXPECT_EQ(e.kind(), SourceError::Kind::kQueryFailed);
    EXPECT_EQ(std::string(e.what()),
              socket_target().name + ": reading counts: column 2 is not an integer: 'twelve'");
  }
  EXPECT_EQ(read, 7);
}

TEST_F(MariadbSessionTest, WrongPasswordSaysAccessDeniedWithoutThePassword) {
  MysqlSession session(socket_target("wrong-secret-pw"));
  try {
    session.connect();
    FAIL() << "connected with a wrong password";
  } catch (const SourceError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.kind(), SourceError::Kind::kLoginRefused) << message;
    EXPECT_EQ(message.rfind("testdb: ", 0), 0u) << message;
    EXPECT_NE(message.find("password_file"), std::string::npos) << message;
    EXPECT_NE(message.find(server_->socket()), std::string::npos) << message;
    EXPECT_EQ(message.find("wrong-secret-pw"), std::string::npos) << message;
  }
  EXPECT_FALSE(session.connected());
}

// Logged in, but not allowed to read mysql.slow_log: told apart from a refused login, and
// a collector then needs a person just the same.
TEST_F(MariadbSessionTest, AMissingPrivilegeIsToldApartFromARefusedLogin) {
  server_->sql(
      "CREATE USER IF NOT EXISTS 'noprivs'@'localhost' IDENTIFIED BY 'noprivs-pw'; "
      "GRANT USAGE ON *.* TO 'noprivs'@'localhost';");
  TargetConfig target = socket_target("noprivs-pw");
  target.mysql.user = "noprivs";
  MysqlSession session(target);
  try {
    one_value(session, "SELECT COUNT(*) FROM mysql.slow_log");
    FAIL() << "read mysql.slow_log without a privilege";
  } catch (const SourceError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.kind(), SourceError::Kind::kPrivilegeMissing) << message;
    EXPECT_EQ(message.rfind("testdb: testing: user 'noprivs' lacks a privilege", 0), 0u) << message;
    EXPECT_EQ(health_of(e), CollectorHealth::kLoginRefused);
  }
  EXPECT_TRUE(session.connected());  // the connection itself is fine
}

TEST_F(MariadbSessionTest, WrongSocketSaysWhichSocket) {
  TargetConfig target = socket_target();
  target.mysql.socket = (dir_ / "no-such.sock").string();
  MysqlSession session(target);
  try {
    session.connect();
    FAIL() << "connected to a missing socket";
  } catch (const SourceError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.kind(), SourceError::Kind::kCannotConnect) << message;
    EXPECT_EQ(message.rfind("testdb: cannot connect to socket " + target.mysql.socket, 0), 0u)
        << message;
  }
}

TEST_F(MariadbSessionTest, AHostThatDoesNotResolveIsNamedAsSuch) {
  TargetConfig target = tcp_target();
  target.mysql.host = "no-such-host.invalid";  // RFC 6761: never resolves
  MysqlSession session(target);
  try {
    session.connect();
    FAIL() << "connected to a host that does not exist";
  } catch (const SourceError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.kind(), SourceError::Kind::kCannotConnect) << message;
    EXPECT_EQ(message.rfind("testdb: cannot connect to host no-such-host.invalid:", 0), 0u)
        << message;
    EXPECT_NE(message.find("does not resolve"), std::string::npos) << message;
  }
}

TEST_F(MariadbSessionTest, UnreadablePasswordFileIsAConfigError) {
  TargetConfig target = socket_target();
  target.password_file = (dir_ / "missing-password").string();
  MysqlSession session(target);
  try {
    session.connect();
    FAIL();
  } catch (const SourceError& e) {
    EXPECT_EQ(e.kind(), SourceError::Kind::kMisconfigured) << e.what();
    EXPECT_NE(std::string(e.what()).find("missing-password"), std::string::npos);
  }
}

TEST_F(MariadbSessionTest, StoppedServerFailsFastAndTheSessionReconnectsAfterItsReturn) {
  MysqlSessionOptions options;
  options.connect_timeout = std::chrono::seconds(2);
  MysqlSession connected(tcp_target(), options);
  EXPECT_EQ(one_value(connected, "SELECT 1"), "1");
  server_->stop();

  MysqlSession fresh(tcp_target("secret-when-down"), options);
  const auto start = std::chrono::steady_clock::now();
  try {
    fresh.connect();
    ADD_FAILURE() << "connected to a stopped server";
  } catch (const SourceError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.kind(), SourceError::Kind::kCannotConnect) << message;
    EXPECT_NE(message.find("127.0.0.1:" + std::to_string(server_->port())), std::string::npos)
        << message;
    EXPECT_EQ(message.find("secret-when-down"), std::string::npos) << message;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));

  try {
    one_value(connected, "SELECT 1");
    ADD_FAILURE() << "a query on a stopped server succeeded";
  } catch (const SourceError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("testdb: ", 0), 0u) << e.what();
  }
  EXPECT_FALSE(connected.connected());

  server_->start();
  EXPECT_EQ(one_value(connected, "SELECT 2"), "2");
  EXPECT_EQ(connected.connects(), 2);
}

// The server process frozen (SIGSTOP): the kernel still accepts connections, nothing
// answers. Connecting and reading give up after their timeouts.
TEST_F(MariadbSessionTest, AHungServerCostsNoMoreThanTheTimeouts) {
  const std::string pid = [&] {
    std::ifstream in(server_->dir() / "pid");
    std::string text;
    std::getline(in, text);
    return text;
  }();
  ASSERT_FALSE(pid.empty());
  MysqlSessionOptions options;
  options.connect_timeout = std::chrono::seconds(2);
  options.read_timeout = std::chrono::seconds(2);
  options.write_timeout = std::chrono::seconds(2);
  MysqlSession connected(tcp_target(), options);
  EXPECT_EQ(one_value(connected, "SELECT 1"), "1");

  ASSERT_EQ(::kill(std::stoi(pid), SIGSTOP), 0);
  auto start = std::chrono::steady_clock::now();
  MysqlSession fresh(tcp_target(), options);
  EXPECT_THROW(fresh.connect(), SourceError);
  const auto connect_took = std::chrono::steady_clock::now() - start;
  start = std::chrono::steady_clock::now();
  EXPECT_THROW(one_value(connected, "SELECT 2"), SourceError);
  const auto query_took = std::chrono::steady_clock::now() - start;
  ::kill(std::stoi(pid), SIGCONT);

  EXPECT_LT(connect_took, std::chrono::seconds(4));
  EXPECT_LT(query_took, std::chrono::seconds(4));
  std::printf("hung server: connect gave up after %.1f s, query after %.1f s\n",
              std::chrono::duration<double>(connect_took).count(),
              std::chrono::duration<double>(query_took).count());
  EXPECT_EQ(one_value(connected, "SELECT 3"), "3");  // reconnects
}

TEST(MysqlSessionSql, EveryStatementStartsWithTheMarker) {
  for (const std::string_view name : sql::names("mysql/")) {
    EXPECT_EQ(sql::text(name).rfind("/* slowscope */", 0), 0u) << name;
  }
  EXPECT_FALSE(sql::names("mysql/").empty());
}

}  // namespace
}  // namespace slowscope
