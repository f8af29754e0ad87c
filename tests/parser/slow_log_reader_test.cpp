// Reading slow logs from files and pipes, parallel parsing with split points, and the
// cross-check against pt-query-digest's own parser.
#include "connectors/mysql/slow_log_reader.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "tests/parser/slow_log_generator.h"
#include "tests/parser/slow_log_test_util.h"

namespace slowscope {
namespace {

using testing::Describe;
using testing::OwnedEvent;
using testing::ParsedLog;

std::string SamplePath(const std::string& name) {
  return std::string(SLOWSCOPE_TEST_DATA) + "/slowlogs/" + name;
}

std::vector<std::string> HandSamples() {
  return {"hand-mysql51.log", "hand-mysql57.log", "hand-mysql80.log", "hand-percona.log",
          "hand-mariadb.log", "hand-mixed.log",   "hand-garbage.log"};
}

// A file under the test's temporary directory, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    std::string pattern = (std::filesystem::temp_directory_path() / "slowlog-XXXXXX").string();
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "mkstemp");
    ::close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << contents;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<OwnedEvent> Concat(const std::vector<std::vector<OwnedEvent>>& parts) {
  std::vector<OwnedEvent> all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

void ExpectSameEvents(const std::vector<OwnedEvent>& want, const std::vector<OwnedEvent>& got,
                      const std::string& what) {
  ASSERT_EQ(want.size(), got.size()) << what;
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(want[i], got[i]) << what << " event " << i << "\nwant " << Describe(want[i])
                               << "\ngot  " << Describe(got[i]);
  }
}

struct ParallelRun {
  std::vector<OwnedEvent> events;
  ParallelParseResult result;
};

ParallelRun ParseFileParallel(const std::string& path, unsigned threads,
                              const SlowLogReadOptions& options = {}) {
  std::vector<std::vector<OwnedEvent>> per(threads + 1);
  ParallelRun run;
  run.result = read_slow_log_parallel(
      path, threads,
      [&](size_t i) {
        return [&per, i](const QueryEvent& e) { per[i].push_back(testing::Own(e)); };
      },
      options);
  run.events = Concat(per);
  return run;
}

std::vector<OwnedEvent> ParseRanges(const ByteSource& source, const std::vector<uint64_t>& starts,
                                    const SlowLogReadOptions& options = {}) {
  std::vector<std::vector<OwnedEvent>> per(starts.size());
  parse_slow_log_ranges(
      source, starts,
      [&](size_t i) {
        return [&per, i](const QueryEvent& e) { per[i].push_back(testing::Own(e)); };
      },
      options);
  return Concat(per);
}

// ---------------------------------------------------------------------------------------
// Sequential reading.

TEST(SlowLogReader, FileEqualsFeedingTheBytes) {
  for (const std::string& name : HandSamples()) {
    const std::string bytes = testing::ReadFileBytes(SamplePath(name));
    const ParsedLog want = testing::ParseLog(bytes);
    std::vector<OwnedEvent> got;
    SlowLogReadOptions options;
    options.block_bytes = 4096;  // many blocks even for small files
    ParseStats stats = read_slow_log(
        SamplePath(name), [&](const QueryEvent& e) { got.push_back(testing::Own(e)); }, options);
    ExpectSameEvents(want.events, got, name);
    EXPECT_EQ(stats.bytes, bytes.size());
    EXPECT_EQ(stats.lines, want.stats.lines);
    EXPECT_EQ(stats.events, want.events.size());
  }
}

TEST(SlowLogReader, ReadsAPipe) {
  const std::string bytes = testing::ReadFileBytes(SamplePath("hand-mariadb.log"));
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    // Small writes so that the reader sees short reads.
    for (size_t pos = 0; pos < bytes.size(); pos += 333) {
      size_t n = std::min<size_t>(333, bytes.size() - pos);
      ASSERT_EQ(::write(fds[1], bytes.data() + pos, n), static_cast<ssize_t>(n));
    }
    ::close(fds[1]);
  });
  std::vector<OwnedEvent> got;
  ParseStats stats = read_slow_log_fd(fds[0], "<pipe>",
                                      [&](const QueryEvent& e) { got.push_back(testing::Own(e)); });
  writer.join();
  ::close(fds[0]);
  ExpectSameEvents(testing::ParseLog(bytes).events, got, "pipe");
  EXPECT_EQ(stats.bytes, bytes.size());
}

TEST(SlowLogReader, DashReadsStdin) {
  const std::string bytes = testing::ReadFileBytes(SamplePath("hand-mysql57.log"));
  TempFile file(bytes);
  int saved = ::dup(STDIN_FILENO);
  ASSERT_GE(saved, 0);
  FILE* in = std::fopen(file.path().c_str(), "rb");
  ASSERT_NE(in, nullptr);
  ASSERT_GE(::dup2(::fileno(in), STDIN_FILENO), 0);
  std::vector<OwnedEvent> got;
  ParseStats stats =
      read_slow_log("-", [&](const QueryEvent& e) { got.push_back(testing::Own(e)); });
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  std::fclose(in);
  EXPECT_EQ(stats.events, 14u);
  ExpectSameEvents(testing::ParseLog(bytes).events, got, "stdin");
}

TEST(SlowLogReader, MissingFileThrowsWithThePath) {
  try {
    read_slow_log("/nonexistent/slow.log", [](const QueryEvent&) {});
    FAIL() << "no exception";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/slow.log"), std::string::npos);
  }
  EXPECT_THROW(read_slow_log_parallel("/nonexistent/slow.log", 4,
                                      [](size_t) { return [](const QueryEvent&) {}; }),
               std::system_error);
}

TEST(SlowLogReader, HundredMegabyteLineIsSkippedWithBoundedMemory) {
  // One 100 MB line of junk text between two entries, written without holding it.
  const std::string entry =
      "# Time: 071015 21:43:52\n# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 1;\n";
  TempFile file(entry);
  {
    std::ofstream out(file.path(), std::ios::binary | std::ios::app);
    std::string chunk(1 << 20, 'A');
    for (int i = 0; i < 100; ++i) out << chunk;
    out << "\n" << entry;
  }
  size_t peak_buffer = 0;
  std::vector<std::string> queries;
  std::vector<uint64_t> offsets, lines;
  SlowLogReadOptions options;
  ParseStats stats = read_slow_log(
      file.path(),
      [&](const QueryEvent& e) {
        queries.emplace_back(e.query);
        offsets.push_back(e.offset);
        lines.push_back(e.line);
      },
      options);
  EXPECT_EQ(queries, (std::vector<std::string>{"SELECT 1", "SELECT 1"}));
  EXPECT_EQ(offsets, (std::vector<uint64_t>{0, entry.size() + (uint64_t{100} << 20) + 1}));
  EXPECT_EQ(lines, (std::vector<uint64_t>{1, 6}));
  EXPECT_EQ(stats.skipped, 1u);
  EXPECT_EQ(stats.first_skipped_lines, (std::vector<uint64_t>{5}));
  EXPECT_EQ(stats.lines, 9u);

  // The parser's own buffer stays near its entry limit.
  SlowLogParser parser([](const QueryEvent&) {});
  std::ifstream in(file.path(), std::ios::binary);
  std::string block(1 << 20, '\0');
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    parser.feed(std::string_view(block.data(), static_cast<size_t>(in.gcount())));
    peak_buffer = std::max(peak_buffer, parser.buffer_capacity());
  }
  parser.finish();
  EXPECT_EQ(parser.stats().events, 2u);
  EXPECT_LE(peak_buffer, SlowLogParserOptions{}.max_statement_bytes + (size_t{4} << 20));
}

// ---------------------------------------------------------------------------------------
// Parallel parsing.

TEST(SlowLogParallel, SamplesGiveTheSameEventsWithAnyThreadCount) {
  for (const std::string& name : HandSamples()) {
    const std::string bytes = testing::ReadFileBytes(SamplePath(name));
    const std::vector<OwnedEvent> want = testing::ParseLog(bytes).events;
    for (unsigned threads : {1u, 2u, 3u, 7u}) {
      ParallelRun run = ParseFileParallel(SamplePath(name), threads);
      ExpectSameEvents(want, run.events, name + " threads " + std::to_string(threads));
      EXPECT_EQ(run.result.total.events, want.size());
      EXPECT_EQ(run.result.total.bytes, bytes.size());
    }
  }
}

// Every split point the reader accepts, used alone, gives the sequential result.
TEST(SlowLogParallel, EverySplitPointOfTheSamplesIsSafe) {
  std::vector<std::string> names = HandSamples();
  for (const char* extra :
       {"mariadb-default.log", "mariadb-innodb.log", "mariadb-query_plan.log"}) {
    if (std::filesystem::exists(SamplePath(extra))) names.push_back(extra);
  }
  for (const std::string& name : names) {
    const std::string bytes = testing::ReadFileBytes(SamplePath(name));
    const std::vector<OwnedEvent> want = testing::ParseLog(bytes).events;
    MemoryByteSource source(bytes);
    size_t points = 0;
    size_t tried = 0;
    for (size_t p = 1; p < bytes.size() && tried < 150; ++p) {
      if (bytes[p - 1] != '\n' || bytes[p] != '#') continue;
      ++tried;
      if (!is_slow_log_split_point(source, p)) continue;
      ++points;
      ExpectSameEvents(want, ParseRanges(source, {0, p}), name + " split at " + std::to_string(p));
    }
    if (name.starts_with("hand-") && name != "hand-garbage.log") {
      EXPECT_GT(points, 3u) << name;
    }
  }
}

TEST(SlowLogParallel, GeneratedLogGivesTheSameEventsWithAnyThreadCount) {
  for (auto kind : {testing::GeneratedLog::kMixed, testing::GeneratedLog::kMariaDbSysbench}) {
    const std::string bytes = testing::GenerateSlowLog(5 << 20, kind);
    TempFile file(bytes);
    const std::vector<OwnedEvent> want = testing::ParseLog(bytes).events;
    ASSERT_GT(want.size(), 10000u);
    for (unsigned threads : {1u, 2u, 3u, 7u}) {
      ParallelRun run = ParseFileParallel(file.path(), threads);
      EXPECT_EQ(run.result.range_starts.size(), threads);
      ExpectSameEvents(want, run.events, "generated, threads " + std::to_string(threads));
      EXPECT_EQ(run.result.total.lines, testing::ParseLog(bytes).stats.lines);
    }
  }
}

// Cut statements, entries with a bad Query_time and text without headers in several
// places: any thread count gives the events and counters of a sequential parse.
TEST(SlowLogParallel, CutStatementsAndSkippedEntriesDoNotDependOnThreads) {
  std::string bytes = testing::GenerateSlowLog(3 << 20, testing::GeneratedLog::kMixed, 11);
  const std::string header =
      "# Time: 231114 22:00:00\n# User@Host: a[a] @ h []\n"
      "# Query_time: 2.000000  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1\n";
  // In the second half only, so that the first of each is in a later range (line numbers).
  size_t at = bytes.size() / 2;
  for (int i = 0; i < 12; ++i) {
    at = bytes.find("\n# Time: ", at + bytes.size() / 30);
    ASSERT_NE(at, std::string::npos);
    std::string extra;
    switch (i % 3) {
      case 0:
        extra = header + "INSERT INTO big VALUES ('" + std::string(10000 + i, 'v') + "');\n";
        break;
      case 1:
        extra = "# Time: 231114 22:00:01\n# User@Host: b[b] @ h []\n# Query_time: nan\n"
                "SELECT 'bad time';\n";
        break;
      default:
        extra = "# a note, not a header\nSELECT 'bare';\n";
    }
    bytes.insert(at + 1, extra);
  }
  TempFile file(bytes);
  SlowLogReadOptions options;
  options.parser.max_statement_bytes = 4096;
  const ParsedLog want = testing::ParseLog(bytes, options.parser);
  // (The generated log has headerless fragments of its own: pt's admin-statement
  // lookahead leaves the rest of an entry without its header lines.)
  EXPECT_EQ(want.stats.truncated_statements, 4u);
  EXPECT_EQ(want.stats.bad_query_time, 4u);
  EXPECT_GE(want.stats.headerless, 4u);
  for (unsigned threads : {1u, 2u, 3u, 7u}) {
    const std::string what = "threads " + std::to_string(threads);
    ParallelRun run = ParseFileParallel(file.path(), threads, options);
    EXPECT_EQ(run.result.range_starts.size(), threads) << what;
    ExpectSameEvents(want.events, run.events, what);
    const ParseStats& got = run.result.total;
    EXPECT_EQ(got.truncated_statements, want.stats.truncated_statements) << what;
    EXPECT_EQ(got.bad_query_time, want.stats.bad_query_time) << what;
    EXPECT_EQ(got.first_bad_query_time_line, want.stats.first_bad_query_time_line) << what;
    EXPECT_EQ(got.headerless, want.stats.headerless) << what;
    EXPECT_EQ(got.first_headerless_line, want.stats.first_headerless_line) << what;
    EXPECT_EQ(got.saw_header, want.stats.saw_header) << what;
    EXPECT_EQ(got.saw_text, want.stats.saw_text) << what;
    EXPECT_EQ(got.skipped, want.stats.skipped) << what;
    EXPECT_EQ(got.lines, want.stats.lines) << what;
    // Line numbers in the stats are whole-input ones with range-relative lines too.
    SlowLogReadOptions relative = options;
    relative.range_relative_lines = true;
    const ParseStats rel = ParseFileParallel(file.path(), threads, relative).result.total;
    EXPECT_EQ(rel.first_bad_query_time_line, want.stats.first_bad_query_time_line) << what;
    EXPECT_EQ(rel.first_headerless_line, want.stats.first_headerless_line) << what;
  }
}

// With range-relative line numbers no range counts the lines before it; shifted by
// range_first_lines, events and stats are those of a sequential parse.
TEST(SlowLogParallel, RangeRelativeLinesShiftToTheSequentialOnes) {
  std::string bytes = testing::GenerateSlowLog(3 << 20, testing::GeneratedLog::kMixed);
  // Junk in several places, so that skipped lines come from several ranges.
  for (size_t at : {bytes.size() / 5, bytes.size() / 2, bytes.size() * 4 / 5}) {
    at = bytes.find("\n# Time: ", at);
    ASSERT_NE(at, std::string::npos);
    bytes.insert(at + 1, std::string("junk\0line\n", 10));
  }
  TempFile file(bytes);
  const ParsedLog want = testing::ParseLog(bytes);
  ASSERT_GE(want.stats.first_skipped_lines.size(), 3u);
  for (unsigned threads : {2u, 3u, 7u}) {
    SlowLogReadOptions options;
    options.range_relative_lines = true;
    options.block_bytes = 64 << 10;
    std::vector<std::vector<OwnedEvent>> per(threads);
    ParallelParseResult result = read_slow_log_parallel(
        file.path(), threads,
        [&](size_t i) {
          return [&per, i](const QueryEvent& e) { per[i].push_back(testing::Own(e)); };
        },
        options);
    ASSERT_EQ(result.range_starts.size(), threads);
    ASSERT_EQ(result.range_first_lines.size(), threads);
    EXPECT_EQ(result.range_first_lines[0], 1u);
    for (size_t i = 1; i < threads; ++i) {
      ASSERT_FALSE(per[i].empty());
      EXPECT_EQ(per[i].front().line, 1u + std::count(bytes.begin() + result.range_starts[i],
                                                      bytes.begin() + per[i].front().offset, '\n'));
      for (OwnedEvent& e : per[i]) e.line += result.range_first_lines[i] - 1;
    }
    const std::string what = "relative lines, threads " + std::to_string(threads);
    ExpectSameEvents(want.events, Concat(per), what);
    EXPECT_EQ(result.total.lines, want.stats.lines) << what;
    EXPECT_EQ(result.total.first_skipped_lines, want.stats.first_skipped_lines) << what;
  }
}

// A source whose reads fail from some offset on: the parallel reader must stop every
// thread and report the error, wherever it comes up (in a range's parse or in the
// search for a split point while the first range runs).
class FailingSource final : public ByteSource {
 public:
  FailingSource(std::string_view bytes, uint64_t fail_from) : bytes_(bytes), fail_from_(fail_from) {}
  uint64_t size() const override { return bytes_.size(); }
  size_t read_at(uint64_t offset, char* out, size_t n) const override {
    if (offset + n > fail_from_) {
      throw std::system_error(std::make_error_code(std::errc::io_error), "failing source");
    }
    return bytes_.read_at(offset, out, n);
  }

 private:
  MemoryByteSource bytes_;
  uint64_t fail_from_;
};

TEST(SlowLogParallel, ReadErrorsStopEveryRange) {
  const std::string bytes = testing::GenerateSlowLog(4 << 20, testing::GeneratedLog::kMixed);
  for (double at : {0.1, 0.45, 0.5, 0.55, 0.9, 0.999}) {
    FailingSource source(bytes, static_cast<uint64_t>(bytes.size() * at));
    for (unsigned threads : {2u, 3u}) {
      SlowLogReadOptions options;
      options.block_bytes = 64 << 10;
      EXPECT_THROW(read_slow_log_parallel(
                       source, threads,
                       [](size_t) { return [](const QueryEvent&) {}; }, options),
                   std::system_error)
          << at << " " << threads;
    }
  }
}

TEST(SlowLogParallel, RangesInheritTheDbSetLongBefore) {
  // One `use` at the top, then 4 MB of entries that never name the database again.
  std::string log =
      "# Time: 071015 21:43:52\n# User@Host: a[a] @ h []\nuse faraway;\n"
      "SET timestamp=1;\nSELECT 0;\n";
  for (int i = 1; log.size() < (4u << 20); ++i) {
    log +=
        "# Time: 071015 21:43:52\n# User@Host: a[a] @ h []\n# Query_time: 0.1\n"
        "SET timestamp=1;\nSELECT " +
        std::to_string(i) + ";\n";
  }
  TempFile file(log);
  ParallelRun run = ParseFileParallel(file.path(), 7);
  ASSERT_EQ(run.result.range_starts.size(), 7u);
  for (const OwnedEvent& e : run.events) ASSERT_EQ(e.db, "faraway") << Describe(e);
  ExpectSameEvents(testing::ParseLog(log).events, run.events, "inherited db");
}

TEST(SlowLogParallel, ProgressCoversTheWholeFile) {
  const std::string bytes = testing::GenerateSlowLog(3 << 20, testing::GeneratedLog::kMixed);
  TempFile file(bytes);
  std::mutex mu;
  std::vector<uint64_t> seen;
  SlowLogReadOptions options;
  options.block_bytes = 64 << 10;  // progress comes per block read
  options.parser.progress_every_bytes = 256 << 10;
  options.parser.on_progress = [&](uint64_t b) {
    std::lock_guard<std::mutex> lock(mu);
    seen.push_back(b);
  };
  ParseFileParallel(file.path(), 3, options);
  ASSERT_GE(seen.size(), 5u);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i], seen[i - 1]);
  EXPECT_LE(seen.back(), bytes.size());
}

// ---------------------------------------------------------------------------------------
// Cross-check with pt-query-digest's own SlowLogParser (skipped when it is not installed).

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

std::map<std::string, std::string> Fields(const std::string& line) {
  std::map<std::string, std::string> out;
  std::istringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) {
    size_t eq = field.find('=');
    out[field.substr(0, eq)] = eq == std::string::npos ? "" : field.substr(eq + 1);
  }
  return out;
}

// `tz_shift`: the log has numeric zone offsets, which pt ignores; ts may then differ by
// whole quarter hours.
void ExpectLikePt(const std::string& pt, const std::string& file, const std::string& log_bytes,
                  bool tz_shift, const std::string& what) {
  std::string out =
      RunCommand("perl '" + std::string(SLOWSCOPE_SOURCE_DIR) +
                 "/tests/parser/pt_reference_events.pl' '" + pt + "' '" + file + "' 2>/dev/null");
  std::vector<std::string> want;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) want.push_back(line);
  std::vector<OwnedEvent> got = testing::ParseLog(log_bytes).events;
  ASSERT_EQ(want.size(), got.size()) << what;
  for (size_t i = 0; i < want.size(); ++i) {
    auto w = Fields(want[i]);
    auto g = Fields(testing::PtLine(got[i]));
    if (tz_shift && w.count("ts") && g.count("ts") && w["ts"] != g["ts"]) {
      long long d = std::stoll(w["ts"]) - std::stoll(g["ts"]);
      EXPECT_TRUE(d % 900 == 0 && d >= -14 * 3600 && d <= 14 * 3600) << what << " event " << i;
      w.erase("ts");
      g.erase("ts");
    }
    EXPECT_EQ(w, g) << what << " event " << i << "\npt:   " << want[i]
                    << "\nours: " << testing::PtLine(got[i]);
  }
}

std::string FindPt() {
  std::string path = RunCommand("command -v pt-query-digest 2>/dev/null");
  while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
  return path;
}

TEST(SlowLogPtCrossCheck, SamplesMatchPtQueryDigest) {
  const std::string pt = FindPt();
  if (pt.empty()) GTEST_SKIP() << "pt-query-digest is not installed";
  for (const std::string name : {"hand-mysql51.log", "hand-mysql57.log", "hand-mysql80.log",
                                 "hand-percona.log", "hand-mariadb.log", "mariadb-default.log",
                                 "mariadb-innodb.log", "mariadb-query_plan.log"}) {
    if (!std::filesystem::exists(SamplePath(name))) continue;
    ExpectLikePt(pt, SamplePath(name), testing::ReadFileBytes(SamplePath(name)),
                 name == "hand-mysql57.log", name);
  }
  // pt reads CRLF as part of the line; compare with what pt makes of the LF version.
  std::string mixed = testing::ReadFileBytes(SamplePath("hand-mixed.log"));
  std::string lf;
  for (size_t i = 0; i < mixed.size(); ++i) {
    if (!(mixed[i] == '\r' && i + 1 < mixed.size() && mixed[i + 1] == '\n')) lf += mixed[i];
  }
  TempFile lf_file(lf);
  ExpectLikePt(pt, lf_file.path(), mixed, false, "hand-mixed.log");
}

TEST(SlowLogPtCrossCheck, GeneratedLogMatchesPtQueryDigest) {
  const std::string pt = FindPt();
  if (pt.empty()) GTEST_SKIP() << "pt-query-digest is not installed";
  const std::string bytes = testing::GenerateSlowLog(300 << 10, testing::GeneratedLog::kMixed, 5);
  TempFile file(bytes);
  ExpectLikePt(pt, file.path(), bytes, true, "generated");
}

}  // namespace
}  // namespace slowscope
