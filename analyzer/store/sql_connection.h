// SqlConnection: the little the store needs from a database — run a script, prepare a
// statement, bind parameters, step through rows, and transactions — so that the store is
// written once over SQLite and PostgreSQL alike.
//
// Statements use PostgreSQL's placeholders ($1, $2, ...) on both backends. A connection and
// its statements belong to one thread at a time; open one connection per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace slowscope {

// A statement or connection failed. what() names the statement and carries the server's
// message; it never contains a connection password.
class SqlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class SqlBackend { kSqlite, kPostgres };

// "sqlite" or "postgres": also the folder of the backend's migrations in sql/store/.
std::string_view to_string(SqlBackend backend);

// One prepared statement. Parameters are numbered from 1 like $1; result columns from 0.
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;

  virtual void bind_null(int index) = 0;
  virtual void bind_int(int index, int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  virtual void bind_text(int index, std::string_view value) = 0;
  virtual void bind_blob(int index, std::string_view bytes) = 0;

  // Runs the statement on the first call after binding; true while a result row is there.
  virtual bool step() = 0;

  virtual bool is_null(int column) const = 0;
  virtual int64_t get_int(int column) const = 0;
  virtual double get_double(int column) const = 0;
  virtual std::string get_text(int column) const = 0;
  virtual std::string get_blob(int column) const = 0;

  // Forgets the current result so that the statement can run again; bindings are kept.
  virtual void reset() = 0;

  // Rows the last run inserted, updated or deleted (an INSERT ... ON CONFLICT DO NOTHING
  // does not count the rows it skipped). Valid once step() has returned false, also after
  // reset(); 0 before the first run.
  virtual int64_t changes() const = 0;

  // Helpers over the primitives above.
  void bind_optional_double(int index, const std::optional<double>& value);
  std::optional<double> get_optional_double(int column) const;
  // Runs a statement that returns no rows (or whose rows do not matter) and resets it.
  void run();
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  virtual SqlBackend backend() const = 0;

  // Runs one or more ;-separated statements without parameters (DDL, session settings).
  virtual void exec_script(std::string_view name, std::string_view sql) = 0;

  // Prepares one statement; `name` (e.g. "store/top") identifies it in errors and, on
  // PostgreSQL, as the server-side prepared statement, so preparing a name again is cheap.
  virtual std::unique_ptr<SqlStatement> prepare(std::string_view name, std::string_view sql) = 0;

  // One transaction at a time; begin() inside one throws. SQLite takes the write lock at
  // begin() so that two writers queue instead of failing halfway.
  virtual void begin() = 0;
  virtual void commit() = 0;
  // Never throws: used on error paths. A no-op outside a transaction.
  virtual void rollback() noexcept = 0;
  virtual bool in_transaction() const = 0;

  // Moves committed transactions from a write-ahead log into the database file without
  // waiting for anyone (SQLite: a passive WAL checkpoint; PostgreSQL checkpoints by itself,
  // a no-op). Outside a transaction only.
  virtual void flush_wal() = 0;

  // Where this connection goes, fit for messages (passwords masked).
  virtual std::string describe() const = 0;
};

}  // namespace slowscope
