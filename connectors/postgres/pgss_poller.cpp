#include "connectors/postgres/pgss_poller.h"

#include <pqxx/pqxx>
#include <set>

#include "sql/embedded.h"

namespace slowscope {
namespace {

int64_t int_or(const pqxx::field& f, int64_t fallback) {
  return f.is_null() ? fallback : f.as<int64_t>();
}
double double_or_zero(const pqxx::field& f) {
  return f.is_null() ? 0.0 : f.as<double>();
}

PgssEntry read_entry(const pqxx::row& row) {
  PgssEntry e;
  e.key.user = row[0].c_str();
  e.key.database = row[1].c_str();
  e.key.query_id = row[2].c_str();
  e.key.toplevel = row[3].as<bool>();
  PgssCounters& c = e.counters;
  c.calls = int_or(row[4], 0);
  c.total_time_ms = double_or_zero(row[5]);
  c.mean_time_ms = double_or_zero(row[6]);
  c.stddev_time_ms = double_or_zero(row[7]);
  c.min_time_ms = double_or_zero(row[8]);
  c.max_time_ms = double_or_zero(row[9]);
  c.rows = int_or(row[10], 0);
  c.shared_blks_hit = int_or(row[11], 0);
  c.shared_blks_read = int_or(row[12], 0);
  c.shared_blks_dirtied = int_or(row[13], 0);
  c.shared_blks_written = int_or(row[14], 0);
  c.local_blks_hit = int_or(row[15], 0);
  c.local_blks_read = int_or(row[16], 0);
  c.local_blks_dirtied = int_or(row[17], 0);
  c.local_blks_written = int_or(row[18], 0);
  c.temp_blks_read = int_or(row[19], 0);
  c.temp_blks_written = int_or(row[20], 0);
  c.blk_read_time_ms = double_or_zero(row[21]);
  c.blk_write_time_ms = double_or_zero(row[22]);
  c.wal_records = int_or(row[23], 0);
  c.wal_fpi = int_or(row[24], 0);
  c.wal_bytes = int_or(row[25], 0);
  if (!row[26].is_null()) e.stats_since_us = row[26].as<int64_t>();
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
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    disconnect();
  }
  throw PollError(target_ + ": " + std::string(doing) + ": " + trim_message(e.what()));
}

PgssPoller::Session& PgssPoller::session() {
  if (!session_) {
    try {
      session_ = std::make_unique<Session>(conninfo_);
    } catch (const std::exception& e) {
      fail("cannot connect", e);
    }
  }
  if (!extension_) probe();
  return *session_;
}

void PgssPoller::probe() {
  pqxx::nontransaction tx(session_->connection);
  const pqxx::result rows = tx.exec(std::string(sql::text("postgres/probe_extension")));
  if (rows.empty()) {
    throw PollError(target_ + ": pg_stat_statements is not installed in database " +
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
    throw PollError(target_ + ": pg_stat_statements " + ext.version + ": " + e.what());
  }
  statements_sql_ = statements_sql(ext.columns, ext.schema);
  texts_sql_ = query_texts_sql(ext.columns, ext.schema);
  info_sql_ = ext.has_info ? stats_info_sql(ext.schema) : std::string();
  extension_ = std::move(ext);
}

PgssSnapshot PgssPoller::poll(int64_t now_us) {
  PgssSnapshot snapshot;
  snapshot.collected_at_us = now_us;
  try {
    pqxx::nontransaction tx(session().connection);
    const pqxx::row facts = tx.exec1(std::string(sql::text("postgres/server_facts")));
    snapshot.server.system_id = facts[0].c_str();
    snapshot.server.version = facts[1].c_str();
    snapshot.postmaster_start_us = facts[2].as<int64_t>();
    current_user_ = facts[3].c_str();
    if (!info_sql_.empty()) {
      const pqxx::row info = tx.exec1(info_sql_);
      if (!info[0].is_null()) snapshot.dealloc = info[0].as<int64_t>();
      if (!info[1].is_null()) snapshot.stats_reset_us = info[1].as<int64_t>();
    }
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
  } catch (const PollError&) {
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
    pqxx::work tx(session().connection);
    tx.exec_params(std::string(sql::text("postgres/text_timeout")),
                   std::to_string(text_timeout_.count()));
    const pqxx::result rows = tx.exec_params(texts_sql_, array);
    for (const auto& row : rows) {
      if (row[2].is_null() || row[4].is_null()) continue;
      StatementKey key{row[1].c_str(), row[0].c_str(), row[2].c_str(), row[3].as<bool>()};
      if (wanted.count(key) != 0) texts.emplace(std::move(key), row[4].c_str());
    }
    tx.commit();
  } catch (const PollError&) {
    throw;
  } catch (const std::exception& e) {
    fail("reading query texts", e);
  }
  return texts;
}

}  // namespace slowscope
