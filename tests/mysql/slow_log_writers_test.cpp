// Several writers of one slow-log target on one store, against a real MariaDB: a `collect`
// service, an operator's `collect --once`, a second service started by mistake, and
// `digest --store` over the live and the rotated log. Each entry is stored once: the
// second collector refuses or stands by, takes over when the first dies, and digest skips
// what a collector already stored (and the collector what digest stored).
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/mysql/mysql_workload.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;
using testing::run_slowscope;

std::map<std::string, int64_t> stored(const std::string& db, const testing::MysqlWorkload& w) {
  Store store = Store::open(StoreLocation::parse("sqlite:" + db));
  return testing::stored_calls(store, "shop", w.expected());
}

// Waits up to 60 s for `done`; false when it never held.
template <typename Condition>
bool eventually(Condition done) {
  for (int i = 0; i < 600; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

bool contains(const fs::path& file, const std::string& text) {
  return testing::read_file(file).find(text) != std::string::npos;
}

TEST(MariadbSlowLogWritersTest, EveryEntryIsStoredOnceWhoeverReadsIt) {
  auto* server = testing::MariadbEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  testing::TempDir dir;
  const std::string db = dir.file("store.db");
  const std::string config = dir.file("slowscope.yaml");
  std::ofstream(config) << "store: sqlite:" << db << "\ninterval: 1s\ntargets:\n"
                        << "  - name: shop\n    engine: mysql\n    source: slow_log_file\n"
                        << "    slow_log: " << server->slow_log().string() << "\n";
  const std::string collect = "collect --no-detect --config '" + config + "'";
  const std::string digest_store = " --store sqlite:" + db + " --target shop";
  testing::MysqlWorkload workload(*server, "writers");

  auto first = std::make_unique<testing::SlowscopeProcess>(collect, dir.path() / "first.log");
  workload.run(20, 5);
  ASSERT_TRUE(eventually([&] { return fs::exists(db) && stored(db, workload) == workload.expected(); }))
      << testing::read_file(dir.path() / "first.log");

  // An operator's one cycle while the service runs: refused, naming the service.
  auto r = run_slowscope("collect --once --no-detect --config '" + config + "'");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("target 'shop' is collected by pid"), std::string::npos) << r.err;

  // A second service stands by.
  testing::SlowscopeProcess second(collect, dir.path() / "second.log");
  ASSERT_TRUE(eventually([&] { return contains(dir.path() / "second.log", "standing by"); }))
      << testing::read_file(dir.path() / "second.log");

  // digest --store of the live log reads only what the service has not stored yet, and
  // the service then skips what digest stored.
  workload.run(15, 4);
  r = run_slowscope("digest '" + server->slow_log().string() + "'" + digest_store);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("already stored for target shop (read by collect)"), std::string::npos)
      << r.out;
  workload.run(10, 3);

  // Rotation, then the first service dies: the second takes over at once.
  fs::rename(server->slow_log(), server->slow_log().string() + ".1");
  workload.run(6, 2);  // still written to the renamed file
  server->sql("FLUSH SLOW LOGS;");
  workload.run(4, 1);
  ASSERT_TRUE(eventually([&] { return stored(db, workload) == workload.expected(); }));
  first->stop(SIGKILL);
  first.reset();
  workload.run(9, 2);
  ASSERT_TRUE(eventually([&] { return contains(dir.path() / "second.log", "took over"); }))
      << testing::read_file(dir.path() / "second.log");
  ASSERT_TRUE(eventually([&] { return stored(db, workload) == workload.expected(); }))
      << testing::read_file(dir.path() / "second.log");

  // The rotated file, and the live one, digested again: nothing new.
  r = run_slowscope("digest '" + server->slow_log().string() + ".1'" + digest_store);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing new for target shop"), std::string::npos) << r.out;
  r = run_slowscope("digest '" + server->slow_log().string() + "'" + digest_store);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing new for target shop"), std::string::npos) << r.out;

  EXPECT_EQ(second.stop(SIGTERM), 0);
  // Stopped cleanly: the lease is given up, so a one-off cycle runs at once.
  r = run_slowscope("collect --once --no-detect --config '" + config + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(stored(db, workload), workload.expected());
}

}  // namespace
}  // namespace slowscope
