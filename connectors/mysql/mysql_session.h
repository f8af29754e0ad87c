// MysqlSession: slowscope's one connection to one MySQL, MariaDB or Percona Server target,
// for the sources that read from the server (the mysql.slow_log table, performance_schema).
//
// It connects through a unix socket or host:port as the target's MysqlTargetOptions say, as
// `user`, with the password of `password_file` (read into memory, never on a command line,
// never in a message) or with whatever a my.cnf-style `defaults_file` gives (its [client]
// group). Every connection has a connect timeout and read/write timeouts on every call,
// and its session runs in UTC with a statement timeout (MariaDB max_statement_time, MySQL
// max_execution_time). Every failure is a SourceError whose message names the target and
// what to check. The connection is opened lazily and dropped after it breaks, so the next
// call reconnects.
//
// Every statement slowscope sends starts with kOwnStatementMarker (see pgss_poller.h). What
// the session sends, Connector/C++'s own statements on connecting included, stays out of the
// server's slow log: an init command (sql/mysql/session_quiet.sql) raises the session's
// min_examined_row_limit beyond reach before anything else runs. And the session's default
// database is kOwnSessionSchema, so that performance_schema digests of what Connector/C++
// sends are keyed apart from the applications' (digest_summary_poller.h).
//
// One thread at a time: use one session per target and thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "analyzer/config/config.h"
#include "connectors/common/source_error.h"

namespace sql {
class ResultSet;
}  // namespace sql

namespace slowscope {

// The default database of slowscope's MySQL sessions: readable by every user, and not where
// applications run their statements. Every statement slowscope sends names its tables with
// their schema.
inline constexpr std::string_view kOwnSessionSchema = "information_schema";

struct MysqlSessionOptions {
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{30};  // per network read: bounds a call on a hung server
  std::chrono::seconds write_timeout{30};
  // The session's statement timeout; 0 for none.
  std::chrono::milliseconds statement_timeout{10000};
};

// What the session learnt about the server when it connected.
struct MysqlServerInfo {
  // Stable across restarts of the same server: MySQL's @@server_uuid; MariaDB has none,
  // so "mariadb:HOSTNAME:PORT/SERVER_ID".
  std::string identity;
  std::string version;          // @@version, e.g. "10.11.6-MariaDB-0+deb12u1-log"
  std::string version_comment;  // @@version_comment, e.g. "MySQL Community Server - GPL"
  bool mariadb = false;
  // CONNECTION_ID() of the session's connection: the thread_id its statements are logged
  // with.
  int64_t connection_id = 0;
};

// One row of a result, valid only during the callback that receives it. Columns count
// from 0, in the order of the statement's select list.
class MysqlRow {
 public:
  // `context` names the target and what is read, for errors: "db1: reading mysql.slow_log".
  MysqlRow(sql::ResultSet& rows, std::string context) : rows_(rows), context_(std::move(context)) {}
  bool is_null(int column) const;
  // The value as text; "" for NULL.
  std::string text(int column) const;
  // Integers read from their text; `fallback` for NULL. Throws SourceError (kQueryFailed),
  // naming the context and the column, when the value is not an integer.
  int64_t int64(int column, int64_t fallback = 0) const;
  uint64_t uint64(int column, uint64_t fallback = 0) const;

 private:
  sql::ResultSet& rows_;
  std::string context_;
};

// A value bound to a `?` of a statement.
using MysqlParam = std::variant<int64_t, std::string>;

class MysqlSession {
 public:
  // Keeps a copy of what it needs from `target`; the password file is read at connect().
  explicit MysqlSession(const TargetConfig& target, MysqlSessionOptions options = {});
  ~MysqlSession();
  MysqlSession(const MysqlSession&) = delete;
  MysqlSession& operator=(const MysqlSession&) = delete;

  const std::string& target() const { return target_; }
  // Where it connects, for messages: "socket /run/mysqld/mysqld.sock" or "host db1:3306".
  std::string endpoint() const;
  const MysqlSessionOptions& options() const { return options_; }

  // Opens the connection (when not open), sets up the session and reads the server facts.
  // Throws SourceError.
  void connect();
  bool connected() const { return connection_ != nullptr; }
  // Closes the connection; the next call reconnects.
  void disconnect();

  // The server facts of the current connection; connects first. Throws SourceError.
  const MysqlServerInfo& server();

  // Runs one statement, with `params` bound to its `?`s when there are any (a prepared
  // statement; otherwise the text protocol), and calls `on_row` for each result row.
  // Returns the number of rows. `doing` says what for, in messages ("reading
  // mysql.slow_log"). Connects first. Throws SourceError; a broken connection is dropped
  // before the error is thrown, and an exception from `on_row` passes through.
  int64_t query(std::string_view doing, std::string_view sql, const std::vector<MysqlParam>& params,
                const std::function<void(const MysqlRow&)>& on_row);
  // A statement without a result.
  void execute(std::string_view doing, std::string_view sql,
               const std::vector<MysqlParam>& params = {});

  // Connections opened since construction.
  int64_t connects() const { return connects_; }

 private:
  struct Connection;  // the Connector/C++ connection
  void open();
  int64_t run(std::string_view sql, const std::vector<MysqlParam>& params,
              const std::function<void(const MysqlRow&)>* on_row,
              std::string_view doing = "reading the server's facts");
  [[noreturn]] void fail(std::string_view doing, const std::exception& e, bool connecting);
  std::string scrub(std::string text) const;

  std::string target_;
  MysqlTargetOptions mysql_;
  std::string password_file_;
  std::string password_;  // read from password_file_ at connect time, kept for scrubbing
  MysqlSessionOptions options_;
  std::unique_ptr<Connection> connection_;
  std::optional<MysqlServerInfo> server_;
  int64_t connects_ = 0;
};

}  // namespace slowscope
