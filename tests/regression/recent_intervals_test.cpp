// The raw intervals continuous detection keeps between passes, over a real (SQLite) store:
// a refresh holds exactly its span, reads again the last minutes of what it held (a sample
// written a little late is seen), not further back until forgotten, and reads afresh when
// the span jumps; detection with the intervals kept finds what it finds reading afresh.
#include "analyzer/regression/recent_intervals.h"

#include <gtest/gtest.h>

#include "analyzer/regression/recent_detection.h"
#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"

namespace slowscope {
namespace {

using testing::TempDir;
using testing::write_history;

constexpr int64_t kMinute = 60;
constexpr int64_t kNow = 1767571200 + 4 * 3600 + 20 * kMinute;  // Monday 04:20 UTC

StoreTime at(int64_t t) {
  return StoreTime(std::chrono::seconds(t));
}
TimeSpan span(int64_t from, int64_t until) {
  return {at(from), at(until)};
}

class RecentIntervalsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.emplace(Store::open(StoreLocation::parse("sqlite:" + dir_.file("s.db"))));
    store_->ensure_target("orders", Engine::kPostgres);
  }
  // Every minute of [from, until): "slow" at `slow_mean`, "fast" at 10 ms, 20 calls each.
  void write_minutes(int64_t from, int64_t until, double slow_mean = 0.010) {
    write_history(*store_, from, until, [=](const std::string& name, int64_t) {
      return name == "slow" ? slow_mean : 0.010;
    });
  }
  // 5 more calls of shape "slow", from a second statement, in the minute starting at `t`:
  // a sample the store receives after later minutes were written.
  void write_late(int64_t t) {
    const StatementKey key{"1", "10", "slow-late", true};
    CycleWrite cycle{"orders", {"7300000000000000001", "15"}, at(kNow + 3600), {}, {}, {}, {}};
    if (!late_known_) {
      cycle.new_statements.push_back(
          {key, ShapeInfo{"shape-slow", "select * from slow where id = ?", {}}, "q"});
      late_known_ = true;
    }
    Sample s;
    s.key = key;
    s.bucket_start = at(t);
    s.interval = std::chrono::seconds(kMinute);
    s.measures.calls = 5;
    s.measures.total_time = 0.05;
    s.measures.sum_sq = 0.0005;
    cycle.samples.push_back(s);
    store_->write_cycle(cycle);
  }
  int64_t calls_at(const RecentIntervals& kept, int64_t t) const {
    for (const IntervalCounts& i : kept.of("shape-slow")) {
      if (i.start == at(t)) return i.calls;
    }
    return -1;
  }

  TempDir dir_;
  std::optional<Store> store_;
  bool late_known_ = false;
};

TEST_F(RecentIntervalsTest, HoldsItsSpanAndReadsOnlyTheNewestMinutesAgain) {
  write_minutes(kNow - 3 * 3600, kNow + kMinute);
  RecentIntervals kept(std::chrono::minutes(15));
  kept.refresh(*store_, "orders", span(kNow - 3600, kNow));
  ASSERT_EQ(kept.of("shape-slow").size(), 60u);
  EXPECT_EQ(kept.of("shape-slow").front().start, at(kNow - 3600));
  EXPECT_EQ(kept.of("shape-slow").back().start, at(kNow - kMinute));
  EXPECT_EQ(kept.rows_last_read(), 2u * 60);
  EXPECT_TRUE(kept.of("shape-none").empty());

  // One minute on: the 15 minutes held last are read again, with the new one.
  kept.refresh(*store_, "orders", span(kNow - 3600 + kMinute, kNow + kMinute));
  EXPECT_EQ(kept.rows_last_read(), 2u * 16);
  ASSERT_EQ(kept.of("shape-slow").size(), 60u);
  EXPECT_EQ(kept.of("shape-slow").front().start, at(kNow - 3600 + kMinute));
  EXPECT_EQ(kept.of("shape-slow").back().start, at(kNow));
  EXPECT_EQ(kept.of("shape-fast").size(), 60u);
}

TEST_F(RecentIntervalsTest, SeesALateSampleWithinTheMinutesItReadsAgainAndTheRestAfterForget) {
  write_minutes(kNow - 3 * 3600, kNow);
  RecentIntervals kept(std::chrono::minutes(15));
  kept.refresh(*store_, "orders", span(kNow - 3600, kNow));
  write_late(kNow - 5 * kMinute);
  write_late(kNow - 30 * kMinute);
  kept.refresh(*store_, "orders", span(kNow - 3600, kNow));
  EXPECT_EQ(calls_at(kept, kNow - 5 * kMinute), 25);
  // Further back than it reads again: as it was, until forgotten.
  EXPECT_EQ(calls_at(kept, kNow - 30 * kMinute), 20);
  kept.forget();
  kept.refresh(*store_, "orders", span(kNow - 3600, kNow));
  EXPECT_EQ(kept.rows_last_read(), 2u * 60);  // the late rows summed into their minutes
  EXPECT_EQ(calls_at(kept, kNow - 30 * kMinute), 25);
  EXPECT_EQ(kept.of("shape-slow").size(), 60u);
}

TEST_F(RecentIntervalsTest, ReadsAfreshWhenTheSpanJumpsOrGoesBack) {
  write_minutes(kNow - 5 * 3600, kNow);
  RecentIntervals kept(std::chrono::minutes(15));
  kept.refresh(*store_, "orders", span(kNow - 3600, kNow));
  // Past what it holds: nothing kept is of use.
  kept.refresh(*store_, "orders", span(kNow - 3600 + 2 * 3600, kNow + 2 * 3600));
  EXPECT_TRUE(kept.of("shape-slow").empty());
  // Back in time: the whole span again.
  kept.refresh(*store_, "orders", span(kNow - 2 * 3600, kNow - 3600));
  EXPECT_EQ(kept.rows_last_read(), 2u * 60);
  EXPECT_EQ(kept.of("shape-slow").front().start, at(kNow - 2 * 3600));
  // Another target: its own intervals only.
  store_->ensure_target("billing", Engine::kPostgres);
  kept.refresh(*store_, "billing", span(kNow - 2 * 3600 + kMinute, kNow - 3600 + kMinute));
  EXPECT_TRUE(kept.of("shape-slow").empty());
}

TEST_F(RecentIntervalsTest, DetectionWithTheIntervalsKeptFindsWhatItFindsReadingAfresh) {
  // "slow" swings from minute to minute, then doubles for its last 2 minutes: its measured
  // drift holds the short window back, so a pass that measured it on the wrong minutes
  // would differ. "fast" steps up 3x 4 minutes ago, a finding either way.
  constexpr double kSwing[] = {0.6, 1.5, 0.8, 1.3, 0.7, 1.6, 0.9, 1.2};
  write_history(*store_, kNow - 5 * 3600, kNow, [&](const std::string& name, int64_t t) {
    if (name == "fast") return t >= kNow - 4 * kMinute ? 0.030 : 0.010;
    return t >= kNow - 2 * kMinute ? 0.024 : 0.010 * kSwing[(t / kMinute) % 8];
  });
  RecentDetectionOptions options;
  options.baseline = std::chrono::hours(2);
  RecentIntervals kept;
  for (int64_t now = kNow - 10 * kMinute; now <= kNow; now += kMinute) {
    const TargetCheck afresh = detect_recent(*store_, "orders", at(now), options);
    const TargetCheck keeping = detect_recent(*store_, "orders", at(now), options, &kept);
    ASSERT_EQ(afresh.findings.size(), keeping.findings.size()) << (now - kNow) / kMinute;
    for (size_t i = 0; i < afresh.findings.size(); ++i) {
      EXPECT_EQ(afresh.findings[i].key.id(), keeping.findings[i].key.id());
      EXPECT_EQ(afresh.findings[i].p_value, keeping.findings[i].p_value);
    }
  }
  const TargetCheck last = detect_recent(*store_, "orders", at(kNow), options, &kept);
  ASSERT_EQ(last.findings.size(), 1u);
  EXPECT_EQ(last.findings[0].key.id(), "orders/shape-fast/latency");
}

}  // namespace
}  // namespace slowscope
