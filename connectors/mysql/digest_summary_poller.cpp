#include "connectors/mysql/digest_summary_poller.h"

#include <cctype>
#include <charconv>

#include "connectors/mysql/slow_log_table_row.h"
#include "connectors/postgres/pgss_columns.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

// "1732553393.123456" as epoch microseconds.
int64_t epoch_text_us(const std::string& text) {
  const size_t dot = text.find('.');
  int64_t seconds = 0;
  std::from_chars(text.data(), text.data() + std::min(dot, text.size()), seconds);
  int64_t micros = 0;
  if (dot != std::string::npos) {
    std::string fraction = text.substr(dot + 1, 6);
    fraction.resize(6, '0');
    std::from_chars(fraction.data(), fraction.data() + fraction.size(), micros);
  }
  return seconds * 1000000 + micros;
}

std::optional<uint64_t> optional_ps(const MysqlRow& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return row.uint64(column);
}

}  // namespace

bool is_own_digest(std::string_view schema, std::string_view digest_text) {
  if (digest_text.find(kOwnDigestIdentifier) != std::string_view::npos) return true;
  if (schema != kOwnSessionSchema) return false;
  // What Connector/C++ 1.1 sends when it connects, as MySQL and MariaDB digest it.
  std::string words;
  for (const char c : digest_text) {
    if (c == '`') continue;
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!words.empty() && words.back() != ' ') words += ' ';
    } else {
      words += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  if (!words.empty() && words.back() == ' ') words.pop_back();
  return words == "SET AUTOCOMMIT = ?" ||
         words == "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ" ||
         words == "SHOW SESSION VARIABLES LIKE ?";
}

DigestSummaryPoller::DigestSummaryPoller(MysqlSession& session) : session_(session) {}

void DigestSummaryPoller::probe() {
  bool found = false;
  bool quantiles = false;
  session_.query("reading the columns of the digest table", sql::text("mysql/digest_columns"), {},
                 [&](const MysqlRow& row) {
                   found = true;
                   if (row.text(0) == "QUANTILE_95") quantiles = true;
                 });
  if (!found) {
    throw SourceError(SourceError::Kind::kQueryFailed,
                      session_.target() +
                          ": performance_schema.events_statements_summary_by_digest is not "
                          "visible: the server needs performance_schema (MySQL 5.6+, MariaDB "
                          "10.0+) and the user SELECT on performance_schema.*");
  }
  has_quantiles_ = quantiles;
  summary_sql_ = fill_template(sql::text("mysql/digest_summary"),
                               {{"quantile_95", quantiles ? "QUANTILE_95" : "NULL"},
                                {"quantile_99", quantiles ? "QUANTILE_99" : "NULL"}});
  probed_connection_ = session_.connects();
}

DigestSnapshot DigestSummaryPoller::poll() {
  session_.connect();
  if (probed_connection_ != session_.connects()) probe();
  DigestSnapshot snapshot;
  const MysqlServerInfo& server = session_.server();
  snapshot.server.system_id = server.identity;
  snapshot.server.version = server.version;
  bool performance_schema = false;
  session_.query("reading server facts", sql::text("mysql/digest_facts"), {},
                 [&](const MysqlRow& row) {
                   snapshot.collected_at_us = epoch_text_us(row.text(0));
                   snapshot.uptime_s = row.int64(1);
                   performance_schema = row.text(2) == "1";
                   snapshot.digests_size = row.int64(3);
                   snapshot.digests_enabled = row.text(4) == "YES";
                 });
  if (!performance_schema) {
    throw SourceError(SourceError::Kind::kQueryFailed,
                      session_.target() +
                          ": performance_schema is OFF: set performance_schema=ON in the "
                          "server's configuration and restart it");
  }
  session_.query("reading performance_schema digests", summary_sql_, {}, [&](const MysqlRow& row) {
    DigestCounters c;
    c.count_star = row.int64(3);
    c.sum_timer_wait = row.uint64(4);
    c.min_timer_wait = row.uint64(5);
    c.max_timer_wait = row.uint64(6);
    c.sum_lock_time = row.uint64(7);
    c.sum_rows_sent = row.int64(8);
    c.sum_rows_examined = row.int64(9);
    c.sum_rows_affected = row.int64(10);
    c.quantile_95 = optional_ps(row, 13);
    c.quantile_99 = optional_ps(row, 14);
    if (row.is_null(1)) {
      snapshot.undigested = c;
      return;
    }
    std::string text = row.text(2);
    std::string schema = row.text(0);
    if (is_own_digest(schema, text)) {
      ++snapshot.own_entries;
      return;
    }
    DigestEntry& e = snapshot.entries.emplace_back();
    e.schema = std::move(schema);
    e.digest = row.text(1);
    e.digest_text = std::move(text);
    e.counters = c;
    e.first_seen_us = parse_datetime_us(row.text(11)).value_or(0);
    e.last_seen_us = parse_datetime_us(row.text(12)).value_or(0);
  });
  normalize_digest_entries(snapshot.entries);
  return snapshot;
}

}  // namespace slowscope
