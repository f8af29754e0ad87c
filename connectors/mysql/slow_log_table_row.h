// One row of the mysql.slow_log table (log_output=TABLE) as slowscope reads it, and the
// pure functions that turn it into a QueryEvent: the user_host column parsed like the
// slow-log file's "# User@Host:" line, TIME and TIMESTAMP text turned into numbers, and a
// hash of the whole row that tells apart rows with the same start_time (the table has no
// key). Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "analyzer/event/query_event.h"

namespace slowscope {

// The columns of a mysql.slow_log row, as text the way the server sends them (session
// time zone UTC). rows_affected exists in MariaDB only; empty elsewhere.
struct SlowLogTableRow {
  std::string start_time;  // "2024-03-01 12:00:00.123456" (no fraction on old servers)
  std::string user_host;   // "app[app] @ web1 [10.0.0.5]"
  std::string query_time;  // "00:00:01.250000"
  std::string lock_time;
  std::string rows_sent;
  std::string rows_examined;
  std::string db;
  std::string last_insert_id;
  std::string insert_id;
  std::string server_id;
  std::string sql_text;
  std::string thread_id;
  std::string rows_affected;

  bool operator==(const SlowLogTableRow&) const = default;
};

struct UserAndHost {
  std::string user;
  std::string host;  // the host name, or the ip when the name is empty

  bool operator==(const UserAndHost&) const = default;
};

// "user[user] @ host [ip]" as the slow-log parser reads its User@Host line; both empty
// when the text does not have that form.
UserAndHost parse_user_host(std::string_view user_host);

// A TIME value ("HHH:MM:SS[.ffffff]", possibly negative) in microseconds; nullopt when
// malformed.
std::optional<int64_t> parse_time_us(std::string_view text);

// A DATETIME/TIMESTAMP text in UTC ("YYYY-MM-DD HH:MM:SS[.ffffff]") as epoch microseconds;
// nullopt when malformed.
std::optional<int64_t> parse_datetime_us(std::string_view text);

// Epoch microseconds as "YYYY-MM-DD HH:MM:SS.ffffff" (UTC), the form the server compares
// TIMESTAMP columns with.
std::string format_datetime_us(int64_t epoch_us);

// A 64-bit hash of every column of `row`: equal rows hash equal, different rows almost
// surely not.
uint64_t row_hash(const SlowLogTableRow& row);

// Calls `sink` with `row` as a QueryEvent: query = sql_text, db, user/host from user_host,
// ts_us from start_time, query_time/lock_time in seconds, and attributes Query_time,
// Lock_time, Rows_sent, Rows_examined and (when the server has it) Rows_affected, numbers
// as double. The event is a view valid during the call.
void deliver_as_event(const SlowLogTableRow& row,
                      const std::function<void(const QueryEvent&)>& sink);

}  // namespace slowscope
