// PostgresConnection: SqlConnection over libpqxx 6.4, for a store shared by collectors.
//
// The store may live on a cluster slowscope monitors, so its sessions keep out of what
// pg_stat_statements shows as the workload: every statement they send starts with the
// marker comment kOwnStatementMarker (each statement of a script, and BEGIN, COMMIT and
// ROLLBACK, which this class sends itself), and they run with
// fallback_application_name=slowscope. See docs/COLLECT.md, "slowscope's own statements".
//
// One thread at a time; open one connection per thread or process.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "analyzer/store/sql_connection.h"

namespace pqxx {
class result;
class transaction_base;
}  // namespace pqxx

namespace slowscope {

class PostgresConnection : public SqlConnection {
 public:
  // Connects with a libpq connection string (URI or key=value). Throws SqlError whose
  // message shows the string with its password masked.
  explicit PostgresConnection(const std::string& conninfo);
  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  SqlBackend backend() const override { return SqlBackend::kPostgres; }
  void exec_script(std::string_view name, std::string_view sql) override;
  std::unique_ptr<SqlStatement> prepare(std::string_view name, std::string_view sql) override;
  void begin() override;
  void commit() override;
  void rollback() noexcept override;
  bool in_transaction() const override { return in_transaction_; }
  void flush_wal() override {}
  std::string describe() const override { return description_; }

  // What statements run through; between begin() and commit() the server holds them in
  // one transaction.
  pqxx::transaction_base& current_transaction();
  // Called when a statement fails: inside a transaction, the server has aborted it.
  void statement_failed() { transaction_failed_ = in_transaction_; }

 private:
  pqxx::result run(std::string_view sql, std::string_view what);

  std::string description_;
  struct Session;  // the libpqxx connection and its current transaction
  std::unique_ptr<Session> session_;
  bool in_transaction_ = false;
  bool transaction_failed_ = false;  // a statement failed since begin()
  // Statement name -> (server-side name, text). Server-side names are short and unique:
  // PostgreSQL truncates identifiers to 63 bytes.
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> prepared_;
};

}  // namespace slowscope
