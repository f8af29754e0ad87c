// Log lines for log shippers (`--log-format json`): one JSON object per line, with the
// line's time (RFC 3339, UTC), level, message and, on the threads that work for one target
// (collect's), that target's name — so that Loki, Elasticsearch or journald-to-anything
// pipelines need no pattern to take the lines apart. nlohmann-json escapes the message;
// bytes that are not UTF-8 become U+FFFD rather than a line the shipper refuses.
//
// A LogTarget names the target of the calling thread's lines while it lives. The formatter
// runs in the thread that logs (slowscope's logger is synchronous), so it sees that name.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>

namespace slowscope {

// The formatter of JSON log lines: {"time":"2024-03-01T12:00:00.123456Z","level":"warning",
// "message":"...","target":"db1"} — target only where a LogTarget lives.
std::unique_ptr<spdlog::formatter> make_json_log_formatter();

// Names `target` in the JSON log lines of the calling thread until destroyed (nested: the
// inner one wins, the outer one is back after it).
class LogTarget {
 public:
  explicit LogTarget(std::string target);
  ~LogTarget();
  LogTarget(const LogTarget&) = delete;
  LogTarget& operator=(const LogTarget&) = delete;

  // The target of the calling thread's lines; null when none.
  static const std::string* current();

 private:
  std::string target_;
  const std::string* outer_;
};

}  // namespace slowscope
