#include "connectors/mysql/mysql_session.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <charconv>
#include <cstdio>
#include <mutex>

#include "analyzer/config/password_file.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

// Server and client error codes the messages distinguish.
constexpr int kErDbAccessDenied = 1044;
constexpr int kErAccessDenied = 1045;
constexpr int kErTableAccessDenied = 1142;
constexpr int kErColumnAccessDenied = 1143;
constexpr int kErSpecificAccessDenied = 1227;
constexpr int kErAccessDeniedNoPassword = 1698;
constexpr int kErMariadbStatementTimeout = 1969;
constexpr int kErMysqlQueryTimeout = 3024;
constexpr int kCrConnectionError = 2002;
constexpr int kCrConnHostError = 2003;
constexpr int kCrUnknownHost = 2005;
constexpr int kCrServerGoneError = 2006;
constexpr int kCrServerLost = 2013;
constexpr int kCrServerLostExtended = 2055;

::sql::mysql::MySQL_Driver& driver() {
  // The driver instance is created on first use; that first call is not thread-safe.
  static std::once_flag once;
  static ::sql::mysql::MySQL_Driver* instance = nullptr;
  std::call_once(once, [] { instance = ::sql::mysql::get_mysql_driver_instance(); });
  return *instance;
}

int error_code(const std::exception& e) {
  const auto* sql_error = dynamic_cast<const ::sql::SQLException*>(&e);
  return sql_error != nullptr ? sql_error->getErrorCode() : 0;
}

bool is_access_denied(int code) {
  return code == kErAccessDenied || code == kErAccessDeniedNoPassword || code == kErDbAccessDenied;
}

bool is_connection_lost(int code) {
  return code == kCrServerGoneError || code == kCrServerLost || code == kCrServerLostExtended ||
         code == kCrConnectionError || code == kCrConnHostError;
}

std::string trim_message(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string seconds_text(std::chrono::milliseconds ms) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(ms.count()) / 1000.0);
  return buffer;
}

// Column `column` (0-based) of a row read while doing `context` ("db1: reading ...").
template <typename T>
T parse_integer(const std::string& text, int column, std::string_view context) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw SourceError(SourceError::Kind::kQueryFailed, std::string(context) + ": column " +
                                                           std::to_string(column + 1) +
                                                           " is not an integer: '" + text + "'");
  }
  return value;
}

}  // namespace

struct MysqlSession::Connection {
  std::unique_ptr<::sql::Connection> handle;
};

bool MysqlRow::is_null(int column) const {
  return rows_.isNull(static_cast<uint32_t>(column + 1));
}

std::string MysqlRow::text(int column) const {
  if (is_null(column)) return {};
  return std::string(rows_.getString(static_cast<uint32_t>(column + 1)));
}

int64_t MysqlRow::int64(int column, int64_t fallback) const {
  if (is_null(column)) return fallback;
  return parse_integer<int64_t>(text(column), column, context_);
}

uint64_t MysqlRow::uint64(int column, uint64_t fallback) const {
  if (is_null(column)) return fallback;
  return parse_integer<uint64_t>(text(column), column, context_);
}

MysqlSession::MysqlSession(const TargetConfig& target, MysqlSessionOptions options)
    : target_(target.name),
      mysql_(target.mysql),
      password_file_(target.password_file),
      options_(options) {}

MysqlSession::~MysqlSession() = default;

std::string MysqlSession::endpoint() const {
  if (!mysql_.socket.empty()) return "socket " + mysql_.socket;
  return "host " + mysql_.host + ":" + std::to_string(mysql_.port.value_or(3306));
}

void MysqlSession::disconnect() {
  connection_.reset();
  server_.reset();
}

std::string MysqlSession::scrub(std::string text) const {
  if (password_.empty()) return text;
  for (size_t at = text.find(password_); at != std::string::npos;
       at = text.find(password_, at + 3)) {
    text.replace(at, password_.size(), "***");
  }
  return text;
}

void MysqlSession::fail(std::string_view doing, const std::exception& e, bool connecting) {
  const int code = error_code(e);
  const std::string detail = scrub(trim_message(e.what()));
  const std::string user =
      mysql_.user.empty() ? std::string("the defaults file's user") : "user '" + mysql_.user + "'";
  if (connecting) {
    disconnect();
    if (is_access_denied(code)) {
      throw SourceError(SourceError::Kind::kLoginRefused,
                        target_ + ": access denied at " + endpoint() + " for " + user +
                            ": check user, password_file and defaults_file (" + detail + ")");
    }
    // An unknown host is a typo or a name-service failure, never a server that is down.
    const std::string hint =
        !mysql_.socket.empty() ? "is the server running, and is the socket path right?"
        : code == kCrUnknownHost
            ? "the host name does not resolve: is host spelled right, and is name service up?"
            : "is the server running and reachable there, and are host and port right?";
    const std::string timeout = std::to_string(options_.connect_timeout.count());
    throw SourceError(SourceError::Kind::kCannotConnect, target_ + ": cannot connect to " +
                                                             endpoint() + " (timeout " + timeout +
                                                             " s): " + hint + " (" + detail + ")");
  }
  if (is_connection_lost(code)) {
    disconnect();
    throw SourceError(SourceError::Kind::kConnectionLost,
                      target_ + ": connection to " + endpoint() + " lost while " +
                          std::string(doing) + "; it is reopened on the next call (" + detail +
                          ")");
  }
  if (code == kErMariadbStatementTimeout || code == kErMysqlQueryTimeout) {
    throw SourceError(SourceError::Kind::kTimeout,
                      target_ + ": " + std::string(doing) + " took longer than the statement " +
                          "timeout of " + seconds_text(options_.statement_timeout) + " s (" +
                          detail + ")");
  }
  if (code == kErTableAccessDenied || code == kErColumnAccessDenied ||
      code == kErSpecificAccessDenied) {
    throw SourceError(SourceError::Kind::kPrivilegeMissing,
                      target_ + ": " + std::string(doing) + ": " + user +
                          " lacks a privilege: grant it what docs/MYSQL.md lists (" + detail + ")");
  }
  throw SourceError(SourceError::Kind::kQueryFailed,
                    target_ + ": " + std::string(doing) + ": " + detail);
}

void MysqlSession::open() {
  ::sql::ConnectOptionsMap properties;
  if (!mysql_.socket.empty()) {
    properties["hostName"] = ::sql::SQLString("localhost");
    properties["socket"] = ::sql::SQLString(mysql_.socket);
  } else {
    properties["hostName"] = ::sql::SQLString(mysql_.host);
    properties["port"] = static_cast<int>(mysql_.port.value_or(3306));
  }
  if (!mysql_.user.empty()) properties["userName"] = ::sql::SQLString(mysql_.user);
  if (!password_file_.empty()) {
    try {
      password_ = read_password_file(password_file_);
    } catch (const std::exception& e) {
      throw SourceError(SourceError::Kind::kMisconfigured, target_ + ": " + e.what());
    }
    properties["password"] = ::sql::SQLString(password_);
  }
  if (!mysql_.defaults_file.empty()) {
    properties["readDefaultFile"] = ::sql::SQLString(mysql_.defaults_file);
  }
  properties["OPT_CONNECT_TIMEOUT"] = static_cast<int>(options_.connect_timeout.count());
  properties["OPT_READ_TIMEOUT"] = static_cast<int>(options_.read_timeout.count());
  properties["OPT_WRITE_TIMEOUT"] = static_cast<int>(options_.write_timeout.count());
  properties["OPT_RECONNECT"] = false;
  // The client library runs the init command right after the login, before Connector/C++
  // sends its own statements: all of them then stay out of the slow log.
  properties["preInit"] = ::sql::SQLString(std::string(sql::text("mysql/session_quiet")));
  properties["schema"] = ::sql::SQLString(std::string(kOwnSessionSchema));
  properties["OPT_CHARSET_NAME"] = ::sql::SQLString("utf8mb4");
  properties["characterSetResults"] = ::sql::SQLString("utf8mb4");
  try {
    auto connection = std::make_unique<Connection>();
    connection->handle.reset(driver().connect(properties));
    connection_ = std::move(connection);
    ++connects_;
  } catch (const std::exception& e) {
    fail("connecting", e, true);
  }
}

void MysqlSession::connect() {
  if (connection_ && server_) return;
  if (!connection_) open();
  MysqlServerInfo info;
  try {
    const std::function<void(const MysqlRow&)> facts = [&](const MysqlRow& row) {
      info.version = row.text(0);
      info.version_comment = row.text(1);
      info.mariadb = info.version.find("MariaDB") != std::string::npos ||
                     info.version_comment.find("MariaDB") != std::string::npos;
      info.identity = "mariadb:" + row.text(2) + ":" + row.text(3) + "/" + row.text(4);
      info.connection_id = row.int64(5);
    };
    run(sql::text("mysql/server_facts"), {}, &facts);
    if (!info.mariadb) {
      const std::function<void(const MysqlRow&)> uuid = [&](const MysqlRow& row) {
        info.identity = row.text(0);
      };
      run(sql::text("mysql/server_uuid"), {}, &uuid);
    }
    if (info.mariadb) {
      run(sql::text("mysql/session_mariadb"), {int64_t{options_.statement_timeout.count()}},
          nullptr);
    } else {
      run(sql::text("mysql/session_mysql"), {int64_t{options_.statement_timeout.count()}}, nullptr);
    }
  } catch (const SourceError&) {
    throw;
  } catch (const std::exception& e) {
    fail("setting up the session", e, false);
  }
  server_ = std::move(info);
}

const MysqlServerInfo& MysqlSession::server() {
  connect();
  return *server_;
}

int64_t MysqlSession::run(std::string_view sql, const std::vector<MysqlParam>& params,
                          const std::function<void(const MysqlRow&)>* on_row,
                          std::string_view doing) {
  std::unique_ptr<::sql::ResultSet> rows;
  if (params.empty()) {
    std::unique_ptr<::sql::Statement> statement(connection_->handle->createStatement());
    if (on_row == nullptr) {
      statement->execute(::sql::SQLString(std::string(sql)));
      return 0;
    }
    rows.reset(statement->executeQuery(::sql::SQLString(std::string(sql))));
  } else {
    std::unique_ptr<::sql::PreparedStatement> statement(
        connection_->handle->prepareStatement(::sql::SQLString(std::string(sql))));
    for (size_t i = 0; i < params.size(); ++i) {
      const auto index = static_cast<unsigned int>(i + 1);
      if (const auto* number = std::get_if<int64_t>(&params[i])) {
        statement->setInt64(index, *number);
      } else {
        statement->setString(index, ::sql::SQLString(std::get<std::string>(params[i])));
      }
    }
    if (on_row == nullptr) {
      statement->execute();
      return 0;
    }
    rows.reset(statement->executeQuery());
  }
  int64_t count = 0;
  const MysqlRow row(*rows, target_ + ": " + std::string(doing));
  while (rows->next()) {
    (*on_row)(row);
    ++count;
  }
  return count;
}

int64_t MysqlSession::query(std::string_view doing, std::string_view sql,
                            const std::vector<MysqlParam>& params,
                            const std::function<void(const MysqlRow&)>& on_row) {
  connect();
  try {
    return run(sql, params, &on_row, doing);
  } catch (const ::sql::SQLException& e) {
    fail(doing, e, false);
  }
}

void MysqlSession::execute(std::string_view doing, std::string_view sql,
                           const std::vector<MysqlParam>& params) {
  connect();
  try {
    run(sql, params, nullptr);
  } catch (const ::sql::SQLException& e) {
    fail(doing, e, false);
  }
}

}  // namespace slowscope
