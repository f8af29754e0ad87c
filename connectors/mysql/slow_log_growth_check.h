// SlowLogGrowthCheck: tells when the slow-log file a slow_log_file target follows stops
// receiving the server's slow queries while the server is up — someone set
// slow_query_log=OFF, log_output=TABLE or another slow_query_log_file, or moved the file
// away without FLUSH SLOW LOGS so that the server still writes to the moved one. Used by
// SlowLogFileTargetCollector when the target gives `socket` or `host`, at each cycle that
// read nothing new of the file; a quiet server is never reported.
//
// What a check finds, from one statement (sql/mysql/slow_log_file_check.sql) and a stat()
// of the followed path, taken after it:
//  - the settings: slow_query_log OFF, log_output without FILE (or with NONE), or a
//    slow_query_log_file that is another file (see compare_slow_log_paths);
//  - the counter: Slow_queries counts every statement over long_query_time, logged or not.
//    When it moved since a look at which the file last changed (its device, inode and
//    size), and those slow queries were counted before the previous check — so each had a
//    whole interval to reach the file, which the server writes at once — the file is not
//    receiving them. A new server identity, a lower Uptime or a lower Slow_queries starts
//    afresh. Off when the server's settings let the log miss counted slow queries by
//    design (counted_but_not_logged), and, because it needs two checks of one process, in
//    effect for `collect --once`: each run starts afresh.
// Either makes the check's verdict "not growing", with a message saying what was found.
//
// slowscope's session never lands in the slow log or in Slow_queries (mysql_session.h).
// A server that cannot be reached or read gives no verdict: the file is read on regardless.
//
// One thread at a time: one check per target and thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/config/config.h"
#include "analyzer/store/store.h"
#include "connectors/common/collector.h"
#include "connectors/mysql/mysql_session.h"

namespace slowscope {

// What the server says of its slow log, as the check statement reads it.
struct SlowLogServerFacts {
  std::string hostname;  // @@hostname
  std::string datadir;   // @@datadir
  bool slow_query_log = false;
  std::string log_output;           // "FILE,TABLE", "TABLE", "NONE", ...
  std::string slow_query_log_file;  // as the server has it: may be relative to datadir
  // MariaDB and Percona Server only; empty when the server has no such variable.
  std::string log_slow_rate_limit;
  std::string log_slow_filter;
  std::string log_slow_disabled_statements;  // MariaDB
  std::optional<uint64_t> slow_queries;      // Slow_queries; empty when unreadable
  std::optional<uint64_t> uptime;            // Uptime (s)

  // True when the settings send slow queries to a file: slow_query_log ON and log_output
  // holding FILE and not NONE.
  bool writes_file() const;
  // The file the server writes: slow_query_log_file, joined to datadir when relative, and
  // lexically normalised. Empty when the server names none.
  std::string log_file_path() const;
};

enum class SameSlowLog {
  kYes,         // the same file
  kNo,          // another file, seen from the server's own host
  kCannotTell,  // another path, and nothing here shows whether it is the same file
};

// Whether the server's slow log (`facts.log_file_path()`) is `followed` (a path on this
// host, made absolute against the working directory). Same: the same normalised path, or
// both paths exist here and are one file (device and inode: symlinks, hard links, bind
// mounts). Another file: only when `this_host` equals the server's @@hostname and the
// server's path exists here as a file other than `followed` — a server in a container or
// on another machine names paths of its own file system, which may be this one seen
// through a mount.
SameSlowLog compare_slow_log_paths(const SlowLogServerFacts& facts, const std::string& followed,
                                   const std::string& this_host);

// Empty when every slow query the server counts in Slow_queries is also written to its log,
// as far as its global settings tell; otherwise which setting lets it skip some: MariaDB or
// Percona Server log_slow_rate_limit above 1, a log_slow_filter that leaves some statements
// out (empty, or holding both query_cache and query_cache_miss, leaves none out), MariaDB
// log_slow_disabled_statements with admin or slave.
std::string counted_but_not_logged(const SlowLogServerFacts& facts);

// What one check found.
struct SlowLogGrowth {
  enum class Verdict {
    kUnknown,     // the server could not be checked
    kFine,        // nothing shows that slow queries miss the file
    kNotGrowing,  // they do: `problem` says how
  };
  Verdict verdict = Verdict::kUnknown;
  std::string problem;
  std::vector<CycleNote> notes;  // each said once: when it starts and when it ends
};

class SlowLogGrowthCheck {
 public:
  // Checks `target`'s server (socket or host/port, user, password_file or defaults_file)
  // against the file `followed`. Connects at the first check and keeps the session open.
  SlowLogGrowthCheck(const TargetConfig& target, std::string followed,
                     MysqlSessionOptions options = {});

  // Checks at `now`, after a cycle that read nothing new of the file. Never throws for the
  // server: what stops a check is a note, said when it starts and when it ends.
  SlowLogGrowth check(StoreTime now);

  // After a cycle that read new entries of the file: the file receives slow queries, so
  // whatever was found ends. Returns the note that says so, when something had been found.
  std::optional<CycleNote> file_grew();

 private:
  struct FileState {
    uint64_t device = 0;
    uint64_t inode = 0;
    uint64_t size = 0;
    bool operator==(const FileState&) const = default;
  };
  // The last look at which the file had changed, and Slow_queries then.
  struct Baseline {
    std::string server;
    uint64_t uptime = 0;
    uint64_t slow_queries = 0;
    FileState file;
    StoreTime at;
  };

  SlowLogServerFacts read_facts();
  std::optional<FileState> file_state() const;
  // The counter's finding at this check, or "" (updates the baseline).
  std::string counted_since_baseline(const SlowLogServerFacts& facts, StoreTime now);
  // Says the finding `key`/`problem` when it changes.
  void report(std::string key, const std::string& problem, SlowLogGrowth& out);

  std::string target_;
  std::string followed_;
  std::string this_host_;
  MysqlSession session_;
  std::optional<Baseline> baseline_;
  uint64_t previous_slow_queries_ = 0;  // at the previous check with the same baseline
  std::string failing_;                 // why the last check could not run, "" when it ran
  std::string finding_;                 // the kind of what was found ("off", "counted", ...)
  std::string said_path_;               // a path the server names that could not be compared
  std::string said_skips_;              // the last counted_but_not_logged() said
};

}  // namespace slowscope
