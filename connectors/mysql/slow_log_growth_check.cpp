#include "connectors/mysql/slow_log_growth_check.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <filesystem>
#include <set>

#include "analyzer/time/utc_time.h"
#include "connectors/postgres/pgss_columns.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The comma-separated words of a set-valued variable, lower-cased.
std::set<std::string> words(const std::string& text) {
  std::set<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string word = lower(text.substr(start, comma - start));
    word.erase(0, word.find_first_not_of(' '));
    word.erase(word.find_last_not_of(' ') + 1);
    if (!word.empty()) out.insert(std::move(word));
    start = comma + 1;
  }
  return out;
}

std::string this_host_name() {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

// A SourceError's message without the target's name in front: the collect loop puts it
// before every note.
std::string without_target(const std::string& message, const std::string& target) {
  const std::string prefix = target + ": ";
  return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
}

// "/var/lib/mysql/other.log", or "'other.log' (/var/lib/mysql/other.log)" for a path
// relative to the datadir.
std::string server_path_text(const SlowLogServerFacts& facts) {
  const std::string path = facts.log_file_path();
  if (fs::path(facts.slow_query_log_file).is_relative()) {
    return "'" + facts.slow_query_log_file + "' (" + path + ")";
  }
  return path;
}

std::string slow_queries_text(uint64_t n) {
  return std::to_string(n) + (n == 1 ? " slow query" : " slow queries");
}

}  // namespace

bool SlowLogServerFacts::writes_file() const {
  const std::set<std::string> output = words(log_output);
  return slow_query_log && output.contains("file") && !output.contains("none");
}

std::string SlowLogServerFacts::log_file_path() const {
  if (slow_query_log_file.empty()) return {};
  fs::path path(slow_query_log_file);
  // The server runs in its datadir: a relative name is a file there.
  if (path.is_relative()) {
    if (datadir.empty()) return {};
    path = fs::path(datadir) / path;
  }
  return path.lexically_normal().string();
}

SameSlowLog compare_slow_log_paths(const SlowLogServerFacts& facts, const std::string& followed,
                                   const std::string& this_host) {
  const std::string server = facts.log_file_path();
  if (server.empty()) return SameSlowLog::kCannotTell;
  std::error_code ec;
  fs::path ours = fs::absolute(followed, ec);
  if (ec) ours = followed;
  ours = ours.lexically_normal();
  if (ours.string() == server) return SameSlowLog::kYes;
  struct stat theirs_here {};
  struct stat ours_here {};
  const bool server_path_here = ::stat(server.c_str(), &theirs_here) == 0;
  if (server_path_here && ::stat(ours.c_str(), &ours_here) == 0 &&
      theirs_here.st_dev == ours_here.st_dev && theirs_here.st_ino == ours_here.st_ino) {
    return SameSlowLog::kYes;
  }
  if (server_path_here && !this_host.empty() &&
      ::strcasecmp(this_host.c_str(), facts.hostname.c_str()) == 0) {
    return SameSlowLog::kNo;
  }
  return SameSlowLog::kCannotTell;
}

std::string counted_but_not_logged(const SlowLogServerFacts& facts) {
  int64_t rate_limit = 1;
  const std::string& rate = facts.log_slow_rate_limit;
  std::from_chars(rate.data(), rate.data() + rate.size(), rate_limit);
  if (rate_limit > 1) {
    return "log_slow_rate_limit is " + rate + ": the server logs one slow query in " + rate;
  }
  // MariaDB marks every statement query_cache or query_cache_miss: a filter holding both
  // lets every one through.
  const std::set<std::string> filter = words(facts.log_slow_filter);
  if (!filter.empty() && !(filter.contains("query_cache") && filter.contains("query_cache_miss"))) {
    return "log_slow_filter is '" + facts.log_slow_filter +
           "': the server logs only the slow queries it names";
  }
  const std::set<std::string> disabled = words(facts.log_slow_disabled_statements);
  for (const char* kind : {"admin", "slave"}) {
    if (disabled.contains(kind)) {
      return "log_slow_disabled_statements holds " + std::string(kind) +
             ": the server counts such slow statements but does not log them";
    }
  }
  return {};
}

SlowLogGrowthCheck::SlowLogGrowthCheck(const TargetConfig& target, std::string followed,
                                       MysqlSessionOptions options)
    : target_(target.name),
      followed_(std::move(followed)),
      this_host_(this_host_name()),
      session_(target, options) {}

SlowLogServerFacts SlowLogGrowthCheck::read_facts() {
  const bool mariadb = session_.server().mariadb;
  const std::string sql =
      fill_template(sql::text("mysql/slow_log_file_check"),
                    {{"variables", mariadb ? "information_schema.GLOBAL_VARIABLES"
                                           : "performance_schema.global_variables"},
                     {"status", mariadb ? "information_schema.GLOBAL_STATUS"
                                        : "performance_schema.global_status"}});
  SlowLogServerFacts facts;
  session_.query("reading the slow log's settings and Slow_queries", sql, {},
                 [&](const MysqlRow& row) {
                   const std::string name = lower(row.text(0));
                   const std::string value = row.text(1);
                   if (name == "hostname") facts.hostname = value;
                   if (name == "datadir") facts.datadir = value;
                   if (name == "slow_query_log") {
                     facts.slow_query_log = lower(value) == "on" || value == "1";
                   }
                   if (name == "log_output") facts.log_output = value;
                   if (name == "slow_query_log_file") facts.slow_query_log_file = value;
                   if (name == "log_slow_rate_limit") facts.log_slow_rate_limit = value;
                   if (name == "log_slow_filter") facts.log_slow_filter = value;
                   if (name == "log_slow_disabled_statements") {
                     facts.log_slow_disabled_statements = value;
                   }
                   if (name == "slow_queries") facts.slow_queries = row.uint64(1);
                   if (name == "uptime") facts.uptime = row.uint64(1);
                 });
  if (facts.log_output.empty()) {
    throw SourceError(SourceError::Kind::kQueryFailed,
                      target_ + ": the server shows none of its slow log settings" +
                          (mariadb ? std::string()
                                   : " in performance_schema.global_variables (is "
                                     "performance_schema ON?)"));
  }
  return facts;
}

std::optional<SlowLogGrowthCheck::FileState> SlowLogGrowthCheck::file_state() const {
  struct stat st {};
  if (::stat(followed_.c_str(), &st) != 0) return std::nullopt;
  return FileState{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
                   static_cast<uint64_t>(st.st_size)};
}

std::string SlowLogGrowthCheck::counted_since_baseline(const SlowLogServerFacts& facts,
                                                       StoreTime now) {
  // Taken after the counters: a slow query counted before them is in the file by now,
  // unless the file does not receive it (the server writes each entry as it counts it).
  const std::optional<FileState> file = file_state();
  if (!facts.slow_queries || !facts.uptime || !file) {
    baseline_.reset();
    return {};
  }
  const std::string& server = session_.server().identity;
  if (!baseline_ || baseline_->server != server || *facts.uptime < baseline_->uptime ||
      *facts.slow_queries < baseline_->slow_queries || !(*file == baseline_->file)) {
    // The first look, another server, a restart, or the file changed: count from here.
    baseline_ = Baseline{server, *facts.uptime, *facts.slow_queries, *file, now};
    previous_slow_queries_ = *facts.slow_queries;
    return {};
  }
  baseline_->uptime = *facts.uptime;
  // Only what was counted before the previous check is judged: it had a whole interval to
  // reach the file.
  const uint64_t settled = previous_slow_queries_ - baseline_->slow_queries;
  previous_slow_queries_ = *facts.slow_queries;
  if (settled == 0) return {};
  return "the server counted " + slow_queries_text(*facts.slow_queries - baseline_->slow_queries) +
         " since " + format_utc(baseline_->at) + " but " + followed_ + " did not grow";
}

void SlowLogGrowthCheck::report(std::string key, const std::string& problem, SlowLogGrowth& out) {
  if (key == finding_) return;
  if (!key.empty()) {
    out.notes.push_back({spdlog::level::warn, problem});
  } else {
    out.notes.push_back({spdlog::level::info,
                         "the server's settings and Slow_queries no longer show slow queries "
                         "missing " +
                             followed_});
  }
  finding_ = std::move(key);
}

SlowLogGrowth SlowLogGrowthCheck::check(StoreTime now) {
  SlowLogGrowth out;
  SlowLogServerFacts facts;
  try {
    try {
      facts = read_facts();
    } catch (const SourceError& e) {
      // A connection idle since the last check may have been closed by the server
      // (wait_timeout): the session reopens it.
      if (e.kind() != SourceError::Kind::kConnectionLost) throw;
      facts = read_facts();
    }
  } catch (const SourceError& e) {
    const std::string why = without_target(e.what(), target_);
    spdlog::debug("{}: checking that the server writes its slow log to {}: {}", target_, followed_,
                  why);
    if (failing_.empty()) {
      out.notes.push_back(
          {spdlog::level::warn, "cannot check that the server writes its slow log to " + followed_ +
                                    ", reading the file on: " + why});
    }
    failing_ = why;
    finding_.clear();  // the note above says why nothing is known
    return out;
  }
  if (!failing_.empty()) {
    out.notes.push_back(
        {spdlog::level::info,
         "the server can be checked again for writing its slow log to " + followed_});
    failing_.clear();
  }

  // What the settings say: `setting` in full, `briefly` after what the counter found.
  std::string key;
  std::string setting;
  std::string briefly;
  const std::set<std::string> output = words(facts.log_output);
  if (!facts.slow_query_log) {
    key = "slow_query_log";
    briefly = "slow_query_log is OFF";
    setting = briefly + " on the server: " + followed_ + " receives no slow queries";
  } else if (!facts.writes_file()) {
    key = "log_output";
    briefly = "log_output is " + facts.log_output;
    setting = briefly + " on the server: its slow queries go " +
              (output.contains("table") && !output.contains("none")
                   ? "to mysql.slow_log, not to " + followed_
                   : "nowhere; " + followed_ + " receives none");
  } else {
    const std::string path = facts.log_file_path();
    switch (compare_slow_log_paths(facts, followed_, this_host_)) {
      case SameSlowLog::kYes:
        said_path_.clear();
        break;
      case SameSlowLog::kNo:
        key = "slow_query_log_file " + path;
        briefly = "slow_query_log_file is " + server_path_text(facts);
        setting = briefly + " on the server: its slow queries go there, not to " + followed_;
        break;
      case SameSlowLog::kCannotTell:
        briefly = "slow_query_log_file is " + server_path_text(facts);
        if (said_path_ != path) {
          out.notes.push_back(
              {spdlog::level::info, "the server's " + briefly + ", which cannot be compared with " +
                                        followed_ +
                                        " from here: taken for the same file seen through another "
                                        "path (a container or a mount)"});
          said_path_ = path;
        }
        break;
    }
  }

  std::string counted;
  const std::string skips = counted_but_not_logged(facts);
  if (!skips.empty()) {
    if (skips != said_skips_) {
      out.notes.push_back(
          {spdlog::level::info, skips + ", so Slow_queries cannot tell whether slow queries miss " +
                                    followed_ + "; only the settings are checked"});
    }
    baseline_.reset();
  } else {
    counted = counted_since_baseline(facts, now);
  }
  said_skips_ = skips;

  std::string problem;
  if (!counted.empty()) {
    problem = briefly.empty() ? counted : counted + "; " + briefly;
    if (key.empty()) key = "counted";
  } else {
    problem = setting;
  }
  report(key, problem, out);
  out.verdict = key.empty() ? SlowLogGrowth::Verdict::kFine : SlowLogGrowth::Verdict::kNotGrowing;
  out.problem = key.empty() ? std::string() : problem;
  return out;
}

std::optional<CycleNote> SlowLogGrowthCheck::file_grew() {
  if (finding_.empty()) return std::nullopt;
  finding_.clear();
  return CycleNote{spdlog::level::info, "the server's slow queries reach " + followed_ + " again"};
}

}  // namespace slowscope
