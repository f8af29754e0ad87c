// SqliteConnection: SqlConnection over the sqlite3 C API, for the single-file store.
// One thread at a time (the handle is opened in SQLite's multi-thread mode); several
// connections, in one process or many, may use the same file.
#pragma once

#include <memory>
#include <string>

#include "analyzer/store/sql_connection.h"

struct sqlite3;

namespace slowscope {

class SqliteConnection : public SqlConnection {
 public:
  // Opens (creating if needed) the database file at `path`, applies the session settings
  // of sql/store/sqlite/session.sql and puts the file in WAL mode, waiting up to 10 s for
  // another connection doing the same. Throws SqlError naming the path.
  explicit SqliteConnection(const std::string& path);
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
  void checkpoint_log() override;
  std::string describe() const override { return "sqlite:" + path_; }

  // The database file.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  bool in_transaction_ = false;
};

}  // namespace slowscope
