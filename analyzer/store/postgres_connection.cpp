#include "analyzer/store/postgres_connection.h"

#include <pg_query.h>

#include <charconv>
#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>
#include <vector>

#include "analyzer/config/dsn.h"
#include "analyzer/error/errors.h"
#include "analyzer/event/own_statement.h"

namespace slowscope {
namespace {

// `sql` with the marker comment at its start (see own_statement.h), unless it has it.
std::string marked(std::string_view sql) {
  const size_t start = sql.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && sql.substr(start).starts_with(kOwnStatementMarker)) {
    return std::string(sql);
  }
  return std::string(kOwnStatementMarker) + "\n" + std::string(sql);
}

// A script of several statements with the marker before each one: pg_stat_statements keeps
// each statement of a script as an entry of its own, from just after the `;` before it. A
// script libpg_query cannot split is marked at its start only.
std::string marked_script(std::string_view script) {
  const std::string text(script);
  PgQuerySplitResult split = pg_query_split_with_parser(text.c_str());
  std::string out;
  if (split.error == nullptr) {
    for (int i = 0; i < split.n_stmts; ++i) {
      const PgQuerySplitStmt& s = *split.stmts[i];
      out += marked(std::string_view(text).substr(static_cast<size_t>(s.stmt_location),
                                                  static_cast<size_t>(s.stmt_len)));
      out += ";\n";
    }
  }
  pg_query_free_split_result(split);
  return split.error == nullptr ? out : marked(script);
}

class PostgresStatement : public SqlStatement {
 public:
  PostgresStatement(PostgresConnection& connection, std::string name, std::string server_name)
      : connection_(connection), name_(std::move(name)), server_name_(std::move(server_name)) {}

  void bind_null(int index) override { slot(index) = std::nullopt; }
  void bind_int(int index, int64_t value) override { slot(index) = std::to_string(value); }
  void bind_double(int index, double value) override {
    char buffer[32];
    // Shortest text that reads back as the same double, so sums stay exact across backends.
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    slot(index) = std::string(buffer, end);
  }
  void bind_text(int index, std::string_view value) override { slot(index) = std::string(value); }
  void bind_blob(int index, std::string_view bytes) override {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text = "\\x";
    text.reserve(2 + bytes.size() * 2);
    for (unsigned char c : bytes) {
      text += kHex[c >> 4];
      text += kHex[c & 15];
    }
    slot(index) = std::move(text);
  }

  bool step() override {
    if (!result_) {
      std::vector<const char*> values;
      values.reserve(params_.size());
      for (size_t i = 0; i < params_.size(); ++i) {
        if (!bound_[i]) fail("parameter $" + std::to_string(i + 1) + " is not bound");
        values.push_back(params_[i] ? params_[i]->c_str() : nullptr);
      }
      try {
        result_ = connection_.current_transaction().exec_prepared(
            server_name_, pqxx::prepare::make_dynamic_params(values));
        changes_ = result_->affected_rows();
      } catch (const pqxx::failure& e) {
        connection_.statement_failed();
        fail(e.what());
      }
      row_ = -1;
    }
    ++row_;
    return row_ < static_cast<int64_t>(result_->size());
  }

  bool is_null(int column) const override { return field(column).is_null(); }
  int64_t get_int(int column) const override {
    const auto f = field(column);
    if (f.is_null()) return 0;
    // SUM over BIGINT is NUMERIC in PostgreSQL: whole numbers still read as integers.
    return f.as<int64_t>();
  }
  double get_double(int column) const override {
    const auto f = field(column);
    return f.is_null() ? 0.0 : f.as<double>();
  }
  std::string get_text(int column) const override {
    const auto f = field(column);
    return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
  }
  std::string get_blob(int column) const override {
    const auto f = field(column);
    return f.is_null() ? std::string() : pqxx::binarystring(f).str();
  }

  void reset() override { result_.reset(); }
  int64_t changes() const override { return changes_; }

 private:
  std::optional<std::string>& slot(int index) {
    if (index < 1) fail("has no parameter $" + std::to_string(index));
    if (static_cast<size_t>(index) > params_.size()) {
      params_.resize(index);
      bound_.resize(index, false);
    }
    bound_[index - 1] = true;
    return params_[index - 1];
  }
  pqxx::field field(int column) const { return (*result_)[row_][column]; }
  [[noreturn]] void fail(const std::string& message) const {
    throw SqlError("postgres statement " + name_ + ": " + message);
  }

  PostgresConnection& connection_;
  std::string name_;
  std::string server_name_;
  std::vector<std::optional<std::string>> params_;
  std::vector<bool> bound_;
  std::optional<pqxx::result> result_;
  int64_t row_ = -1;
  int64_t changes_ = 0;
};

}  // namespace

struct PostgresConnection::Session {
  explicit Session(const std::string& conninfo) : connection(conninfo) {}
  pqxx::connection connection;
  // Every statement runs through it: transactions are begun and ended by statements of our
  // own (marked, unlike the BEGIN and COMMIT libpqxx's transaction classes send).
  // Declared after the connection so that it is destroyed first.
  std::unique_ptr<pqxx::nontransaction> statements;
};

PostgresConnection::PostgresConnection(const std::string& conninfo)
    : description_(redact_dsn(conninfo)) {
  std::string named;
  try {
    // pg_stat_activity and the server's log show the store's sessions as slowscope's,
    // unless the user named them (application_name in the string, or PGAPPNAME).
    named = dsn_with_default(conninfo, "fallback_application_name", "slowscope");
  } catch (const InvalidInput&) {
    throw SqlError("cannot connect to PostgreSQL store " + description_ +
                   ": not a valid connection string");
  }
  try {
    session_ = std::make_unique<Session>(named);
  } catch (const pqxx::failure& e) {
    throw SqlError("cannot connect to PostgreSQL store " + description_ + ": " + e.what());
  }
}

PostgresConnection::~PostgresConnection() = default;

pqxx::transaction_base& PostgresConnection::current_transaction() {
  if (!session_->statements) {
    session_->statements = std::make_unique<pqxx::nontransaction>(session_->connection);
  }
  return *session_->statements;
}

pqxx::result PostgresConnection::run(std::string_view sql, std::string_view what) {
  return current_transaction().exec(std::string(sql), std::string(what));
}

void PostgresConnection::exec_script(std::string_view name, std::string_view sql) {
  try {
    run(marked_script(sql), name);
  } catch (const pqxx::failure& e) {
    statement_failed();
    throw SqlError("postgres script " + std::string(name) + " on " + description_ + ": " +
                   e.what());
  }
}

std::unique_ptr<SqlStatement> PostgresConnection::prepare(std::string_view name,
                                                          std::string_view sql) {
  auto it = prepared_.find(name);
  if (it == prepared_.end()) {
    std::string server_name = "slowscope_" + std::to_string(prepared_.size() + 1);
    try {
      session_->connection.prepare(server_name, marked(sql));
    } catch (const pqxx::failure& e) {
      throw SqlError("postgres statement " + std::string(name) + ": " + e.what());
    }
    it = prepared_.emplace(std::string(name), std::pair{server_name, std::string(sql)}).first;
  } else if (it->second.second != sql) {
    throw SqlError("postgres statement " + std::string(name) +
                   " was prepared before with another text");
  }
  return std::make_unique<PostgresStatement>(*this, std::string(name), it->second.first);
}

void PostgresConnection::begin() {
  if (in_transaction_) throw SqlError("postgres: begin() inside a transaction on " + description_);
  transaction_failed_ = false;
  try {
    run(marked("BEGIN"), "begin");
  } catch (const pqxx::failure& e) {
    throw SqlError("postgres: cannot begin a transaction on " + description_ + ": " + e.what());
  }
  in_transaction_ = true;
}

void PostgresConnection::commit() {
  if (!in_transaction_)
    throw SqlError("postgres: commit() outside a transaction on " + description_);
  // COMMIT of a transaction a failed statement aborted rolls it back without an error.
  if (transaction_failed_) {
    rollback();
    throw SqlError("postgres: commit failed on " + description_ +
                   ": a statement of the transaction failed; it was rolled back");
  }
  try {
    run(marked("COMMIT"), "commit");
  } catch (const pqxx::failure& e) {
    rollback();
    throw SqlError("postgres: commit failed on " + description_ + ": " + e.what());
  }
  in_transaction_ = false;
}

void PostgresConnection::rollback() noexcept {
  if (!in_transaction_) return;
  in_transaction_ = false;
  try {
    run(marked("ROLLBACK"), "rollback");
  } catch (...) {
    // The server has rolled back already when the connection or transaction broke.
  }
}

}  // namespace slowscope
