// SqliteConnection: SqlConnection over the sqlite3 C API, for the single-file store.
// One thread at a time (the handle is opened in SQLite's multi-thread mode); several
// connections, in one process or many, may use the same file.
#pragma once

#include <memory>
#include <string>

#include "analyzer/store/sql_connection.h"

struct sqlite3;

namespace slowscope {

// Whether SqliteConnection may create the database file.
enum class SqliteFile {
  kCreate,  // create the file if missing, and put it in WAL mode
  // The file must exist; its journal mode is left as it is (a store is in WAL mode since
  // the connection that created it), so that opening another program's database to find
  // it is not a store changes nothing in it.
  kExisting,
};

class SqliteConnection : public SqlConnection {
 public:
  // Opens the database file at `path` (creating it only with SqliteFile::kCreate), applies
  // the session settings of sql/store/sqlite/session.sql and, with kCreate, puts the file in
  // WAL mode, waiting up to 10 s for another connection doing the same. Throws SqlError
  // naming the path.
  explicit SqliteConnection(const std::string& path, SqliteFile file = SqliteFile::kCreate);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  SqlBackend backend() const override { return SqlBackend::kSqlite; }
  void exec_script(std::string_view name, std::string_view sql) override;
  std::unique_ptr<SqlStatement> prepare(std::string_view name, std::string_view sql) override;
  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  bool in_transaction() const override { return in_transaction_; }
  void flush_wal() override;
  std::string describe() const override { return "sqlite:" + path_; }

  // The database file.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  bool in_transaction_ = false;
};

}  // namespace slowscope
