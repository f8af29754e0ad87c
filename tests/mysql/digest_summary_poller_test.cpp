// DigestSummaryPoller against the shared MariaDB: the deltas between two polls equal a
// scripted workload's statement counts per digest; its own statements stay out; a TRUNCATE
// of the digest table and a server restart are breaks without negative samples; a full
// table is reported as incomplete coverage.
#include "connectors/mysql/digest_summary_poller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "analyzer/store/sqlite_connection.h"
#include "connectors/mysql/digest_delta.h"
#include "connectors/mysql/mysql_collectors.h"
#include "tests/mysql/mysql_test_util.h"

namespace slowscope {
namespace {

using testing::MariadbFixture;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

class MariadbDigestTest : public MariadbFixture {
 protected:
  void SetUp() override {
    MariadbFixture::SetUp();
    if (HasFatalFailure()) return;
    server_->sql(
        "CREATE DATABASE IF NOT EXISTS dgtest_shop; CREATE DATABASE IF NOT EXISTS dgtest_billing;"
        "CREATE TABLE IF NOT EXISTS dgtest_shop.items (id INT PRIMARY KEY, name TEXT);"
        "REPLACE INTO dgtest_shop.items VALUES (1, 'a'), (2, 'b');"
        "CREATE TABLE IF NOT EXISTS dgtest_billing.accounts (id INT PRIMARY KEY, balance INT);"
        "REPLACE INTO dgtest_billing.accounts VALUES (1, 0);");
  }

  // `selects` × one SELECT shape in schema dgtest_shop, `updates` × one UPDATE shape in
  // dgtest_billing, each through its own connection as the bench user.
  void run_workload(int selects, int updates) {
    MysqlSession shop(socket_target());
    shop.execute("workload", "USE dgtest_shop");
    for (int i = 0; i < selects; ++i) {
      shop.query("workload", "SELECT name FROM items WHERE id = " + std::to_string(i % 3), {},
                 [](const MysqlRow&) {});
    }
    MysqlSession billing(socket_target());
    billing.execute("workload", "USE dgtest_billing");
    for (int i = 0; i < updates; ++i) {
      billing.execute("workload", "UPDATE accounts SET balance = balance + " +
                                      std::to_string(i + 1) + " WHERE id = 1");
    }
  }

  static const DigestDelta* find(const DigestInterval& interval, const std::string& schema,
                                 const std::string& text_part) {
    for (const auto& d : interval.deltas) {
      if (d.schema == schema && d.digest_text.find(text_part) != std::string::npos) return &d;
    }
    return nullptr;
  }

  static int64_t calls(const DigestInterval& interval, const std::string& schema,
                       const std::string& text_part) {
    const DigestDelta* d = find(interval, schema, text_part);
    return d == nullptr ? 0 : d->calls;
  }

  // The deltas as text, for failure messages.
  static std::string dump(const DigestInterval& interval) {
    std::string out;
    for (const auto& d : interval.deltas) {
      out += d.schema + " | " + d.digest_text + " | " + std::to_string(d.calls) + "\n";
    }
    return out;
  }

  static void expect_sane(const DigestInterval& interval) {
    for (const auto& d : interval.deltas) {
      EXPECT_GT(d.calls, 0) << d.digest_text;
      EXPECT_GE(d.total_time, 0) << d.digest_text;
      EXPECT_LT(d.total_time, 60) << d.digest_text;
      EXPECT_GE(d.rows_examined, 0) << d.digest_text;
      EXPECT_EQ(lower(d.digest_text).find("slowscope"), std::string::npos) << d.digest_text;
    }
  }

  static constexpr const char* kSelect = "SELECT NAME FROM `items` WHERE ID = ?";
  static constexpr const char* kUpdate = "UPDATE `accounts` SET `balance` = `balance` + ?";
};

TEST(OwnDigests, MarkedAliasesAndTheDriversStatementsInItsSchema) {
  EXPECT_TRUE(is_own_digest("shop", "SELECT @@`version` AS `slowscope_version` , ..."));
  EXPECT_TRUE(is_own_digest("information_schema", "SET `autocommit` = ? "));
  EXPECT_TRUE(is_own_digest("information_schema",
                            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ "));
  EXPECT_TRUE(is_own_digest("information_schema", "SHOW SESSION VARIABLES LIKE ?"));
  // An application's, in its own database or none.
  EXPECT_FALSE(is_own_digest("shop", "SET `autocommit` = ? "));
  EXPECT_FALSE(is_own_digest("", "SHOW SESSION VARIABLES LIKE ?"));
  EXPECT_FALSE(is_own_digest("information_schema", "SELECT * FROM `TABLES`"));
  EXPECT_FALSE(is_own_digest("information_schema", "SET `autocommit` = ? , `x` = ?"));
}

TEST_F(MariadbDigestTest, DeltasBetweenPollsEqualTheWorkloadPerDigest) {
  MysqlSession session(
      socket_target(testing::MariadbServer::kPassword, MysqlSource::kPerformanceSchema));
  DigestSummaryPoller poller(session);
  const DigestSnapshot first = poller.poll();
  EXPECT_FALSE(poller.has_quantiles());  // MariaDB
  EXPECT_TRUE(first.digests_enabled);
  EXPECT_EQ(first.server.system_id, session.server().identity);
  run_workload(37, 11);
  const DigestSnapshot second = poller.poll();
  EXPECT_GT(second.own_entries, 0);
  // The workload's sessions are slowscope's too: what Connector/C++ sent when they
  // connected (in information_schema) is left out.
  for (const DigestEntry& e : second.entries) {
    EXPECT_FALSE(is_own_digest(e.schema, e.digest_text)) << e.schema << ": " << e.digest_text;
    EXPECT_EQ(e.digest_text.find("autocommit"), std::string::npos) << e.digest_text;
  }
  const DigestInterval interval = compute_digest_interval(&first, second);
  EXPECT_EQ(interval.server_break, DigestBreak::kNone);
  EXPECT_FALSE(interval.coverage_incomplete());
  expect_sane(interval);
  EXPECT_EQ(calls(interval, "dgtest_shop", kSelect), 37) << dump(interval);
  EXPECT_EQ(calls(interval, "dgtest_billing", kUpdate), 11);
  const DigestDelta* update = find(interval, "dgtest_billing", kUpdate);
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->rows_affected, 11);
  EXPECT_GT(update->total_time, 0);

  // Again, from a snapshot that went through the checkpoint blob.
  run_workload(5, 2);
  const DigestSnapshot third = poller.poll();
  const DigestSnapshot restored = decode_digest_snapshot(encode_digest_snapshot(second));
  const DigestInterval next = compute_digest_interval(&restored, third);
  EXPECT_EQ(next.server_break, DigestBreak::kNone);
  expect_sane(next);
  EXPECT_EQ(calls(next, "dgtest_shop", kSelect), 5);
  EXPECT_EQ(calls(next, "dgtest_billing", kUpdate), 2);
}

// The collector over real digests: a second cycle within one interval stores nothing and
// loses nothing, and after downtime the samples span the whole gap with its real length.
TEST_F(MariadbDigestTest, CollectorKeepsBucketsAndStoresGapsWithTheirLength) {
  Store store(std::make_unique<SqliteConnection>((dir_ / "store.db").string()));
  store.ensure_target("testdb", Engine::kMysql);
  DigestCollector collector(
      socket_target(testing::MariadbServer::kPassword, MysqlSource::kPerformanceSchema));
  using std::chrono::seconds;
  const auto at = [](int64_t s) { return std::chrono::system_clock::time_point(seconds(s)); };
  const seconds interval{60};
  const int64_t t0 = 1'700'000'040;  // an interval boundary
  EXPECT_TRUE(collector.run_cycle(store, at(t0), interval).baseline);
  run_workload(3, 0);
  MysqlCycleReport r = collector.run_cycle(store, at(t0 + 60), interval);
  EXPECT_TRUE(r.written);
  EXPECT_EQ(r.covered, interval);
  run_workload(2, 0);
  r = collector.run_cycle(store, at(t0 + 90), interval);  // the same bucket again
  EXPECT_FALSE(r.written);
  EXPECT_TRUE(r.bucket_taken);
  run_workload(4, 0);
  r = collector.run_cycle(store, at(t0 + 5 * 60), interval);  // three intervals missed
  EXPECT_TRUE(r.written);
  EXPECT_EQ(r.covered, 4 * interval);

  SqliteConnection db((dir_ / "store.db").string());
  auto samples = db.prepare(
      "samples",
      "SELECT s.bucket_start, s.interval_seconds, s.calls FROM samples s JOIN shapes h ON h.id "
      "= s.shape_id WHERE instr(h.fingerprint, 'from `items`') > 0 ORDER BY s.bucket_start");
  std::vector<std::tuple<int64_t, int64_t, int64_t>> rows;
  while (samples->step()) {
    rows.emplace_back(samples->get_int(0), samples->get_int(1), samples->get_int(2));
  }
  const std::vector<std::tuple<int64_t, int64_t, int64_t>> expected = {{t0, 60, 3},
                                                                       {t0 + 60, 240, 6}};
  EXPECT_EQ(rows, expected);
  // The span without polls is on record; one interval late is not a gap.
  auto gaps = db.prepare("gaps", "SELECT message FROM collector_events WHERE kind = 'collection_gap'");
  ASSERT_TRUE(gaps->step());
  EXPECT_NE(gaps->get_text(0).find(" (4 min): "), std::string::npos) << gaps->get_text(0);
  EXPECT_FALSE(gaps->step());
}

TEST_F(MariadbDigestTest, AnUnreadableCheckpointStartsANewBaseline) {
  Store store(std::make_unique<SqliteConnection>((dir_ / "store.db").string()));
  store.ensure_target("testdb", Engine::kMysql);
  const TargetConfig target =
      socket_target(testing::MariadbServer::kPassword, MysqlSource::kPerformanceSchema);
  using std::chrono::seconds;
  const auto at = [](int64_t s) { return std::chrono::system_clock::time_point(seconds(s)); };
  const seconds interval{60};
  const int64_t t0 = 1'700'000'040;
  EXPECT_TRUE(DigestCollector(target).run_cycle(store, at(t0), interval).baseline);
  store.put_checkpoint("testdb", {std::string(kDigestCheckpoint), "not a snapshot"},
                       StoreTime(seconds(t0)));
  run_workload(5, 0);  // since the lost snapshot: not counted
  DigestCollector collector(target);
  MysqlCycleReport r = collector.run_cycle(store, at(t0 + 60), interval);
  EXPECT_TRUE(r.baseline);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("snapshot is unreadable"), std::string::npos) << r.warnings[0];
  run_workload(2, 0);
  r = collector.run_cycle(store, at(t0 + 120), interval);
  EXPECT_TRUE(r.written);
  EXPECT_TRUE(r.warnings.empty());

  SqliteConnection db((dir_ / "store.db").string());
  auto calls = db.prepare("calls",
                          "SELECT SUM(s.calls) FROM samples s JOIN shapes h ON h.id = s.shape_id "
                          "WHERE instr(h.fingerprint, 'from `items`') > 0");
  ASSERT_TRUE(calls->step());
  EXPECT_EQ(calls->get_int(0), 2);
}

TEST_F(MariadbDigestTest, TruncatingTheDigestTableIsABreakWithoutNegativeSamples) {
  MysqlSession session(socket_target());
  DigestSummaryPoller poller(session);
  run_workload(20, 4);
  const DigestSnapshot first = poller.poll();
  // FIRST_SEEN has whole seconds on MariaDB: let the re-created entries start in a later one.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  server_->sql("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest;");
  run_workload(7, 0);
  const DigestSnapshot second = poller.poll();
  const DigestInterval interval = compute_digest_interval(&first, second);
  EXPECT_EQ(interval.server_break, DigestBreak::kTruncated);
  EXPECT_GT(interval.entries_vanished, 0);
  expect_sane(interval);
  EXPECT_EQ(calls(interval, "dgtest_shop", kSelect), 7);
  EXPECT_EQ(calls(interval, "dgtest_billing", kUpdate), 0);
  for (const auto& d : interval.deltas) EXPECT_NE(d.flags & kSampleEpochBreak, 0u);
}

TEST_F(MariadbDigestTest, AServerRestartIsDetected) {
  MysqlSession session(socket_target());
  DigestSummaryPoller poller(session);
  run_workload(10, 3);
  const DigestSnapshot first = poller.poll();
  // Servers starting 2 s apart or more: the whole-second uptime shows it.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  server_->stop();
  EXPECT_THROW(poller.poll(), SourceError);
  server_->start();
  run_workload(4, 1);
  DigestSnapshot second;
  try {
    second = poller.poll();
  } catch (const SourceError& e) {
    // The connection broke with the restart; the next poll reconnects.
    second = poller.poll();
  }
  const DigestInterval interval = compute_digest_interval(&first, second);
  EXPECT_EQ(interval.server_break, DigestBreak::kServerRestart);
  expect_sane(interval);
  EXPECT_EQ(calls(interval, "dgtest_shop", kSelect), 4);
  EXPECT_EQ(calls(interval, "dgtest_billing", kUpdate), 1);
}

// Last: fills the digest table, then empties it again for whoever comes next.
TEST_F(MariadbDigestTest, AFullDigestTableIsReportedAsIncompleteCoverage) {
  MysqlSession session(socket_target());
  DigestSummaryPoller poller(session);
  const DigestSnapshot first = poller.poll();
  std::string script;
  const int64_t room = first.digests_size - static_cast<int64_t>(first.entries.size());
  for (int64_t i = 0; i < room + 50; ++i) {
    script += "SELECT 1 AS c" + std::to_string(i) + ";\n";  // a new digest each
  }
  server_->sql(script);
  run_workload(3, 0);
  const DigestSnapshot second = poller.poll();
  ASSERT_TRUE(second.undigested.has_value());
  const DigestInterval interval = compute_digest_interval(&first, second);
  EXPECT_TRUE(interval.coverage_incomplete());
  EXPECT_GE(interval.undigested_calls, 50);
  for (const auto& d : interval.deltas) EXPECT_NE(d.flags & kSamplePartial, 0u);
  server_->sql("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest;");
}

}  // namespace
}  // namespace slowscope
