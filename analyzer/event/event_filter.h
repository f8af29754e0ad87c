// EventFilter: which QueryEvents a job looks at, by time window and by who ran them.
//
// Built once from user input (`--since`, `--until`, `--filter db=…,user=…,host=…`), then
// only read: `accepts` is const and safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/event/query_event.h"

namespace slowscope {

class EventFilter {
 public:
  // Accepts everything.
  EventFilter() = default;

  // Parses "db=shop,user=app,host=10.0.*": keys db, user, host; a key given twice accepts
  // either value; `*` matches any run of characters. Throws InvalidInput naming
  // the bad part.
  static EventFilter parse(std::string_view spec);

  // Events with a time before `since_us` (inclusive bound) or at/after `until_us` are
  // rejected, and so are events with no time at all once a window is set.
  void set_window(std::optional<int64_t> since_us, std::optional<int64_t> until_us);

  // Adds an accepted value for `key` (db, user or host).
  void allow(std::string_view key, std::string_view pattern);

  // True when `event` passes the time window and every key that has patterns.
  bool accepts(const QueryEvent& event) const;

  // True when nothing is filtered, so callers may skip calling accepts().
  bool accepts_everything() const;

 private:
  std::optional<int64_t> since_us_;
  std::optional<int64_t> until_us_;
  std::vector<std::string> dbs_;
  std::vector<std::string> users_;
  std::vector<std::string> hosts_;
};

// Shell-style match where `*` stands for any run of characters (case-sensitive).
bool wildcard_match(std::string_view pattern, std::string_view text);

}  // namespace slowscope
