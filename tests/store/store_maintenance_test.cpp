// Store maintenance on both backends: stats counts every table's rows and the span of each
// sample tier; vacuum gives an SQLite file's free pages back after a retention cut (and
// vacuums and analyzes PostgreSQL's tables); copy_into writes the committed state of an
// SQLite store while a writer holds its lock, and refuses a PostgreSQL store naming pg_dump.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/store/migrations.h"
#include "analyzer/store/store.h"
#include "sql/embedded.h"
#include "tests/store/store_test_fixture.h"

namespace slowscope::testing {
namespace {

// Two days of 10-minute samples of two statements from kDay0, rolled up with a retention
// that keeps them all: 576 raw samples, 96 hours, 4 days.
class StoreStatsTest : public StoreTest {
 protected:
  static constexpr int64_t kEnd = kDay0 + 2 * kDay;

  void SetUp() override {
    StoreTest::SetUp();
    store_.emplace(db_->open());
    store_->ensure_target("orders", Engine::kPostgres);
    write_days(*store_, "orders", kDay0, kEnd, 2);
    store_->rollup_and_prune(T(kEnd + 300), Retention{});
  }

  // Samples of `statements` statements every 10 minutes in [from, until), a cycle an hour.
  static void write_days(Store& store, const std::string& target, int64_t from, int64_t until,
                         int statements) {
    for (int64_t hour = from; hour < until; hour += kHour) {
      CycleWrite cycle{target, kServer, T(hour + kHour), {}, {}, {}, {}};
      if (hour == from) {
        for (int n = 1; n <= statements; ++n) {
          cycle.new_statements.push_back({test_key(n), test_shape(n), ""});
        }
      }
      for (int64_t t = hour; t < hour + kHour; t += 600) {
        for (int n = 1; n <= statements; ++n) {
          cycle.samples.push_back(test_sample(test_key(n), t, n + t % 17, 600));
        }
      }
      store.write_cycle(cycle);
    }
  }

  static int64_t rows_of(const StoreStats& stats, std::string_view table) {
    for (const StoreTableStats& t : stats.tables) {
      if (t.name == table) return t.rows;
    }
    ADD_FAILURE() << "no table " << table;
    return -1;
  }

  std::optional<Store> store_;
};

TEST_P(StoreStatsTest, CountsEveryTableAndTheSpanOfEachTier) {
  const StoreStats stats = store_->stats();
  EXPECT_EQ(stats.location, store_->describe());
  EXPECT_EQ(stats.schema_version, latest_schema_version());
  ASSERT_EQ(stats.tables.size(), store_table_names().size());
  auto conn = db_->connect();
  std::map<std::string, StoreTableStats> by_name;
  for (size_t i = 0; i < stats.tables.size(); ++i) {
    const StoreTableStats& t = stats.tables[i];
    EXPECT_EQ(t.name, store_table_names()[i]) << "in store_table_names() order";
    EXPECT_EQ(t.rows, query_int(*conn, "SELECT COUNT(*) FROM " + t.name)) << t.name;
    by_name[t.name] = t;
  }
  const auto span = [&](const std::string& table) {
    const StoreTableStats& t = by_name[table];
    return std::tuple{t.rows, t.oldest, t.newest};
  };
  using Span = std::tuple<int64_t, std::optional<StoreTime>, std::optional<StoreTime>>;
  EXPECT_EQ(span("samples"), (Span{2 * 288, T(kDay0), T(kEnd - 600)}));
  EXPECT_EQ(span("samples_hourly"), (Span{2 * 48, T(kDay0), T(kEnd - kHour)}));
  EXPECT_EQ(span("samples_daily"), (Span{2 * 2, T(kDay0), T(kDay0 + kDay)}));
  EXPECT_EQ(span("targets"), (Span{1, std::nullopt, std::nullopt}));
  EXPECT_EQ(span("statements"), (Span{2, std::nullopt, std::nullopt}));
  EXPECT_EQ(span("alert_events"), (Span{0, std::nullopt, std::nullopt}));

  if (GetParam() == Backend::kSqlite) {
    const int64_t pages = query_int(*conn, "PRAGMA page_count");
    const int64_t page_size = query_int(*conn, "PRAGMA page_size");
    std::error_code no_wal;
    const auto wal = std::filesystem::file_size(db_->location().address + "-wal", no_wal);
    EXPECT_EQ(stats.bytes, pages * page_size + (no_wal ? 0 : static_cast<int64_t>(wal)));
    EXPECT_EQ(stats.free_bytes, query_int(*conn, "PRAGMA freelist_count") * page_size);
    for (const StoreTableStats& t : stats.tables) EXPECT_FALSE(t.bytes) << t.name;
  } else {
    int64_t sum = 0;
    for (const StoreTableStats& t : stats.tables) {
      ASSERT_TRUE(t.bytes) << t.name;
      EXPECT_EQ(*t.bytes, query_int(*conn, "SELECT pg_total_relation_size('" + t.name + "')"))
          << t.name;
      sum += *t.bytes;
    }
    EXPECT_GT(by_name["samples"].bytes.value_or(0), 0);
    EXPECT_EQ(stats.bytes, sum);
    EXPECT_EQ(stats.free_bytes, 0);
  }
}

// SQLite: after a retention cut the file holds free pages; vacuum gives them back and
// keeps every row. PostgreSQL: vacuum analyzes every table of the store — the planner's
// row estimate of a table never analyzed is -1 (0 before PostgreSQL 14), and the tables
// looked at have too few rows for autovacuum to analyze them meanwhile.
TEST_P(StoreStatsTest, VacuumGivesTheSpaceOfDeletedRowsBack) {
  if (GetParam() == Backend::kPostgres) {
    auto conn = db_->connect();
    const auto estimate = [&](const std::string& table) {
      return query_int(*conn,
                       "SELECT reltuples FROM pg_class WHERE oid = '" + table + "'::regclass");
    };
    EXPECT_NE(estimate("targets"), 1) << "analyzed before the vacuum";
    EXPECT_NE(estimate("statements"), 2) << "analyzed before the vacuum";
    store_->vacuum();
    EXPECT_EQ(estimate("targets"), 1);
    EXPECT_EQ(estimate("statements"), 2);
    EXPECT_EQ(query_int(*conn,
                        "SELECT COUNT(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                        "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' "
                        "AND c.reltuples < 0"),
              0)
        << "a table of the store was not vacuumed";
    // The tables vacuum.sql names, after "VACUUM (ANALYZE)", are the store's.
    const std::string_view script = sql::text("store/postgres/vacuum");
    std::string list(script.substr(script.find("(ANALYZE)") + 9));
    std::replace(list.begin(), list.end(), ',', ' ');
    std::istringstream words(list);
    std::set<std::string> named{std::istream_iterator<std::string>(words), {}};
    EXPECT_EQ(named, std::set<std::string>(store_table_names().begin(), store_table_names().end()));
    return;
  }
  // Six more days of 20 statements, then raw samples kept for a day only.
  store_->ensure_target("billing", Engine::kPostgres);
  write_days(*store_, "billing", kEnd, kEnd + 6 * kDay, 20);
  store_->rollup_and_prune(
      T(kEnd + 6 * kDay + 300),
      Retention{std::chrono::days(1), std::chrono::days(90), std::chrono::days(730)});
  const StoreStats before = store_->stats();
  ASSERT_GT(before.free_bytes, 0) << "the prune freed no page";

  store_->vacuum();
  const StoreStats after = store_->stats();
  EXPECT_EQ(after.free_bytes, 0);
  EXPECT_LT(after.bytes, before.bytes - before.free_bytes);
  EXPECT_EQ(std::filesystem::file_size(db_->location().address), after.bytes)
      << "the file shrank, and its log is empty";
  for (size_t i = 0; i < after.tables.size(); ++i) {
    EXPECT_EQ(after.tables[i].rows, before.tables[i].rows) << after.tables[i].name;
  }
}

// The copy holds what was committed when it began: a writer's transaction still open then
// is not in it, and does not hold the copy up.
TEST_P(StoreStatsTest, CopyIntoHoldsTheCommittedStateWhileAWriterHoldsTheLock) {
  const std::string backup = db_->location().address + ".backup";
  if (GetParam() == Backend::kPostgres) {
    try {
      store_->copy_into(backup);
      FAIL() << "copied a PostgreSQL store";
    } catch (const StoreError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("pg_dump"), std::string::npos) << message;
      EXPECT_NE(message.find("-n " + store_->postgres_location()->schema), std::string::npos)
          << message;
    }
    EXPECT_FALSE(std::filesystem::exists(backup));
    return;
  }
  const StoreStats committed = store_->stats();
  auto writer = db_->connect();
  writer->begin();
  writer->exec_script("delete", "DELETE FROM samples");
  std::ofstream(backup).close();  // an empty file, as replace_file_with makes it
  store_->copy_into(backup);
  writer->commit();
  EXPECT_EQ(rows_of(store_->stats(), "samples"), 0) << "the writer's change was committed after";

  Store copy =
      Store::open(StoreLocation{StoreLocation::Kind::kSqlite, backup}, StoreOpen::kMustExist);
  const StoreStats copied = copy.stats();
  ASSERT_EQ(copied.tables.size(), committed.tables.size());
  for (size_t i = 0; i < copied.tables.size(); ++i) {
    const StoreTableStats& a = copied.tables[i];
    const StoreTableStats& b = committed.tables[i];
    EXPECT_EQ(std::tuple(a.name, a.rows, a.oldest, a.newest),
              std::tuple(b.name, b.rows, b.oldest, b.newest));
  }
  EXPECT_EQ(rows_of(copied, "samples"), 2 * 288);
  const TopQuery days{"orders", T(kDay0), T(kEnd), TopOrder::kTotal, 10};
  const std::vector<ShapeTotals> from_copy = copy.top(days);
  const std::vector<ShapeTotals> from_store = store_->top(days);
  ASSERT_EQ(from_copy.size(), 2u);
  ASSERT_EQ(from_copy.size(), from_store.size());
  for (size_t i = 0; i < from_copy.size(); ++i) {
    EXPECT_EQ(from_copy[i].shape_hash, from_store[i].shape_hash);
    EXPECT_EQ(from_copy[i].measures, from_store[i].measures) << "the daily rows read the same";
  }

  // A file that is not empty is refused, and left as it was.
  std::ofstream(backup + ".full") << "keep me";
  EXPECT_THROW(store_->copy_into(backup + ".full"), StoreError);
  std::ifstream kept(backup + ".full");
  std::string text;
  std::getline(kept, text);
  EXPECT_EQ(text, "keep me");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreStatsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
