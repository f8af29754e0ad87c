// PostgresConnection: SqlConnection over libpqxx 6.4, for a store shared by collectors.
// One thread at a time; open one connection per thread or process.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "analyzer/store/sql_connection.h"

namespace pqxx {
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
  void checkpoint_log() override {}
  std::string describe() const override { return description_; }

  // The transaction statements run in: the open one, or an autocommit one outside begin().
  pqxx::transaction_base& current_transaction();

 private:
  std::string description_;
  struct Session;  // the libpqxx connection and its current transaction
  std::unique_ptr<Session> session_;
  bool in_transaction_ = false;
  // Statement name -> (server-side name, text). Server-side names are short and unique:
  // PostgreSQL truncates identifiers to 63 bytes.
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> prepared_;
};

}  // namespace slowscope
