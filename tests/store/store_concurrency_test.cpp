#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <map>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>

#include "analyzer/store/migrations.h"
#include "analyzer/store/store.h"
#include "tests/store/store_test_support.h"

namespace slowscope::testing {
namespace {

constexpr int64_t kDay0 = 1'699'920'000;

class StoreConcurrencyTest : public BackendTest {};

// Two collectors, each with its own connection and target, write cycles at the same time.
// They keep registering the same new shapes in different orders and roll up now and then;
// nothing may deadlock, fail or get lost.
TEST_P(StoreConcurrencyTest, TwoCollectorsOwningDifferentTargets) {
  constexpr int kCycles = 40;
  constexpr int kShapes = 60;
  constexpr int kNewPerCycle = 3;
  const Retention retention{std::chrono::days(30), std::chrono::days(60), std::chrono::days(90)};
  { db_->open(); }

  std::mutex mutex;
  std::vector<std::string> errors;
  std::map<std::string, Measures> expected;
  auto collector = [&](const std::string& target, uint64_t seed) {
    try {
      Store store = db_->open();
      store.ensure_target(target, Engine::kPostgres);
      std::vector<int> order(kShapes);
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
      const ServerIdentity server{"sys-" + target, "15"};
      std::vector<StatementKey> known;
      Measures total;
      for (int c = 0; c < kCycles; ++c) {
        const int64_t bucket = kDay0 + 600 * c;
        CycleWrite cycle{target, server, StoreTime(std::chrono::seconds(bucket + 600)), {}, {},
                         {},     {}};
        for (int i = 0; i < kNewPerCycle && c * kNewPerCycle + i < kShapes; ++i) {
          const int shape = order[c * kNewPerCycle + i];
          cycle.new_statements.push_back({test_key(shape), test_shape(shape), "q"});
          known.push_back(test_key(shape));
        }
        for (size_t k = 0; k < known.size(); ++k) {
          cycle.samples.push_back(test_sample(known[k], bucket, (c + k) % 13, 600));
          total += cycle.samples.back().measures;
        }
        cycle.checkpoints = {{"cycle", std::to_string(c)}};
        store.write_cycle(cycle);
        if (c % 8 == 7)
          store.rollup_and_prune(StoreTime(std::chrono::seconds(bucket + 900)), retention);
      }
      std::lock_guard lock(mutex);
      expected[target] = total;
    } catch (const std::exception& e) {
      std::lock_guard lock(mutex);
      errors.push_back(target + ": " + e.what());
    }
  };
  std::thread a(collector, "alpha", 1);
  std::thread b(collector, "beta", 2);
  a.join();
  b.join();
  ASSERT_TRUE(errors.empty()) << errors.front();

  Store store = db_->open();
  for (const std::string target : {"alpha", "beta"}) {
    Measures sum;
    for (const auto& row :
         store.top({target, T(kDay0), T(kDay0 + 86400), TopOrder::kTotal, 1000})) {
      sum += row.measures;
    }
    EXPECT_EQ(sum, expected[target]) << target;
    EXPECT_EQ(store.checkpoint(target, "cycle"), std::to_string(kCycles - 1));
    EXPECT_EQ(store.known_statements(target, ServerIdentity{"sys-" + target, "15"}).size(),
              static_cast<size_t>(std::min(kShapes, kCycles * kNewPerCycle)));
  }
  auto conn = db_->connect();
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM shapes"),
            std::min(kShapes, kCycles * kNewPerCycle));
}

// Collectors starting together all migrate a new store; each version is applied once. A
// collector opens a connection per target, all at start, so on a new SQLite store they also
// convert its file to WAL together, which SQLite does not wait for by busy_timeout.
TEST_P(StoreConcurrencyTest, SimultaneousFirstOpens) {
  constexpr int kConnections = 8;
  // The race is narrow (the conversion of an empty file): without the retry, one round in
  // about 70 failed on SQLite. A round on PostgreSQL creates a database.
  const int rounds = GetParam() == Backend::kSqlite ? 200 : 3;
  for (int round = 0; round < rounds; ++round) {
    TestDatabase fresh(GetParam());
    ASSERT_EQ(fresh.error(), "");
    std::latch start(kConnections);
    std::mutex mutex;
    std::vector<std::string> errors;
    std::vector<std::thread> threads;
    for (int i = 0; i < kConnections; ++i) {
      threads.emplace_back([&] {
        try {
          start.arrive_and_wait();
          fresh.open();
        } catch (const std::exception& e) {
          std::lock_guard lock(mutex);
          errors.push_back(e.what());
        }
      });
    }
    for (auto& t : threads) t.join();
    ASSERT_TRUE(errors.empty()) << errors.front();
    auto conn = fresh.connect();
    EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM schema_version"), latest_schema_version());
    if (GetParam() == Backend::kSqlite) {
      auto mode = conn->prepare("journal_mode", "PRAGMA journal_mode");
      ASSERT_TRUE(mode->step());
      EXPECT_EQ(mode->get_text(0), "wal");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConcurrencyTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

// The two DDL files must describe the same tables and columns.
TEST(StoreSchema, PostgresMatchesSqlite) {
  TestDatabase sqlite(Backend::kSqlite);
  TestDatabase postgres(Backend::kPostgres);
  ASSERT_EQ(postgres.error(), "") << "PostgreSQL unavailable";
  { sqlite.open(); }
  { postgres.open(); }
  auto lite = sqlite.connect();
  auto pg = postgres.connect();
  auto list = [](SqlConnection& db, const std::string& sql, const std::string& table = "") {
    auto stmt = db.prepare(sql, sql);
    if (!table.empty()) stmt->bind_text(1, table);
    std::vector<std::string> names;
    while (stmt->step()) names.push_back(stmt->get_text(0));
    return names;
  };
  const auto tables =
      list(*lite, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  EXPECT_EQ(tables, list(*pg,
                         "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                         "current_schema() ORDER BY table_name"));
  for (const auto& table : tables) {
    EXPECT_EQ(list(*lite, "SELECT name FROM pragma_table_info($1) ORDER BY cid", table),
              list(*pg,
                   "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                   "current_schema() AND table_name = $1 ORDER BY ordinal_position",
                   table))
        << table;
  }
  const auto indexes = list(*lite,
                            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE "
                            "'sqlite_%' ORDER BY name");
  for (const auto& index : indexes) {
    EXPECT_EQ(query_int(*pg,
                        "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() "
                        "AND indexname = '" +
                            index + "'"),
              1)
        << index;
  }
}

}  // namespace
}  // namespace slowscope::testing
