// Two readers of one target's slow-log files — a collector following the log and another
// reading the same files (as `digest --store` does) — on files the test writes: whatever the
// order in which they read, rotate and race, every entry is stored once.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "analyzer/store/store.h"
#include "connectors/mysql/slow_log_collector.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;

// `n` MySQL 8 style entries of one statement, the first at 10:00:`first`.
std::string entries(int first, int n) {
  std::string text;
  for (int i = first; i < first + n; ++i) {
    char time[64];
    snprintf(time, sizeof time, "2026-11-25T10:%02d:%02d.000000Z", i / 60, i % 60);
    text += std::string("# Time: ") + time +
            "\n# User@Host: app[app] @ localhost []  Id:     7\n"
            "# Query_time: 0.001000  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1\n"
            "SET timestamp=1764064800;\nSELECT v FROM items WHERE id = 1;\n";
  }
  return text;
}

class SlowLogFileReadersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/slowscope-readers-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    log_ = dir_ / "slow.log";
    store_.emplace(Store::open(StoreLocation::parse("sqlite:" + (dir_ / "s.db").string())));
    store_->ensure_target("shop", Engine::kMysql);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  void append(const fs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::app | std::ios::binary) << text;
  }

  SlowLogFileCollector collector() {
    return SlowLogFileCollector("shop", log_.string(), {.take_last_entry = true});
  }
  SlowLogFileCollector digest(const fs::path& file) {
    return SlowLogFileCollector("shop", file.string(),
                                {.take_last_entry = true,
                                 .checkpoint = "slow_log_file:" + file.string(),
                                 .reader = "digest",
                                 .follow_rotations = false});
  }

  SlowLogCycleReport cycle(SlowLogFileCollector& reader) {
    return reader.run_cycle(*store_, std::chrono::system_clock::now(), std::chrono::seconds(60));
  }

  int64_t stored_calls() {
    int64_t calls = 0;
    for (const auto& t : store_->top({"shop", StoreTime(std::chrono::seconds(0)),
                                      StoreTime(std::chrono::seconds(4'000'000'000)),
                                      TopOrder::kCalls, 10})) {
      calls += t.measures.calls;
    }
    return calls;
  }

  fs::path dir_;
  fs::path log_;
  std::optional<Store> store_;
};

TEST_F(SlowLogFileReadersTest, AReaderResumesAfterWhatAnotherStoredMeanwhile) {
  append(log_, entries(0, 5));
  SlowLogFileCollector collect = collector();
  EXPECT_EQ(cycle(collect).entries, 5u);

  // The other reader starts where the collector stopped: it says so and adds nothing.
  SlowLogFileCollector other = digest(log_);
  SlowLogCycleReport r = cycle(other);
  EXPECT_EQ(r.bytes, 0u);
  EXPECT_EQ(r.already_stored, fs::file_size(log_));
  EXPECT_EQ(r.stored_by, "collect");

  append(log_, entries(5, 3));
  EXPECT_EQ(cycle(other).entries, 3u);
  append(log_, entries(8, 2));
  // The collector read from where it was: its cycle is refused whole, and it resumes after
  // what the other stored.
  r = cycle(collect);
  EXPECT_FALSE(r.written);
  EXPECT_FALSE(r.caught_up);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].kind, "log_shared");
  EXPECT_EQ(stored_calls(), 8);
  r = cycle(collect);
  EXPECT_EQ(r.entries, 2u);
  EXPECT_EQ(r.already_stored, entries(5, 3).size());
  EXPECT_EQ(stored_calls(), 10);
  EXPECT_EQ(cycle(collect).bytes, 0u);
  // The other, as stale as the collector was, is refused the same way, then reads nothing.
  EXPECT_FALSE(cycle(other).written);
  EXPECT_EQ(cycle(other).bytes, 0u);
  EXPECT_EQ(stored_calls(), 10);
}

TEST_F(SlowLogFileReadersTest, RotatedAndNewFilesAreStoredOnceInAnyOrder) {
  append(log_, entries(0, 4));
  SlowLogFileCollector collect = collector();
  EXPECT_EQ(cycle(collect).entries, 4u);
  append(log_, entries(4, 2));
  fs::rename(log_, dir_ / "slow.log.1");
  append(log_, entries(6, 5));  // the server's new file

  // Another reader takes the new file before the collector gets to it, and the rotated
  // file's last entries.
  SlowLogFileCollector new_file = digest(log_);
  EXPECT_EQ(cycle(new_file).entries, 5u);
  SlowLogFileCollector rotated = digest(dir_ / "slow.log.1");
  SlowLogCycleReport r = cycle(rotated);
  EXPECT_EQ(r.entries, 2u);
  EXPECT_EQ(r.already_stored, entries(0, 4).size());
  EXPECT_EQ(stored_calls(), 11);

  // The collector finishes the rotated file and moves on to the new one: nothing twice.
  for (int i = 0; i < 5; ++i) cycle(collect);
  EXPECT_EQ(stored_calls(), 11);
  append(log_, entries(11, 1));
  for (int i = 0; i < 3; ++i) cycle(collect);
  EXPECT_EQ(stored_calls(), 12);

  // Digests again of both: nothing new.
  SlowLogFileCollector again = digest(dir_ / "slow.log.1");
  EXPECT_EQ(cycle(again).bytes, 0u);
  SlowLogFileCollector again_new = digest(log_);
  EXPECT_EQ(cycle(again_new).bytes, 0u);
  EXPECT_EQ(stored_calls(), 12);
}

}  // namespace
}  // namespace slowscope
