// QueryEvent: one executed statement as a log connector reports it, engine-neutral.
//
// A QueryEvent is a *view*: its string_views and the attribute list point into the
// producer's buffers and stay valid only while the callback that receives the event
// runs. Copy what must outlive it. Not thread-safe to share; each parser thread
// produces its own events.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

namespace slowscope {

// A header attribute as it appeared in the log: numbers stay numbers ("Rows_sent: 3"
// -> 3.0), Yes/No become booleans, anything else is kept as text.
using AttributeValue = std::variant<double, bool, std::string_view>;

struct Attribute {
  std::string_view name;  // exactly as logged, e.g. "Query_time", "Rows_examined"
  AttributeValue value;
};

struct QueryEvent {
  // The statement text as pt-query-digest's SlowLogParser would give it (its `arg`):
  // multi-line text without the trailing ';' and without the `use db;` / `SET
  // timestamp=...;` lines it strips; "administrator command: Quit" for
  // "# administrator command: Quit;" entries.
  std::string_view query;
  bool admin_command = false;

  // Who and where. Empty when the log does not say and nothing was inherited.
  std::string_view db;
  std::string_view user;
  std::string_view host;

  // Start-of-log-line time of the entry, microseconds since the Unix epoch (UTC).
  // Inherited from the previous entry when the log has no Time line for it.
  std::optional<int64_t> ts_us;

  // The famous four, duplicated from `attributes` for fast access; 0 when absent.
  double query_time = 0;  // seconds
  double lock_time = 0;   // seconds

  // Percona Log_slow_rate_limit: 1 in `sample_rate` statements of this kind was
  // logged. 1 when the server logged every statement.
  double sample_rate = 1;

  // Every attribute from the entry's header lines, in log order, including
  // Query_time and Lock_time.
  std::span<const Attribute> attributes;

  // Where the entry starts in its input: 1-based line and byte offset.
  uint64_t line = 0;
  uint64_t offset = 0;
};

}  // namespace slowscope
