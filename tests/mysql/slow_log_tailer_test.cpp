// SlowLogTailer on files written by the test: complete entries only, exactly once, across
// restarts from a stored position, half-written entries, and files replaced in place.
#include "connectors/mysql/slow_log_tailer.h"

#include "connectors/mysql/slow_log_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace slowscope {
namespace {

namespace fs = std::filesystem;

// One MySQL 8 style entry running `query` at 10:00:`second`.
std::string entry(int second, const std::string& query) {
  char time[64];
  snprintf(time, sizeof time, "2026-11-25T10:%02d:%02d.000000Z", second / 60, second % 60);
  return std::string("# Time: ") + time +
         "\n# User@Host: app[app] @ localhost []  Id:     7\n"
         "# Query_time: 0.001000  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1\n"
         "SET timestamp=1764064800;\n" +
         query + ";\n";
}

class TailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/slowscope-tail-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    path_ = dir_ / "slow.log";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void append(const std::string& text) {
    std::ofstream out(path_, std::ios::app | std::ios::binary);
    out << text;
  }
  void write(const std::string& text) {  // in place: same inode
    std::ofstream out(path_, std::ios::in | std::ios::out | std::ios::trunc | std::ios::binary);
    out << text;
  }

  // One read from the stored position; counts delivered statements by text.
  TailBatch read(SlowLogTailer& tailer, bool take_last = false) {
    const std::map<std::string, int> before = seen_;
    TailBatch batch =
        tailer.read(position_, [&](const QueryEvent& e) { ++seen_[std::string(e.query)]; },
                    {.take_last_entry = take_last, .on_discard = [&] { seen_ = before; }});
    if (batch.next) position_ = batch.next;
    return batch;
  }

  fs::path dir_;
  fs::path path_;
  std::optional<SlowLogPosition> position_;
  std::map<std::string, int> seen_;
};

TEST_F(TailerTest, DeliversCompleteEntriesOnceAndWaitsForAHalfWrittenOne) {
  append(entry(1, "SELECT a") + entry(2, "SELECT b") + entry(3, "SELECT c"));
  append(
      "# Time: 2026-11-25T10:00:04.000000Z\n# User@Host: app[app] @ localhost []\n"
      "# Query_time: 0.001000  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1\n"
      "SET timestamp=1764064800;\nSELECT d FROM t WHE");
  {
    SlowLogTailer tailer(path_.string());
    read(tailer);
    read(tailer);  // the file stopped growing, but its last entry is not complete
  }
  EXPECT_EQ(seen_, (std::map<std::string, int>{{"SELECT a", 1}, {"SELECT b", 1}, {"SELECT c", 1}}));

  append("RE x = 1;\n" + entry(5, "SELECT e"));
  SlowLogTailer restarted(path_.string());  // a new process resumes from the position
  read(restarted);
  EXPECT_EQ(seen_.count("SELECT d FROM t WHERE x = 1"), 1u);
  EXPECT_EQ(seen_.count("SELECT e"), 0u);  // the last entry waits for the file to settle
  read(restarted);
  EXPECT_EQ(seen_.count("SELECT e"), 1u);
  read(restarted);
  EXPECT_EQ(seen_.size(), 5u);
  for (const auto& [query, n] : seen_) EXPECT_EQ(n, 1) << query;
}

TEST_F(TailerTest, ALastPassTakesACompleteLastEntryAtOnce) {
  append(entry(1, "SELECT a") + entry(2, "SELECT b"));
  SlowLogTailer tailer(path_.string());
  read(tailer, /*take_last=*/true);
  EXPECT_EQ(seen_, (std::map<std::string, int>{{"SELECT a", 1}, {"SELECT b", 1}}));
  append(entry(3, "SELECT c"));
  read(tailer, true);
  EXPECT_EQ(seen_.size(), 3u);
}

TEST_F(TailerTest, APositionSurvivesItsTextForm) {
  append(entry(1, "use shop;\nSELECT a") + entry(2, "SELECT b") + entry(3, "SELECT c"));
  SlowLogTailer tailer(path_.string());
  read(tailer);
  ASSERT_TRUE(position_);
  EXPECT_TRUE(position_->carry.has_db);
  const auto parsed = SlowLogPosition::parse(position_->serialize());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, *position_);
  EXPECT_FALSE(SlowLogPosition::parse("not a position"));
  EXPECT_FALSE(SlowLogPosition::parse("{\"dev\": 1}"));
}

// The same inode with other content (truncated and rewritten, or a reused inode): read from
// the start again, with a possible gap reported, and nothing of the old file repeated.
TEST_F(TailerTest, ContentReplacedInPlaceIsReadFromItsStart) {
  append(entry(1, "SELECT a") + entry(2, "SELECT b") + entry(3, "SELECT c"));
  SlowLogTailer tailer(path_.string());
  read(tailer);
  read(tailer);
  ASSERT_EQ(seen_.size(), 3u);
  write(entry(10, "SELECT x") + entry(11, "SELECT y") + entry(12, "SELECT z") +
        entry(13, "SELECT w"));
  TailBatch batch = read(tailer);
  read(tailer);
  EXPECT_EQ(seen_, (std::map<std::string, int>{{"SELECT a", 1},
                                               {"SELECT b", 1},
                                               {"SELECT c", 1},
                                               {"SELECT x", 1},
                                               {"SELECT y", 1},
                                               {"SELECT z", 1},
                                               {"SELECT w", 1}}));
  bool gap = false;
  for (const auto& n : batch.notices) gap |= n.kind == TailNotice::Kind::kGap;
  EXPECT_TRUE(gap);
}

TEST_F(TailerTest, ATruncatedFileIsReadFromItsStart) {
  append(entry(1, "SELECT a") + entry(2, "SELECT b") + entry(3, "SELECT c"));
  {
    SlowLogTailer tailer(path_.string());
    read(tailer);
    read(tailer);
  }
  write("");  // truncated while nobody watched
  append(entry(20, "SELECT n"));
  SlowLogTailer restarted(path_.string());
  TailBatch batch = read(restarted);
  read(restarted);
  EXPECT_EQ(seen_.size(), 4u);
  EXPECT_EQ(seen_["SELECT n"], 1);
  EXPECT_EQ(seen_["SELECT a"], 1);
  bool gap = false;
  for (const auto& n : batch.notices) gap |= n.kind == TailNotice::Kind::kGap;
  EXPECT_TRUE(gap);
}

// Renamed while nobody watched and a new file started: the rest of the old file is found by
// its identity in the folder and read to its end before the new file.
TEST_F(TailerTest, ARenamedFileIsFinishedBeforeTheNewOne) {
  append(entry(1, "SELECT a") + entry(2, "SELECT b"));
  {
    SlowLogTailer tailer(path_.string());
    read(tailer);
  }
  append(entry(3, "SELECT c"));
  fs::rename(path_, dir_ / "slow.log.1");
  append(entry(4, "SELECT d") + entry(5, "SELECT e"));
  SlowLogTailer restarted(path_.string());
  TailBatch batch = read(restarted);
  read(restarted);
  EXPECT_EQ(seen_.size(), 5u);
  for (const auto& [query, n] : seen_) EXPECT_EQ(n, 1) << query;
  bool rotated = false;
  for (const auto& n : batch.notices) rotated |= n.kind == TailNotice::Kind::kRotated;
  EXPECT_TRUE(rotated);
}

// Deleted while open and recreated: the open descriptor drains the deleted file.
TEST_F(TailerTest, ADeletedFileIsDrainedThroughItsDescriptor) {
  append(entry(1, "SELECT a"));
  SlowLogTailer tailer(path_.string());
  read(tailer);
  {
    std::ofstream still_open(path_, std::ios::app);
    fs::remove(path_);
    still_open << entry(2, "SELECT b") << entry(3, "SELECT c");
  }
  append(entry(4, "SELECT d") + entry(5, "SELECT e"));
  read(tailer);
  read(tailer);
  EXPECT_EQ(seen_.size(), 5u);
  for (const auto& [query, n] : seen_) EXPECT_EQ(n, 1) << query;
}

// --from-end: what the file held before is skipped, what comes after is read.
TEST_F(TailerTest, StartingAtTheEndSkipsWhatWasThere) {
  append(entry(1, "SELECT a") + entry(2, "SELECT b"));
  SlowLogTailer tailer(path_.string());
  SlowLogTailer::ReadOptions options;
  options.start_at_end = true;
  TailBatch batch = tailer.read(
      std::nullopt, [&](const QueryEvent& e) { ++seen_[std::string(e.query)]; }, options);
  position_ = batch.next;
  EXPECT_TRUE(seen_.empty());
  append(entry(3, "SELECT c") + entry(4, "SELECT d"));
  read(tailer);
  read(tailer);
  EXPECT_EQ(seen_, (std::map<std::string, int>{{"SELECT c", 1}, {"SELECT d", 1}}));
}

TEST_F(TailerTest, AMissingFileIsWaitedFor) {
  SlowLogTailer tailer(path_.string());
  TailBatch batch = read(tailer);
  ASSERT_EQ(batch.notices.size(), 1u);
  EXPECT_EQ(batch.notices[0].kind, TailNotice::Kind::kWaiting);
  append(entry(1, "SELECT a") + entry(2, "SELECT b"));
  read(tailer);
  read(tailer);
  EXPECT_EQ(seen_.size(), 2u);
}

// What collect's slow_log_file source reads: statements without any slow-log header, and
// an entry whose Query_time is not a number, are no events (pt-query-digest makes no class
// of them either); they are counted, and the entries around them still come.
TEST_F(TailerTest, BareStatementsAndANonNumericQueryTimeAreNoEvents) {
  append(
      "SELECT 'a bare statement';\nUPDATE bare SET x = 1;\n"
      "# Time: 2026-11-25T10:00:01.000000Z\n# User@Host: app[app] @ localhost []  Id:     7\n"
      "# Query_time: 18446744073708.796870.000036  Lock_time: 0.000000 Rows_sent: 1  "
      "Rows_examined: 1\nSET timestamp=1764064800;\nSELECT odd;\n" +
      entry(2, "SELECT b") + entry(3, "SELECT c"));
  SlowLogTailer tailer(path_.string());
  const TailBatch batch = read(tailer, /*take_last=*/true);
  EXPECT_EQ(seen_, (std::map<std::string, int>{{"SELECT b", 1}, {"SELECT c", 1}}));
  EXPECT_EQ(batch.stats.events, 2u);
  EXPECT_EQ(batch.stats.bad_query_time, 1u);
  EXPECT_EQ(batch.stats.headerless, 1u);  // one record of two bare statements
}

TEST_F(TailerTest, ABacklogIsReadInParts) {
  std::string log;
  for (int i = 0; i < 2000; ++i) log += entry(i % 3600, "SELECT " + std::to_string(i));
  append(log);
  SlowLogTailer tailer(path_.string());
  int parts = 0;
  while (true) {
    const std::map<std::string, int> before = seen_;
    SlowLogTailer::ReadOptions options;
    options.max_bytes = 50'000;
    options.take_last_entry = true;
    options.on_discard = [&] { seen_ = before; };
    TailBatch batch = tailer.read(
        position_, [&](const QueryEvent& e) { ++seen_[std::string(e.query)]; }, options);
    position_ = batch.next;
    ++parts;
    if (batch.caught_up) break;
    ASSERT_LT(parts, 1000);
  }
  EXPECT_GT(parts, 5);
  EXPECT_EQ(seen_.size(), 2000u);
  for (const auto& [query, n] : seen_) EXPECT_EQ(n, 1) << query;
}

// Read in parts of any size, every test log — old and new formats, junk, entries without
// statement — gives exactly the events of one sequential parse, in order, with the same
// inherited database and time.
TEST_F(TailerTest, ReadingInPartsEqualsOneSequentialParse) {
  auto describe = [](const QueryEvent& e) {
    return std::string(e.query) + "|" + std::string(e.db) + "|" +
           (e.ts_us ? std::to_string(*e.ts_us) : "-") + "|" + std::to_string(e.offset);
  };
  for (const char* name : {"hand-garbage", "hand-mariadb", "hand-mixed", "hand-mysql51",
                           "hand-mysql57", "hand-mysql80", "hand-percona", "mariadb-default"}) {
    const std::string log = std::string(SLOWSCOPE_TEST_DATA) + "/slowlogs/" + name + ".log";
    std::vector<std::string> want;
    const ParseStats whole =
        read_slow_log(log, [&](const QueryEvent& e) { want.push_back(describe(e)); });
    // A last entry cut short is delivered at the end of input, but never by a tailer: the
    // rest of it may still come.
    std::vector<std::string> want_complete = want;
    if (whole.truncated_last_entry && !want_complete.empty()) want_complete.pop_back();
    for (const uint64_t part : {uint64_t{1}, uint64_t{97}, uint64_t{1000}, uint64_t{1} << 30}) {
      std::vector<std::string> got;
      SlowLogTailer tailer(log);
      std::optional<SlowLogPosition> at;
      for (int reads = 0;; ++reads) {
        ASSERT_LT(reads, 100000) << name << " in parts of " << part << " bytes, at "
                                 << (at ? at->offset : 0);
        const size_t before = got.size();
        SlowLogTailer::ReadOptions options;
        options.max_bytes = part;
        options.take_last_entry = true;
        options.on_discard = [&] { got.resize(before); };
        const TailBatch batch = tailer.read(
            at, [&](const QueryEvent& e) { got.push_back(describe(e)); }, options);
        if (batch.bytes == 0 && batch.next && at && *batch.next == *at) break;  // no progress
        at = batch.next;
      }
      EXPECT_TRUE(got == want || got == want_complete)
          << name << " in parts of " << part << " bytes: got " << ::testing::PrintToString(got)
          << "\nwant " << ::testing::PrintToString(want);
    }
  }
}

}  // namespace
}  // namespace slowscope
