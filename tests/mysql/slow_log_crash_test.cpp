// Crash safety of the slow-log file source: `slowscope collect` killed with SIGKILL at random
// moments while a workload writes the log, and restarted each time, ends with the store a
// single clean ingest of the same log gives — no entry lost, none counted twice.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "analyzer/store/store.h"
#include "tests/mysql/mysql_workload.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;

// Writes a configuration with one slow-log target and a store in `dir`.
fs::path write_config(const fs::path& dir, const std::string& name, const fs::path& slow_log) {
  const fs::path config = dir / (name + ".yaml");
  std::ofstream(config) << "store: sqlite:" << (dir / (name + ".db")).string()
                        << "\ninterval: 1s\ntargets:\n  - name: shop\n    engine: mysql\n"
                           "    source: slow_log_file\n    slow_log: "
                        << slow_log.string() << "\n";
  return config;
}

int run_collect(const std::string& args, const fs::path& log) {
  return testing::SlowscopeProcess("collect " + args, log).wait();
}

struct ShapeSums {
  int64_t calls = 0;
  double total_time = 0;
  int64_t rows = 0;
};

std::map<std::string, ShapeSums> all_shapes(const fs::path& db) {
  Store store = Store::open(StoreLocation::parse("sqlite:" + db.string()));
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::map<std::string, ShapeSums> out;
  for (const auto& t : store.top({"shop", now - std::chrono::hours(24), now + std::chrono::hours(1),
                                  TopOrder::kCalls, 100000})) {
    out[t.shape_hash] = {t.measures.calls, t.measures.total_time, t.measures.row_count};
  }
  return out;
}

TEST(MariadbSlowLogCrashTest, KilledAtRandomMomentsEndsAsOneCleanIngest) {
  auto* server = testing::MariadbEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  char pattern[] = "/tmp/slowscope-crash-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  const fs::path dir = pattern;
  const fs::path crashed = write_config(dir, "crashed", server->slow_log());
  const fs::path log = dir / "collect.log";

  testing::MysqlWorkload workload(*server, "crashsafety");
  std::atomic<bool> done{false};
  std::thread writer([&] {
    while (!done) workload.run(25, 6);
  });

  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> lifetime_ms(150, 1600);
  const fs::path crashed_db = dir / "crashed.db";
  const auto committed = [&] {
    return fs::exists(crashed_db) && all_shapes(crashed_db)[workload.select_id()].calls > 0;
  };
  // 22 kills at random moments. On a loaded machine all of them can land before the first
  // commit: then up to 10 more, each after 4 s, until a collector has committed work, so
  // that the kills do follow some.
  constexpr int kKills = 22;
  constexpr int kMaxKills = 32;
  for (int i = 0; i < kKills || (i < kMaxKills && !committed()); ++i) {
    testing::SlowscopeProcess collect("collect --config '" + crashed.string() + "'", log);
    const int lifetime = i < kKills ? lifetime_ms(random) : 4000;
    std::this_thread::sleep_for(std::chrono::milliseconds(lifetime));
    const int status = collect.stop(SIGKILL);
    ASSERT_TRUE(WIFSIGNALED(status)) << "collect exited by itself; see " << log;
  }
  done = true;
  writer.join();
  ASSERT_TRUE(committed()) << "no collector committed work between the kills; see " << log;

  // A last pass of the crashed store, and one clean ingest of the same log.
  ASSERT_EQ(run_collect("--once --config '" + crashed.string() + "'", log), 0) << log;
  const fs::path clean = write_config(dir, "clean", server->slow_log());
  ASSERT_EQ(run_collect("--once --config '" + clean.string() + "'", log), 0) << log;

  const auto got = all_shapes(dir / "crashed.db");
  const auto want = all_shapes(dir / "clean.db");
  ASSERT_EQ(got.size(), want.size()) << "seed " << seed;
  for (const auto& [hash, w] : want) {
    ASSERT_TRUE(got.contains(hash)) << hash << " seed " << seed;
    const ShapeSums& g = got.at(hash);
    EXPECT_EQ(g.calls, w.calls) << hash << " seed " << seed;
    EXPECT_EQ(g.rows, w.rows) << hash << " seed " << seed;
    EXPECT_NEAR(g.total_time, w.total_time, 1e-9 * std::max(1.0, w.total_time)) << hash;
  }
  // And both hold the workload exactly.
  for (const auto& [id, calls] : workload.expected()) {
    ASSERT_TRUE(want.contains(id));
    EXPECT_EQ(want.at(id).calls, calls) << id;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace slowscope
