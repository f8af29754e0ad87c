#include "connectors/mysql/slow_log_table_reader.h"

#include <algorithm>

#include "connectors/mysql/slow_log_table_row.h"
#include "connectors/postgres/pgss_columns.h"
#include "connectors/postgres/pgss_poller.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

// The earliest time a watermark-less read asks for: before any TIMESTAMP.
constexpr std::string_view kBeginning = "1970-01-01 00:00:00.000000";

}  // namespace

bool SlowLogTableSettings::writes_table() const {
  std::string upper = log_output;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return slow_query_log && upper.find("TABLE") != std::string::npos;
}

SlowLogTableReader::SlowLogTableReader(MysqlSession& session, SlowLogTableState state)
    : session_(session), state_(std::move(state)) {
  std::sort(state_.recent.begin(), state_.recent.end());
}

void SlowLogTableReader::probe() {
  bool has_rows_affected = false;
  bool found = false;
  bool whole_seconds = false;
  session_.query("reading the columns of mysql.slow_log", sql::text("mysql/slow_log_columns"), {},
                 [&](const MysqlRow& row) {
                   found = true;
                   const std::string column = row.text(0);
                   if (column == "rows_affected") has_rows_affected = true;
                   if ((column == "start_time" || column == "query_time") && !row.is_null(1) &&
                       row.int64(1) == 0) {
                     whole_seconds = true;
                   }
                 });
  if (!found) {
    throw SourceError(SourceError::Kind::kQueryFailed,
                      session_.target() + ": mysql.slow_log is not there or not visible to " +
                          "the user: grant it SELECT on mysql.slow_log");
  }
  SlowLogTableSettings settings;
  session_.query("reading the slow log settings", sql::text("mysql/slow_log_settings"), {},
                 [&](const MysqlRow& row) {
                   settings.log_output = row.text(0);
                   settings.slow_query_log = row.text(1) == "1";
                   settings.long_query_time = std::stod(std::string("0").append(row.text(2)));
                 });
  rows_sql_ = fill_template(sql::text("mysql/slow_log_rows"),
                            {{"rows_affected", has_rows_affected ? "rows_affected" : "''"}});
  whole_seconds_ = whole_seconds;
  settings_ = std::move(settings);
  probed_connection_ = session_.connects();
}

SlowLogTableRead SlowLogTableReader::read(const Sink& sink) {
  session_.connect();
  if (probed_connection_ != session_.connects()) probe();

  SlowLogTableRead result;
  result.whole_second_precision = whole_seconds_;
  SlowLogTableCursor cursor(state_);
  const std::string own_thread = std::to_string(session_.server().connection_id);
  // Each read asks again for the rows of the second before the watermark (to the
  // microsecond, or whole seconds on a whole-second table) and tells those already taken
  // apart by start_time and hash, counted with repeats. start_time is taken just before the
  // row is written (MariaDB: the statement's start plus its query time; MySQL: the time at
  // logging), so two statements logging at once can be written in the other order; a read
  // falling in between sees the later time first, and the earlier row, written next, is
  // taken by the next read as a late row. Only a row written over a second late is missed.
  const std::optional<int64_t> read_from = state_.read_from_us();
  const std::string since = read_from ? format_datetime_us(*read_from) : std::string(kBeginning);
  SlowLogTableRow row;
  const auto start = std::chrono::steady_clock::now();
  result.rows_read =
      session_.query("reading mysql.slow_log", rows_sql_, {since}, [&](const MysqlRow& r) {
        row.start_time = r.text(0);
        row.user_host = r.text(1);
        row.query_time = r.text(2);
        row.lock_time = r.text(3);
        row.rows_sent = r.text(4);
        row.rows_examined = r.text(5);
        row.db = r.text(6);
        row.last_insert_id = r.text(7);
        row.insert_id = r.text(8);
        row.server_id = r.text(9);
        row.sql_text = r.text(10);
        row.thread_id = r.text(11);
        row.rows_affected = r.text(12);
        const std::optional<int64_t> ts = parse_datetime_us(row.start_time);
        if (!ts) {
          ++result.unreadable;
          return;
        }
        switch (cursor.offer(*ts, row_hash(row))) {
          case SlowLogTableCursor::Verdict::kBeforeReadFrom:
            ++result.unreadable;
            return;
          case SlowLogTableCursor::Verdict::kTakenBefore:
            ++result.already_taken;
            return;
          case SlowLogTableCursor::Verdict::kNewLate:
            ++result.late;
            break;
          case SlowLogTableCursor::Verdict::kNew:
            break;
        }
        // The marker, or the reader's own connection (whose driver sends a few unmarked
        // statements when it connects).
        if (is_own_statement(row.sql_text) || row.thread_id == own_thread) {
          ++result.own_statements;
          return;
        }
        ++result.delivered;
        deliver_as_event(row, sink);
      });
  result.query_time = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  result.next_state = cursor.next_state();
  return result;
}

void SlowLogTableReader::commit(SlowLogTableState next_state) {
  state_ = std::move(next_state);
  std::sort(state_.recent.begin(), state_.recent.end());
}

}  // namespace slowscope
