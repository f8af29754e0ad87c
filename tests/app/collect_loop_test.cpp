// The collect loop (app/collect.h) driven through the Collector interface, without the
// binary: two targets on a real SQLite store, one whose source works and one whose source
// fails every cycle. The interface is the unit under test, so the sources are fakes; the
// store, the leases and the threads are real. No timing assertions: the tests wait for
// counts (with a generous guard against a hang) and stop the loop through its StopSignal.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/collect.h"
#include "connectors/common/collector.h"

namespace slowscope {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

constexpr const char* kCycleCheckpoint = "fake_cycles";

// What a fake source saw, shared with the test (the loop owns the collectors).
struct Tally {
  std::mutex mutex;
  std::condition_variable changed;
  int cycles = 0;  // run_cycle calls

  int count() {
    int n;
    {
      std::lock_guard lock(mutex);
      n = ++cycles;
    }
    changed.notify_all();
    return n;
  }
  int seen() {
    std::lock_guard lock(mutex);
    return cycles;
  }
  // Waits until at least `n` cycles ran; false when the guard against a hang ran out.
  bool wait_for(int n) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 120s, [&] { return cycles >= n; });
  }
};

// A source that works: each cycle stores its number as a checkpoint of the target, and the
// first `backlog` cycles say more is waiting.
class WorkingCollector final : public Collector {
 public:
  WorkingCollector(std::string target, Tally& tally, int backlog = 0)
      : target_(std::move(target)), tally_(tally), backlog_(backlog) {}

  CycleReport run_cycle(Store& store, Clock::time_point now, std::chrono::seconds) override {
    const int n = tally_.count();
    store.put_checkpoint(target_, {kCycleCheckpoint, std::to_string(n)},
                         std::chrono::time_point_cast<std::chrono::seconds>(now));
    CycleReport report;
    report.written = true;
    report.samples = 1;
    report.more_waiting = n <= backlog_;
    report.notes.push_back({spdlog::level::info, "cycle " + std::to_string(n)});
    return report;
  }
  CollectorHealth health() const override { return CollectorHealth::kOk; }

 private:
  std::string target_;
  Tally& tally_;
  int backlog_;
};

// A source that fails every cycle with `health`, as a server that is down does.
class FailingCollector final : public Collector {
 public:
  FailingCollector(std::string target, Tally& tally, CollectorHealth health)
      : target_(std::move(target)), tally_(tally), failure_(health) {}

  CycleReport run_cycle(Store&, Clock::time_point, std::chrono::seconds) override {
    tally_.count();
    health_ = failure_;
    throw CollectorError(failure_, target_ + ": cannot connect (fake)");
  }
  CollectorHealth health() const override { return health_; }

 private:
  std::string target_;
  Tally& tally_;
  CollectorHealth failure_;
  CollectorHealth health_ = CollectorHealth::kOk;
};

// A source whose first cycle hangs until released, as a server that stops answering in the
// middle of a query (with no timeout) does.
class HangingCollector final : public Collector {
 public:
  explicit HangingCollector(Tally& tally) : tally_(tally) {}

  CycleReport run_cycle(Store&, Clock::time_point, std::chrono::seconds) override {
    if (tally_.count() == 1) {
      std::unique_lock lock(mutex_);
      released_.wait(lock, [&] { return free_; });
    }
    return {};
  }
  CollectorHealth health() const override { return CollectorHealth::kOk; }

  void release() {
    {
      std::lock_guard lock(mutex_);
      free_ = true;
    }
    released_.notify_all();
  }

 private:
  Tally& tally_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool free_ = false;
};

class CollectLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("slowscope-collect-loop-" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    config_.store = StoreLocation::parse("sqlite:" + (dir_ / "store.db").string());
    for (const char* name : {"working", "failing"}) {
      TargetConfig target;
      target.name = name;
      target.engine = Engine::kPostgres;
      target.detection.enabled = false;  // the loop's scheduling, not detection, is tested
      config_.targets.push_back(target);
    }
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::vector<TargetRun> runs(bool once) const {
    std::vector<TargetRun> result;
    for (const TargetConfig& target : config_.targets) {
      TargetRun run;
      run.config = &config_;
      run.target = &target;
      run.interval = 1s;  // the shortest: a retry waits at most this long
      run.once = once;
      run.runs_rollups = result.empty();
      run.detection.settings = target.detection;
      result.push_back(run);
    }
    return result;
  }

  // The first collectors: the working target's, then the failing one's.
  std::vector<std::unique_ptr<Collector>> collectors(
      CollectorHealth failure = CollectorHealth::kUnreachable, int backlog = 0) {
    std::vector<std::unique_ptr<Collector>> result;
    result.push_back(std::make_unique<WorkingCollector>("working", working_, backlog));
    result.push_back(std::make_unique<FailingCollector>("failing", failing_, failure));
    return result;
  }

  // Makes collectors afresh as the loop asks (after a takeover); counts the calls.
  CollectorMaker maker() {
    return [this](const TargetRun& run) -> std::unique_ptr<Collector> {
      ++remade_;
      if (run.target->name == "working") {
        return std::make_unique<WorkingCollector>("working", working_);
      }
      return std::make_unique<FailingCollector>("failing", failing_, CollectorHealth::kUnreachable);
    };
  }

  // The working target's last cycle number in the store; 0 when none.
  int stored_cycles() {
    Store store = Store::open(config_.store, StoreOpen::kMustExist);
    const auto text = store.checkpoint("working", kCycleCheckpoint);
    return text ? std::stoi(*text) : 0;
  }

  std::filesystem::path dir_;
  Config config_;
  Tally working_;
  Tally failing_;
  std::atomic<int> remade_{0};
};

TEST_F(CollectLoopTest, AFailingTargetIsRetriedWhileTheOtherGoesOnUntilStopped) {
  StopSignal stop;
  int status = -1;
  const std::vector<TargetRun> plan = runs(/*once=*/false);
  std::thread loop([&] { status = run_targets(plan, collectors(), maker(), stop); });
  // The working target keeps collecting while the other fails and is retried.
  const bool working_ran = working_.wait_for(3);
  const bool failing_retried = failing_.wait_for(2);
  stop.request();
  loop.join();  // the stop ends both target threads

  ASSERT_TRUE(working_ran) << "the working target did not get 3 cycles";
  ASSERT_TRUE(failing_retried) << "the failing target was not retried";
  EXPECT_EQ(status, 0);                         // stopped: collect exits 0
  EXPECT_EQ(stored_cycles(), working_.seen());  // every cycle of the working target stored
  EXPECT_EQ(remade_.load(), 0);  // the lease stayed here: no collector was made afresh
  Store store = Store::open(config_.store, StoreOpen::kMustExist);
  EXPECT_FALSE(store.lease("working"));  // given up on the way out
  EXPECT_FALSE(store.lease("failing"));
}

TEST_F(CollectLoopTest, OnceRunsOneCycleEachAndExitsOneWhenATargetFailed) {
  StopSignal stop;
  EXPECT_EQ(run_targets(runs(/*once=*/true), collectors(), maker(), stop), 1);
  EXPECT_EQ(working_.seen(), 1);
  EXPECT_EQ(failing_.seen(), 1);  // not retried within a --once run
  EXPECT_EQ(stored_cycles(), 1);
}

TEST_F(CollectLoopTest, OnceExitsTwoWhenALoginIsRefused) {
  StopSignal stop;
  EXPECT_EQ(
      run_targets(runs(/*once=*/true), collectors(CollectorHealth::kLoginRefused), maker(), stop),
      2);
  EXPECT_EQ(stored_cycles(), 1);  // the other target was collected all the same
}

TEST_F(CollectLoopTest, OnceExitsZeroWhenEveryTargetRan) {
  config_.targets.pop_back();  // only the working target
  StopSignal stop;
  std::vector<std::unique_ptr<Collector>> first = collectors();
  first.pop_back();
  EXPECT_EQ(run_targets(runs(/*once=*/true), std::move(first), maker(), stop), 0);
  EXPECT_EQ(stored_cycles(), 1);
}

// Retention applies at the first cycle, so that `collect --once` from cron prunes too.
TEST_F(CollectLoopTest, OnceRollsUpAndPrunesTheStore) {
  config_.targets.pop_back();  // only the working target
  const int64_t old = std::chrono::duration_cast<std::chrono::seconds>(
                          (Clock::now() - config_.retention.raw - 3 * 24h).time_since_epoch())
                          .count() /
                      3600 * 3600;
  {
    Store store = Store::open(config_.store, StoreOpen::kCreate);
    store.ensure_target("working", Engine::kPostgres);
    const StatementKey key{"16384", "10", "-1001", true};
    CycleWrite cycle{"working",
                     {"7301234567890123456", "15"},
                     StoreTime(std::chrono::seconds(old + 600)),
                     {{key, {"shape-1", "SELECT 1", {}}, ""}},
                     {},
                     {},
                     {}};
    Sample sample;
    sample.key = key;
    sample.bucket_start = StoreTime(std::chrono::seconds(old));
    sample.interval = 600s;
    sample.measures.calls = 7;
    cycle.samples.push_back(sample);
    store.write_cycle(cycle);
  }
  const auto rows = [&](std::string_view table) {
    const StoreStats stats = Store::open(config_.store, StoreOpen::kMustExist).stats();
    for (const StoreTableStats& t : stats.tables) {
      if (t.name == table) return t.rows;
    }
    return int64_t{-1};
  };
  ASSERT_EQ(rows("samples"), 1);
  ASSERT_EQ(rows("samples_daily"), 0);

  StopSignal stop;
  std::vector<std::unique_ptr<Collector>> first = collectors();
  first.pop_back();
  EXPECT_EQ(run_targets(runs(/*once=*/true), std::move(first), maker(), stop), 0);
  EXPECT_EQ(working_.seen(), 1);
  EXPECT_EQ(rows("samples"), 0) << "the raw sample older than retention.raw is still there";
  EXPECT_EQ(rows("samples_daily"), 1) << "its day was not rolled up";
  EXPECT_EQ(rows("samples_hourly"), 1);
}

TEST_F(CollectLoopTest, OnceReadsABacklogToItsEnd) {
  StopSignal stop;
  // Three cycles say more is waiting: the run goes on at once until one says it is not.
  EXPECT_EQ(
      run_targets(runs(/*once=*/true), collectors(CollectorHealth::kUnreachable, 3), maker(), stop),
      1);
  EXPECT_EQ(working_.seen(), 4);
  EXPECT_EQ(stored_cycles(), 4);
}

TEST_F(CollectLoopTest, ACycleThatDoesNotEndIsRaisedAndResolvedWhenItEnds) {
  config_.targets.pop_back();  // only one target, whose first cycle hangs
  AlertRouting routing;
  routing.sinks = {{"log", AlertSeverity::kInfo}};
  std::vector<TargetRun> plan = runs(/*once=*/false);
  plan[0].alerts = &routing;
  plan[0].stalled_after = 2s;
  std::vector<std::unique_ptr<Collector>> first;
  auto hanging = std::make_unique<HangingCollector>(working_);
  HangingCollector& cycle = *hanging;
  first.push_back(std::move(hanging));

  // The queued events of sink "log", oldest first: "trigger health/not_completing_cycles".
  const auto queued = [&] {
    std::vector<std::string> out;
    Store store = Store::open(config_.store, StoreOpen::kMustExist);
    std::vector<AlertDelivery> all = store.deliveries({"log", {}, {}, 100});
    std::reverse(all.begin(), all.end());
    for (const AlertDelivery& d : all) {
      out.push_back(d.alert.action + " " +
                    nlohmann::json::parse(d.alert.document)["kind"].get<std::string>());
    }
    return out;
  };
  const auto wait_for_events = [&](size_t n) {
    const auto deadline = Clock::now() + 60s;
    while (Clock::now() < deadline) {
      if (std::filesystem::exists(dir_ / "store.db") && queued().size() >= n) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  };

  StopSignal stop;
  int status = -1;
  std::thread loop([&] { status = run_targets(plan, std::move(first), maker(), stop); });
  const bool raised = wait_for_events(1);
  const std::vector<std::string> while_stuck = queued();
  cycle.release();
  const bool resolved = raised && wait_for_events(2);
  stop.request();
  loop.join();

  ASSERT_TRUE(raised) << "no alert for a cycle stuck past the limit";
  EXPECT_EQ(while_stuck, std::vector<std::string>{"trigger health/not_completing_cycles"});
  ASSERT_TRUE(resolved) << "the alert was not resolved when the cycle ended";
  EXPECT_EQ(queued(), (std::vector<std::string>{"trigger health/not_completing_cycles",
                                                "resolve health/not_completing_cycles"}));
  EXPECT_EQ(status, 0);
  Store store = Store::open(config_.store, StoreOpen::kMustExist);
  const nlohmann::json doc =
      nlohmann::json::parse(store.deliveries({"log", {}, {}, 100}).back().alert.document);
  EXPECT_EQ(doc["target"], "working");
  EXPECT_NE(doc["summary"].get<std::string>().find("collector not completing cycles: its cycle "
                                                   "that began at "),
            std::string::npos)
      << doc["summary"];
}

}  // namespace
}  // namespace slowscope
