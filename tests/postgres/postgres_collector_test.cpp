// The PostgreSQL collector against a real PostgreSQL 15 with pg_stat_statements: exact
// per-interval calls and timings, epoch breaks, text fetched once, own statements excluded,
// hidden entries explained.
#include <gtest/gtest.h>

#include <cmath>
#include <pqxx/pqxx>

#include "analyzer/store/sqlite_connection.h"
#include "connectors/postgres/conninfo.h"
#include "connectors/postgres/pgss_collector.h"
#include "tests/support/postgres_server.h"

namespace slowscope {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

constexpr seconds kInterval{60};
// An aligned wall-clock time for cycle `n`: one interval apart, so each is a new bucket.
Clock::time_point cycle_time(int n) {
  return Clock::time_point(seconds(1'700'000'040 + 60 * n));
}

class PostgresCollector : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* server = testing::PostgresEnvironment::server();
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->ok()) << server->error();
    conninfo_ = server->conninfo();
    client_ = std::make_unique<pqxx::connection>(conninfo_);
    exec(
        "DROP TABLE IF EXISTS items; CREATE TABLE items (id int PRIMARY KEY, v text);"
        "INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 1000) g;"
        "SELECT pg_stat_statements_reset()");
    dir_ = std::filesystem::temp_directory_path() /
           ("slowscope-collect-" + std::to_string(getpid()) + "-" + test_name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_.emplace(std::make_unique<SqliteConnection>((dir_ / "store.db").string()));
    store_->ensure_target("pg", Engine::kPostgres);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  static std::string test_name() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  void exec(const std::string& sql) {
    pqxx::nontransaction tx(*client_);
    tx.exec(sql);
  }

  PgssCollector make_collector(const std::string& dsn, const SessionLimits& limits = {}) {
    TargetConfig target;
    target.name = "pg";
    target.dsn = dsn;
    return PgssCollector("pg",
                         std::make_unique<PgssPoller>("pg", collector_conninfo(target, limits)));
  }

  // Totals of the shapes whose fingerprint contains `needle`, over all stored time.
  Measures stored(const std::string& needle) {
    TopQuery q;
    q.target = "pg";
    q.since = StoreTime(seconds(0));
    q.until = StoreTime(seconds(2'000'000'000));
    q.limit = 100000;
    Measures m;
    for (const auto& row : store_->top(q)) {
      if (row.fingerprint.find(needle) != std::string::npos) m += row.measures;
    }
    return m;
  }

  // pg_stat_statements' own cumulative counters for the statement containing `needle`.
  PgssCounters server_counters(const std::string& needle) {
    pqxx::nontransaction tx(*client_);
    const auto r = tx.exec_params(
        "SELECT calls, total_exec_time, mean_exec_time, stddev_exec_time FROM "
        "pg_stat_statements WHERE query LIKE $1 AND query NOT LIKE '%pg_stat_statements%'",
        "%" + needle + "%");
    PgssCounters c;
    if (r.empty()) return c;
    c.calls = r[0][0].as<int64_t>();
    c.total_time_ms = r[0][1].as<double>();
    c.mean_time_ms = r[0][2].as<double>();
    c.stddev_time_ms = r[0][3].as<double>();
    return c;
  }

  std::vector<std::pair<int64_t, int64_t>> stored_flags_and_calls() {
    SqliteConnection db((dir_ / "store.db").string());
    auto stmt = db.prepare("flags", "SELECT flags, calls FROM samples ORDER BY bucket_start");
    std::vector<std::pair<int64_t, int64_t>> rows;
    while (stmt->step()) rows.emplace_back(stmt->get_int(0), stmt->get_int(1));
    return rows;
  }

  // (flags, calls) of each stored sample of the shapes whose fingerprint contains `needle`,
  // oldest first.
  std::vector<std::pair<int64_t, int64_t>> stored_samples(const std::string& needle) {
    SqliteConnection db((dir_ / "store.db").string());
    auto stmt = db.prepare("samples_of",
                           "SELECT s.flags, s.calls FROM samples s JOIN shapes h ON h.id = "
                           "s.shape_id WHERE instr(h.fingerprint, $1) > 0 ORDER BY s.bucket_start");
    stmt->bind_text(1, needle);
    std::vector<std::pair<int64_t, int64_t>> rows;
    while (stmt->step()) rows.emplace_back(stmt->get_int(0), stmt->get_int(1));
    return rows;
  }

  // pg_stat_statements_reset(userid, dbid, queryid) of the one entry whose text contains
  // `needle`: what a user runs to forget one statement (PostgreSQL 12+).
  void reset_entry(const std::string& needle) {
    pqxx::nontransaction tx(*client_);
    const auto r = tx.exec_params(
        "SELECT pg_stat_statements_reset(userid, dbid, queryid) FROM pg_stat_statements "
        "WHERE query LIKE $1 AND query NOT LIKE '%pg_stat_statements%'",
        "%" + needle + "%");
    ASSERT_EQ(r.size(), 1u) << needle;
  }

  // Runs `statement` (with a $1 of `argument`) `times` times.
  void run(const std::string& statement, double argument, int times) {
    pqxx::nontransaction tx(*client_);
    for (int i = 0; i < times; ++i) tx.exec_params(statement, argument);
  }

  // N calls, a cycle, a reset of that entry alone, M calls, a cycle: the second cycle must
  // store the M calls that ran after the reset, flagged as an epoch break, with an event; a
  // statement that was not reset keeps its exact delta, unflagged.
  void expect_single_entry_reset_told(const std::string& statement, const std::string& needle,
                                      double before_argument, int n, double after_argument, int m) {
    auto collector = make_collector(conninfo_);
    run(statement, before_argument, n);
    run("SELECT v FROM items WHERE id = $1", 1, 3);
    collector.run_cycle(*store_, cycle_time(0), kInterval);
    run(statement, before_argument, n);  // ran before the reset: lost with it
    reset_entry(needle);
    run(statement, after_argument, m);
    run("SELECT v FROM items WHERE id = $1", 1, 4);
    const PgssCycleReport report = collector.run_cycle(*store_, cycle_time(1), kInterval);
    EXPECT_EQ(report.server_break, EpochBreak::kNone);

    const auto reset = stored_samples(needle);
    ASSERT_EQ(reset.size(), 1u) << statement;
    EXPECT_EQ(reset[0].second, m) << statement;
    EXPECT_EQ(reset[0].first, kSampleEpochBreak) << statement;
    const auto other = stored_samples("SELECT v FROM items");
    ASSERT_EQ(other.size(), 1u);
    EXPECT_EQ(other[0], std::make_pair(int64_t{0}, int64_t{4}));
    bool told = false;
    for (const auto& e :
         store_->events("pg", StoreTime(seconds(0)), StoreTime(seconds(2'000'000'000)))) {
      told = told || (e.kind == event_kind::kEpochBreak &&
                      e.message.find("1 entries restarted their counters") != std::string::npos);
    }
    EXPECT_TRUE(told) << statement;
  }

  std::string conninfo_;
  std::unique_ptr<pqxx::connection> client_;
  std::filesystem::path dir_;
  std::optional<Store> store_;
};

TEST_F(PostgresCollector, StoredCallsAreTheExactNumberOfExecutions) {
  auto collector = make_collector(conninfo_);
  // A statement that exists before the baseline, so the interval must subtract.
  {
    pqxx::nontransaction tx(*client_);
    tx.exec_params("SELECT pg_sleep($1)", 0.02);
  }
  collector.run_cycle(*store_, cycle_time(0), kInterval);
  const PgssCounters sleep_before = server_counters("pg_sleep");

  {
    pqxx::nontransaction tx(*client_);
    for (int i = 0; i < 7; ++i) tx.exec_params("SELECT count(*) FROM items WHERE id < $1", i * 10);
    for (int i = 0; i < 13; ++i)
      tx.exec_params("UPDATE items SET v = $1 WHERE id = $2", "x", i + 1);
    for (double s : {0.03, 0.05, 0.07}) tx.exec_params("SELECT pg_sleep($1)", s);
  }
  const PgssCycleReport report = collector.run_cycle(*store_, cycle_time(1), kInterval);
  EXPECT_TRUE(report.written);
  EXPECT_EQ(report.server_break, EpochBreak::kNone);
  const PgssCounters sleep_after = server_counters("pg_sleep");

  EXPECT_EQ(stored("FROM items WHERE id <").calls, 7);
  const Measures update = stored("UPDATE items");
  EXPECT_EQ(update.calls, 13);
  EXPECT_EQ(update.row_count, 13);

  // Exactly what pg_stat_statements itself says happened in between...
  const Measures sleep = stored("pg_sleep");
  EXPECT_EQ(sleep.calls, 3);
  EXPECT_DOUBLE_EQ(sleep.total_time,
                   (sleep_after.total_time_ms - sleep_before.total_time_ms) / 1000);
  EXPECT_NEAR(sleep.sum_sq, (sleep_after.sum_squares_ms2() - sleep_before.sum_squares_ms2()) / 1e6,
              1e-12);
  // ...and what the client asked for: 30, 50, 70 ms (pg_sleep overshoots a little).
  EXPECT_NEAR(sleep.mean_time(), 0.050, 0.005);
  const double stddev = std::sqrt(sleep.sum_sq / 3 - sleep.mean_time() * sleep.mean_time());
  EXPECT_NEAR(stddev, std::sqrt(2 * 0.02 * 0.02 / 3), 0.003);

  // slowscope's own statements never become shapes.
  EXPECT_EQ(stored("showtext").calls, 0);
  EXPECT_EQ(stored("pg_control_system").calls, 0);
}

TEST_F(PostgresCollector, TextIsFetchedOncePerStatement) {
  auto collector = make_collector(conninfo_);
  // Until slowscope's own statements are all known, each cycle may find some.
  int cycle = 0;
  int64_t before = -1;
  while (before != collector.poller().text_queries()) {
    ASSERT_LT(cycle, 6) << "text queries keep running without new statements";
    before = collector.poller().text_queries();
    collector.run_cycle(*store_, cycle_time(cycle++), kInterval);
  }
  const int64_t queries_before = collector.poller().text_queries();
  const int64_t requested_before = collector.poller().texts_requested();
  exec("SELECT 1 FROM items WHERE id = 1");
  exec("SELECT 2 FROM items WHERE v = 'a'");
  exec("SELECT 3 FROM items LIMIT 1");
  collector.run_cycle(*store_, cycle_time(cycle++), kInterval);
  EXPECT_EQ(collector.poller().text_queries(), queries_before + 1);
  EXPECT_EQ(collector.poller().texts_requested(), requested_before + 3);
  for (int i = 0; i < 3; ++i) {
    exec("SELECT 1 FROM items WHERE id = 1");
    collector.run_cycle(*store_, cycle_time(cycle++), kInterval);
  }
  EXPECT_EQ(collector.poller().text_queries(), queries_before + 1);
  EXPECT_EQ(collector.poller().texts_requested(), requested_before + 3);

  // The server agrees: the text query ran as often as the poller says.
  pqxx::nontransaction tx(*client_);
  const auto r = tx.exec(
      "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE query LIKE "
      "'/* slowscope */%queryid = ANY%'");
  EXPECT_EQ(r[0][0].as<int64_t>(), collector.poller().text_queries());
}

TEST_F(PostgresCollector, ResetBetweenCyclesIsAnEpochBreakWithoutNegativeSamples) {
  auto collector = make_collector(conninfo_);
  for (int i = 0; i < 20; ++i) exec("SELECT count(*) FROM items WHERE id > 5");
  collector.run_cycle(*store_, cycle_time(0), kInterval);
  for (int i = 0; i < 20; ++i) exec("SELECT count(*) FROM items WHERE id > 5");
  exec("SELECT pg_stat_statements_reset()");
  for (int i = 0; i < 4; ++i) exec("SELECT count(*) FROM items WHERE id > 5");
  const PgssCycleReport report = collector.run_cycle(*store_, cycle_time(1), kInterval);
  EXPECT_EQ(report.server_break, EpochBreak::kStatsReset);
  // The 4 calls after the reset are known to belong to the interval; the 20 before it are
  // lost with the reset, not guessed.
  EXPECT_EQ(stored("FROM items WHERE id >").calls, 4);
  const auto rows = stored_flags_and_calls();
  ASSERT_FALSE(rows.empty());
  for (const auto& [flags, calls] : rows) {
    EXPECT_GE(calls, 0);
    EXPECT_NE(flags & kSampleEpochBreak, 0);
  }
  const auto events =
      store_->events("pg", StoreTime(seconds(0)), StoreTime(seconds(2'000'000'000)));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, event_kind::kEpochBreak);
}

// pg_stat_statements_reset(userid, dbid, queryid) on PostgreSQL 15, which keeps no per-entry
// start time: the entry's counters restart without stats_reset moving.
TEST_F(PostgresCollector, SingleEntryResetWithFewerCallsAfterIt) {
  expect_single_entry_reset_told("SELECT count(*) FROM items WHERE id > $1",
                                 "FROM items WHERE id >", 5, 20, 5, 6);
}

TEST_F(PostgresCollector, SingleEntryResetWithMoreAndSlowerCallsAfterIt) {
  // Its calls grew, but its min went up: it cannot be the same entry grown.
  expect_single_entry_reset_told("SELECT pg_sleep($1)", "pg_sleep", 0.01, 2, 0.03, 5);
}

TEST_F(PostgresCollector, SingleEntryResetWithMoreAndFasterCallsAfterIt) {
  // Its calls, total time and sum of squares grew, but its max went down.
  expect_single_entry_reset_told("SELECT pg_sleep($1)", "pg_sleep", 0.03, 2, 0.015, 12);
}

TEST_F(PostgresCollector, EntryResetAndNotRunAgainIsToldAndCountsAnewLater) {
  auto collector = make_collector(conninfo_);
  run("SELECT pg_sleep($1)", 0.001, 3);
  collector.run_cycle(*store_, cycle_time(0), kInterval);
  run("SELECT pg_sleep($1)", 0.001, 2);
  reset_entry("pg_sleep");
  collector.run_cycle(*store_, cycle_time(1), kInterval);
  bool told = false;
  for (const auto& e :
       store_->events("pg", StoreTime(seconds(0)), StoreTime(seconds(2'000'000'000)))) {
    told =
        told || e.message.find("1 entries were removed without an eviction") != std::string::npos;
  }
  EXPECT_TRUE(told);
  run("SELECT pg_sleep($1)", 0.001, 4);
  collector.run_cycle(*store_, cycle_time(2), kInterval);
  const auto samples = stored_samples("pg_sleep");
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0], std::make_pair(int64_t{0}, int64_t{4}));
}

TEST_F(PostgresCollector, StateSurvivesACollectorRestart) {
  {
    auto first = make_collector(conninfo_);
    first.run_cycle(*store_, cycle_time(0), kInterval);
  }
  for (int i = 0; i < 5; ++i) exec("SELECT v FROM items WHERE id = 3");
  auto second = make_collector(conninfo_);
  const PgssCycleReport report = second.run_cycle(*store_, cycle_time(1), kInterval);
  EXPECT_EQ(report.server_break, EpochBreak::kNone);
  EXPECT_EQ(stored("SELECT v FROM items WHERE id =").calls, 5);
}

// A stored checkpoint that does not decode is answered with a new baseline: what ran before
// it is not counted, what runs after it is, exactly.
TEST_F(PostgresCollector, AnUnreadableCheckpointStartsANewBaseline) {
  {
    auto first = make_collector(conninfo_);
    first.run_cycle(*store_, cycle_time(0), kInterval);
  }
  store_->put_checkpoint("pg", {std::string(kPgssCheckpoint), "not a checkpoint"},
                         std::chrono::time_point_cast<seconds>(cycle_time(0)));
  for (int i = 0; i < 5; ++i) exec("SELECT v FROM items WHERE id = 3");
  auto second = make_collector(conninfo_);
  second.run_cycle(*store_, cycle_time(1), kInterval);
  EXPECT_EQ(stored("SELECT v FROM items WHERE id =").calls, 0);
  for (int i = 0; i < 2; ++i) exec("SELECT v FROM items WHERE id = 3");
  EXPECT_TRUE(second.run_cycle(*store_, cycle_time(2), kInterval).written);
  EXPECT_EQ(stored("SELECT v FROM items WHERE id =").calls, 2);
}

TEST_F(PostgresCollector, TooEarlyCycleWaitsForTheNextBucket) {
  auto collector = make_collector(conninfo_);
  collector.run_cycle(*store_, cycle_time(0), kInterval);
  exec("SELECT v FROM items WHERE id = 9");
  EXPECT_TRUE(collector.run_cycle(*store_, cycle_time(1), kInterval).written);
  exec("SELECT v FROM items WHERE id = 9");
  EXPECT_FALSE(collector.run_cycle(*store_, cycle_time(1) + seconds(5), kInterval).written);
  exec("SELECT v FROM items WHERE id = 9");
  EXPECT_TRUE(collector.run_cycle(*store_, cycle_time(2), kInterval).written);
  EXPECT_EQ(stored("SELECT v FROM items WHERE id =").calls, 3);
}

// After downtime the deltas span several intervals: stored as one sample per statement
// over the whole span, with its real length, not as one interval's.
TEST_F(PostgresCollector, DowntimeIsStoredWithItsRealLength) {
  auto collector = make_collector(conninfo_);
  collector.run_cycle(*store_, cycle_time(0), kInterval);
  exec("SELECT v FROM items WHERE id = 11");
  exec("SELECT v FROM items WHERE id = 12");
  const PgssCycleReport report = collector.run_cycle(*store_, cycle_time(5), kInterval);
  ASSERT_TRUE(report.written);
  EXPECT_EQ(report.covered_from, std::chrono::time_point_cast<seconds>(cycle_time(0)));
  EXPECT_EQ(report.bucket_start, std::chrono::time_point_cast<seconds>(cycle_time(4)));
  SqliteConnection db((dir_ / "store.db").string());
  auto stmt = db.prepare("span",
                         "SELECT s.bucket_start, s.interval_seconds, s.calls FROM samples s JOIN "
                         "shapes h ON h.id = s.shape_id WHERE instr(h.fingerprint, 'FROM items "
                         "WHERE id =') > 0");
  ASSERT_TRUE(stmt->step());
  EXPECT_EQ(stmt->get_int(0),
            std::chrono::duration_cast<seconds>(cycle_time(0).time_since_epoch()).count());
  EXPECT_EQ(stmt->get_int(1), 5 * kInterval.count());
  EXPECT_EQ(stmt->get_int(2), 2);
  EXPECT_FALSE(stmt->step());
  // The span is on record, for reports and health: what ran in it has no detail.
  const auto gaps = [&] {
    std::vector<std::string> out;
    auto events =
        db.prepare("gaps", "SELECT message FROM collector_events WHERE kind = 'collection_gap'");
    while (events->step()) out.push_back(events->get_text(0));
    return out;
  };
  ASSERT_EQ(gaps().size(), 1u);
  EXPECT_EQ(gaps()[0].rfind("no poll from 2023-11-14T22:14:00Z to 2023-11-14T22:19:00Z", 0), 0u)
      << gaps()[0];
  EXPECT_NE(gaps()[0].find(" (5 min): "), std::string::npos) << gaps()[0];
  // The next cycle is back to one interval.
  exec("SELECT v FROM items WHERE id = 13");
  const PgssCycleReport next = collector.run_cycle(*store_, cycle_time(6), kInterval);
  EXPECT_EQ(next.covered_from, next.bucket_start);
  EXPECT_EQ(next.bucket_start, std::chrono::time_point_cast<seconds>(cycle_time(5)));
  EXPECT_EQ(gaps().size(), 1u);
}

TEST_F(PostgresCollector, RoleWithoutReadAllStatsIsToldWhatToGrant) {
  exec("DROP ROLE IF EXISTS watcher; CREATE ROLE watcher LOGIN");
  exec("SELECT count(*) FROM items");  // another role's statement
  auto collector = make_collector(conninfo_ + " user=watcher");
  const PgssCycleReport report = collector.run_cycle(*store_, cycle_time(0), kInterval);
  EXPECT_GT(report.hidden_entries, 0);
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_NE(report.warnings[0].find("GRANT pg_read_all_stats TO watcher"), std::string::npos)
      << report.warnings[0];
  const auto events =
      store_->events("pg", StoreTime(seconds(0)), StoreTime(seconds(2'000'000'000)));
  ASSERT_FALSE(events.empty());
  EXPECT_NE(events[0].message.find("pg_read_all_stats"), std::string::npos);
  exec("GRANT pg_read_all_stats TO watcher");
  const PgssCycleReport granted = collector.run_cycle(*store_, cycle_time(1), kInterval);
  EXPECT_EQ(granted.hidden_entries, 0);
}

TEST_F(PostgresCollector, LostConnectionSaysSoWithTheTargetAndIsReopened) {
  auto collector = make_collector(conninfo_);
  collector.run_cycle(*store_, cycle_time(0), kInterval);
  {
    // The collector's session, found by the name it gives itself.
    pqxx::nontransaction tx(*client_);
    const auto killed = tx.exec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
        "'slowscope'");
    ASSERT_EQ(killed.size(), 1u);
  }
  try {
    collector.run_cycle(*store_, cycle_time(1), kInterval);
    FAIL() << "expected SourceError";
  } catch (const SourceError& e) {
    EXPECT_EQ(e.kind(), SourceError::Kind::kConnectionLost);
    EXPECT_EQ(
        std::string(e.what()).rfind("pg: connection lost while reading pg_stat_statements", 0), 0u)
        << e.what();
  }
  exec("SELECT v FROM items WHERE id = 4");
  EXPECT_TRUE(collector.run_cycle(*store_, cycle_time(2), kInterval).written);
  EXPECT_EQ(stored("SELECT v FROM items WHERE id =").calls, 1);
}

TEST_F(PostgresCollector, AStatementTimeoutIsATimeout) {
  // The extension probe waits for a lock held here; the statement timeout ends it first.
  SessionLimits limits;
  limits.statement_timeout = std::chrono::milliseconds(300);
  limits.lock_timeout = std::chrono::milliseconds(20'000);
  auto collector = make_collector(conninfo_, limits);
  pqxx::work holder(*client_);
  holder.exec("LOCK TABLE pg_catalog.pg_extension IN ACCESS EXCLUSIVE MODE");
  try {
    collector.run_cycle(*store_, cycle_time(0), kInterval);
    ADD_FAILURE() << "expected SourceError";
  } catch (const SourceError& e) {
    EXPECT_EQ(e.kind(), SourceError::Kind::kTimeout) << e.what();
    EXPECT_NE(std::string(e.what()).find("statement timeout"), std::string::npos) << e.what();
  }
  holder.abort();
  EXPECT_NO_THROW(collector.run_cycle(*store_, cycle_time(1), kInterval));
}

TEST_F(PostgresCollector, RefusedLoginIsToldApartFromAServerThatIsDown) {
  auto collector = make_collector(conninfo_ + " user=nobody_here");
  try {
    collector.run_cycle(*store_, cycle_time(0), kInterval);
    FAIL() << "expected SourceError";
  } catch (const SourceError& e) {
    EXPECT_EQ(e.kind(), SourceError::Kind::kLoginRefused) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("pg: login refused", 0), 0u) << e.what();
  }
  auto down = make_collector("host=127.0.0.1 port=1 dbname=x connect_timeout=2");
  try {
    down.run_cycle(*store_, cycle_time(0), kInterval);
    FAIL() << "expected SourceError";
  } catch (const SourceError& e) {
    EXPECT_EQ(e.kind(), SourceError::Kind::kCannotConnect) << e.what();
  }
}

TEST_F(PostgresCollector, UnreachableServerFailsWithTheTargetName) {
  auto collector = make_collector("host=127.0.0.1 port=1 dbname=x connect_timeout=2");
  try {
    collector.run_cycle(*store_, cycle_time(0), kInterval);
    FAIL() << "expected SourceError";
  } catch (const SourceError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("pg: cannot connect", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace slowscope
