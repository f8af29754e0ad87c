// The slow-log file source against a real MariaDB: a workload with known statement counts is
// stored exactly once per statement, across every kind of rotation people use, whether the
// collector runs through it or is stopped meanwhile.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "connectors/mysql/slow_log_collector.h"
#include "tests/mysql/mysql_workload.h"
#include "tests/support/mariadb_server.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;
using testing::MysqlWorkload;

class MariadbSlowLogFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = testing::MariadbEnvironment::server();
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->ok()) << server_->error();
    char pattern[] = "/tmp/slowscope-mystore-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    store_.emplace(Store::open(StoreLocation::parse("sqlite:" + (dir_ / "s.db").string())));
    store_->ensure_target("shop", Engine::kMysql);
    start_collector();
  }
  void TearDown() override {
    collector_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  std::string tag() const {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string out;
    for (char c : name) out += std::isalpha(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
    return out;
  }
  fs::path rotated(const std::string& suffix) const {
    return server_->slow_log().string() + "." + tag() + suffix;
  }

  // A new collector: as after a restart of slowscope, it knows only what the store holds.
  void start_collector() {
    collector_ = std::make_unique<SlowLogFileCollector>("shop", server_->slow_log().string(),
                                                        SlowLogFileCollector::Options{});
  }
  void stop_collector() { collector_.reset(); }

  // Cycles until the log is read to its end (the last entry once the file settled).
  void drain() {
    int idle = 0;
    for (int i = 0; i < 50 && idle < 2; ++i) {
      const SlowLogCycleReport r = collector_->run_cycle(*store_, std::chrono::system_clock::now(),
                                                         std::chrono::seconds(60));
      for (const auto& e : r.events) events_.push_back(e);
      idle = r.bytes == 0 && r.caught_up ? idle + 1 : 0;
    }
  }

  bool gap_reported() const {
    for (const auto& e : events_) {
      if (e.kind == event_kind::kCoverageGap) return true;
    }
    return false;
  }

  void expect_counts(const MysqlWorkload& w) {
    EXPECT_EQ(testing::stored_calls(*store_, "shop", w.expected()), w.expected());
  }

  testing::MariadbServer* server_ = nullptr;
  fs::path dir_;
  std::optional<Store> store_;
  std::unique_ptr<SlowLogFileCollector> collector_;
  std::vector<CollectorEvent> events_;
};

TEST_F(MariadbSlowLogFileTest, StoresAKnownWorkloadExactly) {
  MysqlWorkload w(*server_, tag());
  w.run(37, 11);
  drain();
  expect_counts(w);
  w.run(5, 8);
  drain();
  expect_counts(w);
  EXPECT_EQ(w.expected().size(), 2u);
}

TEST_F(MariadbSlowLogFileTest, RenameAndFlushWhileRunning) {
  MysqlWorkload w(*server_, tag());
  w.run(20, 5);
  drain();
  fs::rename(server_->slow_log(), rotated(".1"));
  w.run(7, 3);  // still written to the renamed file
  drain();      // the path is gone: the renamed file is followed
  w.run(4, 0);
  server_->sql("FLUSH SLOW LOGS;");
  w.run(9, 2);  // the new file
  drain();
  expect_counts(w);
  EXPECT_FALSE(gap_reported());
}

TEST_F(MariadbSlowLogFileTest, RenameWhileStopped) {
  MysqlWorkload w(*server_, tag());
  w.run(12, 4);
  drain();
  stop_collector();
  w.run(6, 6);
  fs::rename(server_->slow_log(), rotated(".1"));
  w.run(3, 1);
  server_->sql("FLUSH SLOW LOGS;");
  w.run(8, 2);
  start_collector();
  drain();
  expect_counts(w);
  EXPECT_FALSE(gap_reported());
}

TEST_F(MariadbSlowLogFileTest, DeleteAndRecreateWhileRunning) {
  MysqlWorkload w(*server_, tag());
  w.run(10, 10);
  drain();
  fs::remove(server_->slow_log());
  w.run(5, 1);  // into the deleted file, which the collector still has open
  server_->sql("FLUSH SLOW LOGS;");
  w.run(6, 2);
  drain();
  expect_counts(w);
  EXPECT_FALSE(gap_reported());
}

// copytruncate: what is written between the last read and the truncation can be lost (a
// gap is reported); nothing is counted twice. Here the collector read just before the copy,
// so nothing is lost.
TEST_F(MariadbSlowLogFileTest, CopytruncateWhileRunning) {
  MysqlWorkload w(*server_, tag());
  w.run(15, 3);
  drain();
  fs::copy_file(server_->slow_log(), rotated(".1"));
  fs::resize_file(server_->slow_log(), 0);
  w.run(4, 4);
  drain();
  expect_counts(w);
  EXPECT_TRUE(gap_reported());
}

// The window of loss of copytruncate: entries written after the last read and before the
// truncation are lost, the gap is reported, and the rest is exact.
TEST_F(MariadbSlowLogFileTest, CopytruncateLosesOnlyItsWindow) {
  MysqlWorkload before(*server_, tag() + "_before");
  MysqlWorkload window(*server_, tag() + "_window");
  MysqlWorkload after(*server_, tag() + "_after");
  before.run(9, 2);
  drain();
  window.run(5, 5);
  fs::copy_file(server_->slow_log(), rotated(".1"));
  fs::resize_file(server_->slow_log(), 0);
  after.run(3, 7);
  drain();
  expect_counts(before);
  expect_counts(after);
  const auto lost = testing::stored_calls(*store_, "shop", window.expected());
  for (const auto& [id, calls] : lost) EXPECT_LE(calls, window.expected().at(id)) << id;
  EXPECT_TRUE(gap_reported());
}

TEST_F(MariadbSlowLogFileTest, TruncateWhileStopped) {
  MysqlWorkload w(*server_, tag());
  w.run(11, 6);
  drain();
  stop_collector();
  fs::resize_file(server_->slow_log(), 0);
  w.run(2, 9);
  start_collector();
  drain();
  expect_counts(w);
  EXPECT_TRUE(gap_reported());
}

// Deleted while stopped and a new file created at the path, whichever inode it gets (the
// file system may well hand out the old one again): the new content is read from its start.
TEST_F(MariadbSlowLogFileTest, DeletedWhileStoppedAndANewFileCreated) {
  MysqlWorkload w(*server_, tag());
  w.run(13, 2);
  drain();
  stop_collector();
  fs::remove(server_->slow_log());
  server_->sql("FLUSH SLOW LOGS;");
  w.run(7, 7);
  start_collector();
  drain();
  expect_counts(w);
}

}  // namespace
}  // namespace slowscope
