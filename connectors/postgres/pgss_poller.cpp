#include "connectors/postgres/pgss_poller.h"

#include <pqxx/pqxx>
#include <set>

#include "analyzer/config/dsn.h"
#include "connectors/postgres/pg_text_value.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

// Reads a row's fields in order through one iterator, straight from their bytes
// (pg_text_value.h): indexing a libpqxx 6 row copies the result handle (two reference
// counts) for every field, and its conversions parse doubles through a std::stringstream.
// Both dominated the client side of a 5,000-entry poll.
class FieldReader {
 public:
  explicit FieldReader(const pqxx::row& row) : field_(row.begin()), end_(row.end()) {}

  bool null() const { return field_ != end_ && field_->is_null(); }
  std::string_view text() {
    if (field_ == end_) throw std::runtime_error("pg_stat_statements row has too few columns");
    const std::string_view value(field_->c_str(), field_->size());
    ++field_;
    return value;
  }
  int64_t int_or_zero() {
    if (skip_null()) return 0;
    const std::string_view value = text();
    if (auto v = parse_pg_int(value)) return *v;
    throw std::runtime_error("pg_stat_statements returned a non-integer counter: " +
                             std::string(value));
  }
  double double_or_zero() {
    if (skip_null()) return 0.0;
    const std::string_view value = text();
    if (auto v = parse_pg_double(value)) return *v;
    throw std::runtime_error("pg_stat_statements returned a non-numeric timing: " +
                             std::string(value));
  }
  bool boolean() {
    const std::string_view value = text();
    if (auto v = parse_pg_bool(value)) return *v;
    throw std::runtime_error("pg_stat_statements returned a non-boolean toplevel: " +
                             std::string(value));
  }

 private:
  bool skip_null() {
    if (field_ == end_ || !field_->is_null()) return false;
    ++field_;
    return true;
  }

  pqxx::const_row_iterator field_;
  pqxx::const_row_iterator end_;
};

// The columns of sql/postgres/statements.sql, in order.
PgssEntry read_entry(const pqxx::row& row) {
  FieldReader f(row);
  PgssEntry e;
  e.key.user = f.text();
  e.key.database = f.text();
  e.key.query_id = f.text();
  e.key.toplevel = f.boolean();
  PgssCounters& c = e.counters;
  c.calls = f.int_or_zero();
  c.total_time_ms = f.double_or_zero();
  c.mean_time_ms = f.double_or_zero();
  c.stddev_time_ms = f.double_or_zero();
  c.min_time_ms = f.double_or_zero();
  c.max_time_ms = f.double_or_zero();
  c.rows = f.int_or_zero();
  c.shared_blks_hit = f.int_or_zero();
  c.shared_blks_read = f.int_or_zero();
  c.shared_blks_dirtied = f.int_or_zero();
  c.shared_blks_written = f.int_or_zero();
  c.local_blks_hit = f.int_or_zero();
  c.local_blks_read = f.int_or_zero();
  c.local_blks_dirtied = f.int_or_zero();
  c.local_blks_written = f.int_or_zero();
  c.temp_blks_read = f.int_or_zero();
  c.temp_blks_written = f.int_or_zero();
  c.blk_read_time_ms = f.double_or_zero();
  c.blk_write_time_ms = f.double_or_zero();
  c.wal_records = f.int_or_zero();
  c.wal_fpi = f.int_or_zero();
  c.wal_bytes = f.int_or_zero();
  if (!f.null()) e.stats_since_us = f.int_or_zero();
  return e;
}

std::string trim_message(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

struct PgssPoller::Session {
  explicit Session(const std::string& conninfo) : connection(conninfo) {}
  pqxx::connection connection;
};

bool is_own_statement(std::string_view query_text) {
  const size_t start = query_text.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos &&
         query_text.substr(start, kOwnStatementMarker.size()) == kOwnStatementMarker;
}

PgssPoller::PgssPoller(std::string target, std::string conninfo,
                       std::chrono::milliseconds text_timeout)
    : target_(std::move(target)), conninfo_(std::move(conninfo)), text_timeout_(text_timeout) {}

PgssPoller::~PgssPoller() = default;

void PgssPoller::disconnect() {
  session_.reset();
  extension_.reset();
}

void PgssPoller::fail(std::string_view doing, const std::exception& e) {
  // A broken or unknown connection state is not worth keeping: reconnect next time.
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    disconnect();
    throw SourceError(SourceError::Kind::kConnectionLost,
                      target_ + ": connection lost while " + std::string(doing) +
                          "; it is reopened on the next cycle (" + trim_message(e.what()) + ")");
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) disconnect();
  // statement_timeout (and a cancel) end a statement with SQLSTATE 57014, query_canceled;
  // libpqxx 6.4 has no class of its own for it.
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  const bool timed_out = sql != nullptr && sql->sqlstate() == "57014";
  throw SourceError(timed_out ? SourceError::Kind::kTimeout : SourceError::Kind::kQueryFailed,
                    target_ + ": " + std::string(doing) + ": " + trim_message(e.what()));
}

void PgssPoller::fail_to_connect(const std::exception& e) {
  const std::string detail = trim_message(e.what());
  if (libpq_login_refused(detail)) {
    throw SourceError(SourceError::Kind::kLoginRefused,
                      target_ +
                          ": login refused: check the dsn's user, dbname and password (or "
                          "password_file, ~/.pgpass) and the server's pg_hba.conf (" +
                          detail + ")");
  }
  throw SourceError(SourceError::Kind::kCannotConnect, target_ + ": cannot connect: " + detail);
}

PgssPoller::Session& PgssPoller::session() {
  if (!session_) {
    try {
      session_ = std::make_unique<Session>(conninfo_);
    } catch (const std::exception& e) {
      fail_to_connect(e);
    }
  }
  if (!extension_) probe();
  return *session_;
}

void PgssPoller::probe() {
  pqxx::nontransaction tx(session_->connection);
  const pqxx::result rows = tx.exec(std::string(sql::text("postgres/probe_extension")));
  if (rows.empty()) {
    throw SourceError(SourceError::Kind::kExtensionMissing,
                      target_ + ": pg_stat_statements is not installed in database " +
                          session_->connection.dbname() +
                          ": add it to shared_preload_libraries and run CREATE EXTENSION "
                          "pg_stat_statements there");
  }
  PgssExtension ext;
  ext.schema = rows[0][0].c_str();
  ext.version = rows[0][1].c_str();
  ext.has_info = rows[0][3].as<bool>();
  std::set<std::string, std::less<>> columns;
  for (const auto& row : rows) columns.insert(row[2].c_str());
  try {
    ext.columns = select_pgss_columns(columns);
  } catch (const UnsupportedPgss& e) {
    throw SourceError(SourceError::Kind::kQueryFailed,
                      target_ + ": pg_stat_statements " + ext.version + ": " + e.what());
  }
  statements_sql_ = statements_sql(ext.columns, ext.schema);
  texts_sql_ = query_texts_sql(ext.columns, ext.schema);
  facts_sql_ = server_facts_sql(ext.schema, ext.has_info);
  extension_ = std::move(ext);
}

PgssSnapshot PgssPoller::poll(int64_t now_us) {
  PgssSnapshot snapshot;
  snapshot.collected_at_us = now_us;
  try {
    pqxx::nontransaction tx(session().connection);
    const pqxx::row facts = tx.exec1(facts_sql_);
    snapshot.server.system_id = facts[0].c_str();
    snapshot.server.version = facts[1].c_str();
    snapshot.postmaster_start_us = facts[2].as<int64_t>();
    current_user_ = facts[3].c_str();
    if (!facts[4].is_null()) snapshot.dealloc = facts[4].as<int64_t>();
    if (!facts[5].is_null()) snapshot.stats_reset_us = facts[5].as<int64_t>();
    const pqxx::result rows = tx.exec(statements_sql_);
    snapshot.entries.reserve(rows.size());
    for (const auto& row : rows) {
      // Another role's entry without pg_read_all_stats: counters visible, queryid not.
      if (row[2].is_null()) {
        ++snapshot.hidden_entries;
        continue;
      }
      snapshot.entries.push_back(read_entry(row));
    }
  } catch (const SourceError&) {
    throw;
  } catch (const std::exception& e) {
    fail("reading pg_stat_statements", e);
  }
  normalize_entries(snapshot.entries);
  return snapshot;
}

std::map<StatementKey, std::string> PgssPoller::fetch_texts(const std::vector<StatementKey>& keys) {
  std::map<StatementKey, std::string> texts;
  if (keys.empty()) return texts;
  const std::set<StatementKey> wanted(keys.begin(), keys.end());
  std::set<std::string> ids;
  for (const auto& key : keys) ids.insert(key.query_id);
  std::string array = "{";
  for (const auto& id : ids) array += (array.size() > 1 ? "," : "") + id;
  array += "}";
  ++text_queries_;
  texts_requested_ += static_cast<int64_t>(wanted.size());
  try {
    pqxx::nontransaction tx(session().connection);
    const std::string previous = tx.exec_params1(std::string(sql::text("postgres/text_timeout")),
                                                 std::to_string(text_timeout_.count()))[0]
                                     .c_str();
    std::optional<pqxx::result> rows;
    try {
      rows = tx.exec_params(texts_sql_, array);
    } catch (const pqxx::broken_connection&) {
      throw;
    } catch (const pqxx::failure&) {
      // The session lives on: give the next poll its usual timeout back.
      tx.exec_params(std::string(sql::text("postgres/text_timeout_restore")), previous);
      throw;
    }
    tx.exec_params(std::string(sql::text("postgres/text_timeout_restore")), previous);
    for (const auto& row : *rows) {
      if (row[2].is_null() || row[4].is_null()) continue;
      StatementKey key{row[1].c_str(), row[0].c_str(), row[2].c_str(), row[3].as<bool>()};
      if (wanted.count(key) != 0) texts.emplace(std::move(key), row[4].c_str());
    }
  } catch (const SourceError&) {
    throw;
  } catch (const std::exception& e) {
    fail("reading query texts", e);
  }
  return texts;
}

}  // namespace slowscope
