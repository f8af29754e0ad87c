// SlowLogTableReader against the shared MariaDB (long_query_time=0, log_output=FILE,TABLE):
// a scripted workload with known statement counts comes out exactly, per query shape,
// across incremental reads, rows sharing a start_time, a restart from the checkpoint text,
// an uncommitted read and a TRUNCATE of the table.
#include "connectors/mysql/slow_log_table_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>

#include "analyzer/fingerprint/fingerprint.h"
#include "analyzer/fingerprint/query_id.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store.h"
#include "connectors/mysql/mysql_collectors.h"
#include "connectors/mysql/slow_log_table_row.h"
#include "tests/mysql/mysql_test_util.h"

namespace slowscope {
namespace {

using testing::MariadbFixture;

// How many statements of each shape a workload ran.
struct Counts {
  int64_t selects = 0;  // SELECT name FROM sltest_shop.items WHERE id = N
  int64_t updates = 0;  // UPDATE sltest_billing.accounts SET balance = balance + N ...
  bool operator==(const Counts&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Counts& c) {
  return out << "{selects " << c.selects << ", updates " << c.updates << "}";
}

class MariadbSlowLogTableTest : public MariadbFixture {
 protected:
  void SetUp() override {
    MariadbFixture::SetUp();
    if (HasFatalFailure()) return;
    server_->sql(
        "CREATE DATABASE IF NOT EXISTS sltest_shop; CREATE DATABASE IF NOT EXISTS sltest_billing;"
        "CREATE TABLE IF NOT EXISTS sltest_shop.items (id INT PRIMARY KEY, name TEXT);"
        "REPLACE INTO sltest_shop.items VALUES (1, 'a'), (2, 'b');"
        "CREATE TABLE IF NOT EXISTS sltest_billing.accounts (id INT PRIMARY KEY, balance INT);"
        "REPLACE INTO sltest_billing.accounts VALUES (1, 0);");
    Fingerprinter fp;
    select_id_ = query_id(fp.fingerprint("SELECT name FROM sltest_shop.items WHERE id = 1"));
    update_id_ = query_id(
        fp.fingerprint("UPDATE sltest_billing.accounts SET balance = balance + 1 WHERE id = 1"));
  }

  // Runs the workload through `session` (the bench user, no marker), all in one connection
  // as fast as it goes; with `fixed_ts` every statement gets that start_time (SET timestamp).
  // The session stands for an application's: it turns the slow log back on for itself,
  // which slowscope's sessions keep themselves out of, and works in sltest_shop.
  void run_workload(MysqlSession& session, const Counts& counts,
                    std::optional<int64_t> fixed_ts = std::nullopt) {
    session.execute("workload", "SET SESSION min_examined_row_limit = 0");
    session.execute("workload", "USE sltest_shop");
    if (fixed_ts) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%lld.%06lld",
                    static_cast<long long>(*fixed_ts / 1000000),
                    static_cast<long long>(*fixed_ts % 1000000));
      session.execute("workload", std::string("SET timestamp = ") + seconds);
    }
    int64_t s = 0, u = 0;
    while (s < counts.selects || u < counts.updates) {
      if (s < counts.selects) {
        session.query("workload",
                      "SELECT name FROM sltest_shop.items WHERE id = " + std::to_string(s % 3), {},
                      [](const MysqlRow&) {});
        ++s;
      }
      if (u < counts.updates) {
        session.execute("workload", "UPDATE sltest_billing.accounts SET balance = balance + " +
                                        std::to_string(u + 1) + " WHERE id = 1");
        ++u;
      }
    }
    if (fixed_ts) session.execute("workload", "SET timestamp = DEFAULT");
  }

  // Reads once; counts the delivered events of the workload's two shapes.
  Counts read(SlowLogTableReader& reader, SlowLogTableRead* out = nullptr) {
    Counts counts;
    Fingerprinter fp;
    const SlowLogTableRead result = reader.read([&](const QueryEvent& e) {
      EXPECT_FALSE(std::string(e.query).starts_with("/* slowscope */"));
      const std::string id = query_id(fp.fingerprint(e.query));
      if (id == select_id_) {
        ++counts.selects;
        EXPECT_EQ(e.db, "sltest_shop");
        EXPECT_EQ(e.user, "bench");
        EXPECT_EQ(e.host, "localhost");
        EXPECT_TRUE(e.ts_us.has_value());
      } else if (id == update_id_) {
        ++counts.updates;
        ASSERT_GE(e.attributes.size(), 5u);
        EXPECT_EQ(e.attributes[4].name, "Rows_affected");
        EXPECT_EQ(std::get<double>(e.attributes[4].value), 1.0);
      }
    });
    EXPECT_EQ(result.whole_second_precision, whole_seconds_);
    if (out != nullptr) *out = result;
    last_ = result;
    return counts;
  }

  // Reads and commits everything there is, so that the next read starts from now.
  void catch_up(SlowLogTableReader& reader) {
    const SlowLogTableRead result = reader.read([](const QueryEvent&) {});
    reader.commit(result.next_state);
  }

  static int64_t now_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  std::string select_id_;
  std::string update_id_;
  SlowLogTableRead last_;
  bool whole_seconds_ = false;  // what reads should say of the server's precision
};

TEST_F(MariadbSlowLogTableTest, DeliversEveryStatementOnceAcrossReadsAndEqualStartTimes) {
  MysqlSession reader_session(socket_target());
  MysqlSession workload(socket_target());
  SlowLogTableReader reader(reader_session);
  catch_up(reader);
  ASSERT_TRUE(reader.settings().has_value());
  EXPECT_TRUE(reader.settings()->writes_table());

  // Whole-second start_times in the near future: all of it shares one start_time.
  const int64_t fixed = (now_us() / 1000000 + 2) * 1000000;
  run_workload(workload, {37, 11}, fixed);
  SlowLogTableRead first;
  EXPECT_EQ(read(reader, &first), (Counts{37, 11}));
  EXPECT_EQ(first.next_state.watermark_us, fixed);
  EXPECT_GE(first.next_state.recent.size(), 48u);  // the SET timestamp rows too
  reader.commit(first.next_state);

  // More rows at exactly the watermark: only the new ones come.
  run_workload(workload, {5, 3}, fixed);
  SlowLogTableRead second;
  EXPECT_EQ(read(reader, &second), (Counts{5, 3}));
  EXPECT_GE(second.already_taken, 48);
  reader.commit(second.next_state);
  EXPECT_EQ(read(reader), (Counts{}));
  reader.commit(last_.next_state);

  // Once real time has passed the fixed one, ordinary rows with microsecond times.
  while (now_us() <= fixed + 100000) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  run_workload(workload, {13, 7});
  EXPECT_EQ(read(reader), (Counts{13, 7}));
  reader.commit(last_.next_state);
  EXPECT_EQ(read(reader), (Counts{}));
  EXPECT_EQ(last_.own_statements, 0);  // the reader's own reads never reach the table
}

TEST_F(MariadbSlowLogTableTest, TakesARowWrittenAfterALaterOneOnce) {
  MysqlSession reader_session(socket_target());
  MysqlSession workload(socket_target());
  SlowLogTableReader reader(reader_session);
  catch_up(reader);
  const int64_t fixed = (now_us() / 1000000 + 2) * 1000000;
  run_workload(workload, {6, 2}, fixed);
  EXPECT_EQ(read(reader), (Counts{6, 2}));
  EXPECT_EQ(last_.late, 0);
  reader.commit(last_.next_state);

  // Rows written now with start_times just before the watermark, as when two statements
  // log at once and the later time is written first: taken, once.
  run_workload(workload, {3, 1}, fixed - 400000);
  EXPECT_EQ(read(reader), (Counts{3, 1}));
  EXPECT_GE(last_.late, 4);
  reader.commit(last_.next_state);
  EXPECT_EQ(read(reader), (Counts{}));
  EXPECT_EQ(last_.late, 0);
  reader.commit(last_.next_state);

  // Rows more than the window behind the watermark are not asked for.
  run_workload(workload, {2, 2}, fixed - 3 * kSlowLogLateRowWindowUs);
  EXPECT_EQ(read(reader), (Counts{}));
}

TEST_F(MariadbSlowLogTableTest, LeavesOutItsOwnStatementsAndConnection) {
  // Connection ids start again after a server restart: rows of older connections must not
  // count as this session's.
  server_->sql("TRUNCATE TABLE mysql.slow_log;");
  const int64_t start = now_us();
  MysqlSession session(socket_target());
  // From `start` on: the TRUNCATE, logged just before, is left out.
  SlowLogTableReader reader(session, SlowLogTableState{start + kSlowLogLateRowWindowUs, {}});
  std::vector<std::string> delivered;
  SlowLogTableRead first =
      reader.read([&](const QueryEvent& e) { delivered.emplace_back(e.query); });
  reader.commit(first.next_state);
  SlowLogTableRead second =
      reader.read([&](const QueryEvent& e) { delivered.emplace_back(e.query); });
  EXPECT_TRUE(delivered.empty()) << delivered.front();
  // Nothing of the session reached the table, Connector/C++'s statements on connecting
  // included (the session's init command keeps it out of the slow log).
  const std::string thread = std::to_string(session.server().connection_id);
  EXPECT_EQ(server_->sql("SELECT COUNT(*) FROM mysql.slow_log WHERE thread_id = " + thread + ";"),
            "0\n");
  EXPECT_EQ(first.own_statements + second.own_statements, 0);

  // Should its statements be logged after all (here: the session turns logging back on),
  // the reader still leaves out its own connection's rows, marked or not.
  session.execute("testing", "SET SESSION min_examined_row_limit = 0");
  session.execute("testing", "SET @unmarked = 1");
  SlowLogTableRead third =
      reader.read([&](const QueryEvent& e) { delivered.emplace_back(e.query); });
  reader.commit(third.next_state);
  SlowLogTableRead fourth =
      reader.read([&](const QueryEvent& e) { delivered.emplace_back(e.query); });
  for (const std::string& query : delivered) {
    EXPECT_EQ(query.find("@unmarked"), std::string::npos) << query;
  }
  EXPECT_GT(third.own_statements + fourth.own_statements, 0);
}

TEST_F(MariadbSlowLogTableTest, UncommittedReadsAreReadAgain) {
  MysqlSession reader_session(socket_target());
  MysqlSession workload(socket_target());
  SlowLogTableReader reader(reader_session);
  catch_up(reader);
  run_workload(workload, {9, 4});
  EXPECT_EQ(read(reader), (Counts{9, 4}));
  // The store write failed: nothing committed, the same rows come again.
  EXPECT_EQ(read(reader), (Counts{9, 4}));
  reader.commit(last_.next_state);
  EXPECT_EQ(read(reader), (Counts{}));
}

TEST_F(MariadbSlowLogTableTest, ContinuesFromTheCheckpointTextAfterARestart) {
  MysqlSession workload(socket_target());
  std::string checkpoint;
  int64_t fixed = 0;
  {
    MysqlSession session(socket_target());
    SlowLogTableReader reader(session);
    catch_up(reader);
    // A second still to come once caught up (a long table takes a while): rows logged over
    // a second before the watermark would be, by design, left behind.
    fixed = (now_us() / 1000000 + 2) * 1000000;
    run_workload(workload, {6, 2}, fixed);
    EXPECT_EQ(read(reader), (Counts{6, 2}));
    reader.commit(last_.next_state);
    checkpoint = encode_slow_log_state(reader.state());
  }
  // While the collector is down, more rows at the watermark and after it.
  run_workload(workload, {4, 1}, fixed);
  while (now_us() <= fixed + 100000) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  run_workload(workload, {10, 5});

  MysqlSession session(socket_target());
  SlowLogTableReader reader(session, decode_slow_log_state(checkpoint));
  EXPECT_EQ(read(reader), (Counts{14, 6}));
  reader.commit(last_.next_state);
  EXPECT_EQ(read(reader), (Counts{}));
}

TEST_F(MariadbSlowLogTableTest, AnUnreadableCheckpointIsToldAndTheTableReadFromItsStart) {
  server_->sql("TRUNCATE TABLE mysql.slow_log;");
  Store store(std::make_unique<SqliteConnection>((dir_ / "store.db").string()));
  store.ensure_target("testdb", Engine::kMysql);
  MysqlSession workload(socket_target());
  run_workload(workload, {4, 2});
  const auto now = std::chrono::system_clock::now();
  const std::chrono::seconds interval{60};
  MysqlCycleReport r = SlowLogTableCollector(socket_target()).run_cycle(store, now, interval);
  EXPECT_TRUE(r.written);
  EXPECT_TRUE(r.warnings.empty());
  const int64_t rows = r.entries;
  EXPECT_GE(rows, 6);

  store.put_checkpoint("testdb", {std::string(kSlowLogTableCheckpoint), "v2;12;x"},
                       std::chrono::time_point_cast<std::chrono::seconds>(now));
  SlowLogTableCollector collector(socket_target());
  r = collector.run_cycle(store, now + interval, interval);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("position is unreadable"), std::string::npos) << r.warnings[0];
  EXPECT_GE(r.entries, rows);  // from the table's start again
  r = collector.run_cycle(store, now + 2 * interval, interval);
  EXPECT_EQ(r.entries, 0);
  EXPECT_TRUE(r.warnings.empty());
}

TEST_F(MariadbSlowLogTableTest, TruncateLosesNothingWrittenAfterIt) {
  MysqlSession reader_session(socket_target());
  MysqlSession workload(socket_target());
  SlowLogTableReader reader(reader_session);
  catch_up(reader);
  run_workload(workload, {8, 3});
  EXPECT_EQ(read(reader), (Counts{8, 3}));
  reader.commit(last_.next_state);

  run_workload(workload, {2, 1});  // written before the TRUNCATE, never read: lost
  server_->sql("TRUNCATE TABLE mysql.slow_log;");
  run_workload(workload, {21, 9});
  EXPECT_EQ(read(reader), (Counts{21, 9}));
  reader.commit(last_.next_state);
  EXPECT_EQ(read(reader), (Counts{}));

  // Rotation: the table is swapped for an empty one.
  run_workload(workload, {3, 3});
  server_->sql(
      "DROP TABLE IF EXISTS mysql.slow_log_new, mysql.slow_log_old;"
      "CREATE TABLE mysql.slow_log_new LIKE mysql.slow_log;"
      "RENAME TABLE mysql.slow_log TO mysql.slow_log_old, mysql.slow_log_new TO mysql.slow_log;"
      "DROP TABLE mysql.slow_log_old;");
  run_workload(workload, {4, 2});
  EXPECT_EQ(read(reader), (Counts{4, 2}));
}

// An old server's table: whole seconds, so rows of a fast workload share start_times.
TEST_F(MariadbSlowLogTableTest, WholeSecondTablesAreReportedAndReadExactly) {
  struct Restore {
    testing::MariadbServer* server;
    ~Restore() {
      server->sql(
          "SET GLOBAL slow_query_log = 0; ALTER TABLE mysql.slow_log MODIFY start_time "
          "TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), "
          "MODIFY query_time TIME(6) NOT NULL, MODIFY lock_time TIME(6) NOT NULL; "
          "SET GLOBAL slow_query_log = 1;");
    }
  } restore{server_};
  server_->sql(
      "SET GLOBAL slow_query_log = 0; ALTER TABLE mysql.slow_log MODIFY start_time TIMESTAMP "
      "NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, MODIFY query_time TIME "
      "NOT NULL, MODIFY lock_time TIME NOT NULL; SET GLOBAL slow_query_log = 1;");
  whole_seconds_ = true;
  MysqlSession reader_session(socket_target());
  MysqlSession workload(socket_target());
  SlowLogTableReader reader(reader_session);
  catch_up(reader);
  for (int round = 0; round < 4; ++round) {
    run_workload(workload, {17, 6});
    EXPECT_EQ(read(reader), (Counts{17, 6})) << "round " << round;
    reader.commit(last_.next_state);
  }
  EXPECT_FALSE(last_.next_state.recent.empty());
  EXPECT_EQ(*last_.next_state.watermark_us % 1000000, 0);
}

TEST_F(MariadbSlowLogTableTest, MeasuresAPollOfALargeTable) {
  const char* env = std::getenv("SLOWSCOPE_SLOW_LOG_ROWS");
  const int rows = env != nullptr ? std::atoi(env) : 20000;
  server_->sql("TRUNCATE TABLE mysql.slow_log;");
  std::string script;
  for (int i = 0; i < rows; ++i) script += "DO " + std::to_string(i) + ";\n";
  server_->sql(script);
  MysqlSession session(socket_target());
  SlowLogTableReader reader(session);
  SlowLogTableRead all;
  read(reader, &all);
  EXPECT_GE(all.delivered, rows);
  reader.commit(all.next_state);
  // The steady state: the table is full, little is new.
  SlowLogTableRead incremental;
  read(reader, &incremental);
  EXPECT_LT(incremental.delivered, 5);
  std::printf("slow_log of %lld rows: first read %.1f ms (%lld rows), incremental read %.1f ms\n",
              static_cast<long long>(all.rows_read),
              static_cast<double>(all.query_time.count()) / 1000.0,
              static_cast<long long>(all.delivered),
              static_cast<double>(incremental.query_time.count()) / 1000.0);
  server_->sql("TRUNCATE TABLE mysql.slow_log;");
}

}  // namespace
}  // namespace slowscope
