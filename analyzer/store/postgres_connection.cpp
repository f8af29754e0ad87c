#include "analyzer/store/postgres_connection.h"

#include <charconv>
#include <optional>
#include <pqxx/pqxx>
#include <vector>

#include "analyzer/config/dsn.h"

namespace slowscope {
namespace {

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
  // Declared after the connection so that it is destroyed first.
  std::unique_ptr<pqxx::transaction_base> transaction;
};

PostgresConnection::PostgresConnection(const std::string& conninfo)
    : description_(redact_dsn(conninfo)) {
  try {
    session_ = std::make_unique<Session>(conninfo);
  } catch (const pqxx::failure& e) {
    throw SqlError("cannot connect to PostgreSQL store " + description_ + ": " + e.what());
  }
}

PostgresConnection::~PostgresConnection() = default;

pqxx::transaction_base& PostgresConnection::current_transaction() {
  if (!session_->transaction)
    session_->transaction = std::make_unique<pqxx::nontransaction>(session_->connection);
  return *session_->transaction;
}

void PostgresConnection::exec_script(std::string_view name, std::string_view sql) {
  try {
    current_transaction().exec(std::string(sql), std::string(name));
  } catch (const pqxx::failure& e) {
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
      session_->connection.prepare(server_name, std::string(sql));
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
  session_->transaction.reset();
  try {
    session_->transaction = std::make_unique<pqxx::work>(session_->connection);
  } catch (const pqxx::failure& e) {
    throw SqlError("postgres: cannot begin a transaction on " + description_ + ": " + e.what());
  }
  in_transaction_ = true;
}

void PostgresConnection::commit() {
  if (!in_transaction_)
    throw SqlError("postgres: commit() outside a transaction on " + description_);
  try {
    session_->transaction->commit();
  } catch (const pqxx::failure& e) {
    rollback();
    throw SqlError("postgres: commit failed on " + description_ + ": " + e.what());
  }
  session_->transaction.reset();
  in_transaction_ = false;
}

void PostgresConnection::rollback() noexcept {
  if (!in_transaction_) return;
  in_transaction_ = false;
  try {
    session_->transaction->abort();
  } catch (...) {
    // The server has rolled back already when the connection or transaction broke.
  }
  session_->transaction.reset();
}

}  // namespace slowscope
