// Target leases and slow-log file ranges on both backends: one process collects a target at
// a time, a dead holder's lease can be taken over, a cycle of a lease lost meanwhile writes
// nothing, and a file range changed by another reader fails the cycle whole.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyzer/store/store.h"
#include "tests/store/store_test_support.h"

namespace slowscope::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;
constexpr std::chrono::seconds kTtl{180};

LeaseHolder holder(const std::string& owner, int64_t pid = 4242) {
  return LeaseHolder{owner, "host-" + owner, pid, "elsewhere"};
}

CycleWrite cycle_at(const std::string& target, int64_t at, int calls) {
  CycleWrite cycle{target, {"sys", "1"}, T(at), {}, {}, {}, {}};
  cycle.new_statements.push_back({test_key(1), test_shape(1), ""});
  Sample sample = test_sample(test_key(1), at - 60, 1, 60);
  sample.measures.calls = calls;
  cycle.samples.push_back(sample);
  cycle.on_conflict = SampleConflict::kAdd;
  return cycle;
}

int64_t stored_calls(Store& store, const std::string& target) {
  int64_t calls = 0;
  for (const auto& t : store.top({target, T(kNow - 86400), T(kNow + 86400), TopOrder::kCalls, 10})) {
    calls += t.measures.calls;
  }
  return calls;
}

class StoreLeaseTest : public BackendTest {};

TEST_P(StoreLeaseTest, ASecondHolderIsRefusedWithTheFirstNamed) {
  Store a = db_->open();
  Store b = db_->open();
  a.ensure_target("shop", Engine::kMysql);
  const Lease taken = a.take_lease("shop", holder("a", 111), T(kNow), kTtl);
  EXPECT_EQ(taken.expires_at, T(kNow) + kTtl);
  try {
    b.take_lease("shop", holder("b"), T(kNow + 30), kTtl);
    FAIL() << "the second holder got the lease";
  } catch (const LeaseHeld& e) {
    EXPECT_EQ(e.lease().holder, holder("a", 111));
    EXPECT_EQ(e.target(), "shop");
    const std::string message = e.what();
    EXPECT_NE(message.find("pid 111 on host-a"), std::string::npos) << message;
    EXPECT_NE(message.find("30 s ago"), std::string::npos) << message;
  }
  // The holder renews; its acquisition time stays.
  const Lease renewed = a.take_lease("shop", holder("a", 111), T(kNow + 60), kTtl);
  EXPECT_EQ(renewed.acquired_at, T(kNow));
  EXPECT_EQ(a.lease("shop")->expires_at, T(kNow + 60) + kTtl);
}

TEST_P(StoreLeaseTest, AnExpiredOrReleasedLeaseIsTakenOver) {
  Store a = db_->open();
  Store b = db_->open();
  a.ensure_target("shop", Engine::kMysql);
  a.take_lease("shop", holder("a"), T(kNow), kTtl);
  EXPECT_THROW(b.take_lease("shop", holder("b"), T(kNow + kTtl.count() - 1), kTtl), LeaseHeld);
  const Lease lease = b.take_lease("shop", holder("b"), T(kNow + kTtl.count()), kTtl);
  EXPECT_EQ(lease.holder, holder("b"));
  EXPECT_EQ(lease.acquired_at, T(kNow + kTtl.count()));

  b.release_lease("shop", holder("b"));
  EXPECT_FALSE(b.lease("shop"));
  a.take_lease("shop", holder("a"), T(kNow + 200), kTtl);  // at once, not after expiry
  a.release_lease("shop", holder("b"));                     // not b's to give up
  EXPECT_EQ(a.lease("shop")->holder, holder("a"));
}

// A holder on this machine whose process has gone is taken over at once; one still running
// is not.
TEST_P(StoreLeaseTest, AHolderWhoseProcessIsGoneIsTakenOverAtOnce) {
  Store a = db_->open();
  a.ensure_target("shop", Engine::kMysql);
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);
  LeaseHolder dead = LeaseHolder::this_process();
  dead.owner = "dead";
  dead.pid = child;
  a.take_lease("shop", dead, T(kNow), kTtl);
  Store b = db_->open();
  EXPECT_EQ(b.take_lease("shop", LeaseHolder::this_process(), T(kNow + 1), kTtl).holder,
            LeaseHolder::this_process());

  LeaseHolder alive = LeaseHolder::this_process();
  alive.owner = "alive";  // another run, but its pid (ours) runs
  EXPECT_THROW(a.take_lease("shop", alive, T(kNow + 2), kTtl), LeaseHeld);
}

// A holder whose lease was taken over while it stalled writes nothing, and says who has it.
TEST_P(StoreLeaseTest, ACycleAfterTheLeaseWasTakenOverWritesNothing) {
  Store a = db_->open();
  Store b = db_->open();
  a.ensure_target("shop", Engine::kMysql);
  a.take_lease("shop", holder("a"), T(kNow), kTtl);
  a.write_cycle(cycle_at("shop", kNow, 5));
  b.take_lease("shop", holder("b"), T(kNow + 1000), kTtl);
  try {
    a.write_cycle(cycle_at("shop", kNow + 1001, 7));
    FAIL() << "a wrote after losing its lease";
  } catch (const LeaseHeld& e) {
    EXPECT_EQ(e.lease().holder, holder("b"));
    EXPECT_NE(std::string(e.what()).find("taken over"), std::string::npos) << e.what();
  }
  b.write_cycle(cycle_at("shop", kNow + 1002, 11));
  EXPECT_EQ(stored_calls(b, "shop"), 16);
  // Renewed by b's cycle.
  EXPECT_EQ(b.lease("shop")->expires_at, T(kNow + 1002) + kTtl);
}

LogFileRecord file_row(uint64_t inode, uint64_t read_to, uint64_t head_hash = 7) {
  LogFileRecord f;
  f.host = "db1";
  f.device = 64769;
  f.inode = inode;
  f.head_bytes = 1024;
  f.head_hash = head_hash;
  f.read_to = read_to;
  f.resume = "{\"offset\":" + std::to_string(read_to) + "}";
  f.reader = "collect";
  f.updated_at = T(kNow);
  return f;
}

TEST_P(StoreLeaseTest, AFileRangeMovesOnlyFromWhereItsWriterSawIt) {
  Store a = db_->open();
  Store b = db_->open();
  a.ensure_target("shop", Engine::kMysql);

  CycleWrite first = cycle_at("shop", kNow, 3);
  first.log_files.push_back({file_row(10, 500), std::nullopt});
  a.write_cycle(first);
  ASSERT_EQ(a.log_files("shop", "db1"), std::vector<LogFileRecord>{file_row(10, 500)});
  EXPECT_TRUE(a.log_files("shop", "db2").empty());

  // b read on from 500 to 900 and stores it.
  CycleWrite digest = cycle_at("shop", kNow, 4);
  LogFileRecord by_digest = file_row(10, 900);
  by_digest.reader = "digest";
  digest.log_files.push_back({by_digest, file_row(10, 500)});
  b.write_cycle(digest);

  // a, still believing 500, reads 500..700: its whole cycle fails, nothing of it stored.
  CycleWrite stale = cycle_at("shop", kNow, 100);
  stale.log_files.push_back({file_row(10, 700), file_row(10, 500)});
  stale.checkpoints.push_back({"slow_log_position", "700"});
  EXPECT_THROW(a.write_cycle(stale), LogFileMoved);
  EXPECT_EQ(stored_calls(a, "shop"), 7);
  EXPECT_FALSE(a.checkpoint("shop", "slow_log_position"));
  // A second first read of the same file fails the same way.
  CycleWrite again = cycle_at("shop", kNow, 100);
  again.log_files.push_back({file_row(10, 300), std::nullopt});
  EXPECT_THROW(a.write_cycle(again), LogFileMoved);

  // Re-read, a goes on from 900; and a reused inode (new head) replaces the row.
  const auto rows = a.log_files("shop", "db1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].read_to, 900u);
  EXPECT_EQ(rows[0].reader, "digest");
  CycleWrite reused = cycle_at("shop", kNow, 1);
  reused.log_files.push_back({file_row(10, 40, 99), rows[0]});
  a.write_cycle(reused);
  EXPECT_EQ(a.log_files("shop", "db1"), std::vector<LogFileRecord>{file_row(10, 40, 99)});
  EXPECT_EQ(stored_calls(a, "shop"), 8);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreLeaseTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
