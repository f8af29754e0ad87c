// SlowLogTableReader: reads a MySQL/MariaDB server's slow log from the mysql.slow_log table
// (log_output=TABLE) incrementally and hands each new row to a sink as a QueryEvent.
//
// Rows are taken by start_time: every read asks for the rows from a second before the
// watermark on and skips the ones already taken (by start_time and row hash, counting
// repeats; see slow_log_table_state.h), so rows sharing a start_time, or written a little
// out of start_time order, are neither lost nor repeated. A TRUNCATE or a rotation of the table
// loses nothing written after it: new rows have later start_times. The reader's own statements are
// skipped: those starting with the marker comment, and any from its current connection
// (Connector/C++ sends a few unmarked statements when it connects: SET autocommit, SET SESSION
// TRANSACTION ISOLATION LEVEL, SHOW SESSION VARIABLES).
//
// read() does not move the reader on: it returns the state after the rows it delivered,
// and the caller passes that to commit() once what it made of them is stored (the state
// goes into the same transaction as a checkpoint). A cycle whose store write fails is
// therefore read again.
//
// One thread at a time, like the session it reads through.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "analyzer/event/query_event.h"
#include "connectors/mysql/mysql_session.h"
#include "connectors/mysql/slow_log_table_state.h"

namespace slowscope {

// What the server says about writing its slow log to the table.
struct SlowLogTableSettings {
  std::string log_output;  // e.g. "FILE,TABLE"
  bool slow_query_log = false;
  double long_query_time = 0;  // seconds
  // Whether new statements can reach the table at all.
  bool writes_table() const;
};

// One read.
struct SlowLogTableRead {
  SlowLogTableState next_state;  // pass to commit() once the delivered events are stored
  int64_t rows_read = 0;         // rows the server returned (from the state's read_from_us())
  int64_t delivered = 0;         // events given to the sink
  int64_t late = 0;              // of those, rows older than the watermark (written late)
  int64_t already_taken = 0;     // rows taken by an earlier read
  int64_t own_statements = 0;    // slowscope's own statements or connection, skipped
  int64_t unreadable = 0;        // rows whose start_time could not be read, skipped
  // The server logs whole seconds (TIME/TIMESTAMP without fraction): query times are
  // rounded and many rows share a start_time. Worth a warning.
  bool whole_second_precision = false;
  std::chrono::microseconds query_time{0};  // the row query, transfer included
};

class SlowLogTableReader {
 public:
  using Sink = std::function<void(const QueryEvent&)>;

  // Reads through `session`, which must outlive the reader, from `state` on (e.g. decoded
  // from the last checkpoint; the default takes every row in the table).
  explicit SlowLogTableReader(MysqlSession& session, SlowLogTableState state = {});

  // Calls `sink` for each row taken since the committed state, in start_time order; the
  // event is a view valid during the call. Does not change the reader's state. Throws
  // SourceError (and passes on what `sink` throws).
  SlowLogTableRead read(const Sink& sink);

  // What a read delivered is stored: the next read continues after it.
  void commit(SlowLogTableState next_state);

  const SlowLogTableState& state() const { return state_; }

  // Known after the first read on a connection.
  const std::optional<SlowLogTableSettings>& settings() const { return settings_; }

 private:
  void probe();

  MysqlSession& session_;
  SlowLogTableState state_;
  int64_t probed_connection_ = -1;  // session_.connects() when probed
  std::string rows_sql_;
  bool whole_seconds_ = false;
  std::optional<SlowLogTableSettings> settings_;
};

}  // namespace slowscope
