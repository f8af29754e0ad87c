// SlowLogParser: field-level results on the hand-written sample logs, pt-query-digest's
// quirks one by one, streaming in arbitrary pieces, junk, and a cross-check of every
// sample against pt-query-digest itself when it is installed.
#include "connectors/mysql/slow_log_parser.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tests/parser/slow_log_test_util.h"

namespace slowscope {
namespace {

using testing::Describe;
using testing::OwnedEvent;
using testing::ParsedLog;
using testing::ParseLog;

constexpr int64_t kSecond = 1000000;

std::string SamplePath(const std::string& name) {
  return std::string(SLOWSCOPE_TEST_DATA) + "/slowlogs/" + name;
}

ParsedLog ParseSample(const std::string& name) {
  std::string bytes = testing::ReadFileBytes(SamplePath(name));
  EXPECT_FALSE(bytes.empty()) << name;
  return ParseLog(bytes);
}

int64_t Seconds(const OwnedEvent& e) {
  return e.ts_us ? *e.ts_us / kSecond : -1;
}

// The common fields of one event.
void ExpectEvent(const OwnedEvent& e, std::string_view query, std::string_view db,
                 std::string_view user, std::string_view host, int64_t ts_seconds,
                 double query_time) {
  SCOPED_TRACE(Describe(e));
  EXPECT_EQ(e.query, query);
  EXPECT_EQ(e.db, db);
  EXPECT_EQ(e.user, user);
  EXPECT_EQ(e.host, host);
  EXPECT_EQ(Seconds(e), ts_seconds);
  EXPECT_DOUBLE_EQ(e.query_time, query_time);
}

TEST(SlowLogParserSamples, MySql51) {
  ParsedLog log = ParseSample("hand-mysql51.log");
  ASSERT_EQ(log.events.size(), 18u);
  EXPECT_EQ(log.stats.skipped, 0u);
  EXPECT_FALSE(log.stats.truncated_last_entry);
  EXPECT_EQ(log.stats.lines, 92u);
  const auto& ev = log.events;
  ExpectEvent(ev[0], "select sleep(2) from n", "test", "root", "localhost", 1192484632, 2);
  EXPECT_EQ(ev[0].line, 4u);  // after the three banner lines
  EXPECT_EQ(ev[0].lock_time, 0);
  // No Time line: ts and db are carried forward.
  ExpectEvent(ev[1], "SELECT * FROM film WHERE film_id = 1", "test", "root", "localhost",
              1192484632, 0.000652);
  EXPECT_DOUBLE_EQ(ev[1].lock_time, 0.000109);
  EXPECT_EQ(ev[1].line, 10u);
  ExpectEvent(ev[2],
              "SELECT customer_id, SUM(amount)\n  FROM payment\n WHERE payment_date >= "
              "'2005-07-01'\n GROUP BY customer_id\n ORDER BY 2 DESC",
              "sakila", "app", "web01.example.com", 1192484635, 1.106224);
  ExpectEvent(ev[3], "administrator command: Quit", "sakila", "app", "web01.example.com",
              1192484635, 0.000023);
  EXPECT_TRUE(ev[3].admin_command);
  EXPECT_FALSE(ev[2].admin_command);
  // "# Time: ...# User@Host: ..." on one line.
  ExpectEvent(ev[4],
              "SELECT title, COUNT(*) AS rentals FROM rental JOIN inventory USING "
              "(inventory_id) JOIN film USING (film_id) GROUP BY title ORDER BY rentals DESC "
              "LIMIT 10",
              "sakila", "report", "db-report", 1192484642, 3.5);
  // SET insert_id / last_insert_id lines are not statement text.
  EXPECT_EQ(ev[5].query,
            "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) VALUES "
            "(NOW(), 367, 130, 1)");
  EXPECT_EQ(ev[6].query, "UPDATE customer SET last_update = NOW() WHERE customer_id = 130");
  // Space-padded hour; Id: on the User@Host line.
  ExpectEvent(ev[7], "OPTIMIZE TABLE n", "test", "root", "localhost", 1385600731, 12.002241);
  ASSERT_FALSE(ev[7].attributes.empty());
  EXPECT_EQ(ev[7].attributes[0].first, "Id");
  EXPECT_EQ(ev[7].Number("Id"), 17);
  EXPECT_EQ(ev[9].query, "administrator command: Ping");
  ExpectEvent(ev[11], "DELETE FROM payment WHERE payment_date < '2005-01-01'", "sakila",
              "[SQL_SLAVE]", "", 1385632799, 1.020012);
  // skip-name-resolve: the host is the IP.
  ExpectEvent(ev[12], "SELECT COUNT(*) FROM customer WHERE active = 1", "sakila", "app",
              "10.0.0.23", 1385632800, 0.3);
  EXPECT_EQ(ev[16].query, "administrator command: Quit");
  // use `sakila`; -> sakila
  ExpectEvent(ev[17], "SELECT * FROM film WHERE film_id = 42", "sakila", "app", "web01.example.com",
              1385632807, 0.4);
}

TEST(SlowLogParserSamples, MySql57) {
  ParsedLog log = ParseSample("hand-mysql57.log");
  ASSERT_EQ(log.events.size(), 14u);
  const auto& ev = log.events;
  ExpectEvent(ev[0], "SELECT COUNT(*) FROM orders WHERE status = 'open'", "shop", "shop",
              "app1.internal", 1551441600, 0.523112);
  EXPECT_EQ(ev[0].ts_us, 1551441600 * kSecond + 123456);
  EXPECT_EQ(ev[1].ts_us, 1551441600 * kSecond + 987001);
  EXPECT_EQ(ev[2].query,
            "SELECT o.id, o.total, c.email\n  FROM orders o\n  JOIN customers c ON c.id = "
            "o.customer_id\n WHERE o.created_at > '2019-02-01'\n ORDER BY o.total DESC\n LIMIT 25");
  EXPECT_TRUE(ev[3].admin_command);
  // Numeric zone offsets are applied (pt ignores them).
  EXPECT_EQ(ev[4].ts_us, 1551441603 * kSecond);
  EXPECT_EQ(ev[4].db, "warehouse");
  EXPECT_EQ(ev[5].ts_us, 1551441604 * kSecond + 500000);
  // An entry without statement, followed by a Time line: pt's "/* No query */".
  ExpectEvent(ev[7], "/* No query */", "shop", "shop", "app1.internal", 1551441606, 0.0002);
  EXPECT_FALSE(ev[7].admin_command);
  EXPECT_EQ(ev[10].query,
            "/* report:top-products */ SELECT product_id, SUM(qty) FROM order_items GROUP BY "
            "product_id ORDER BY 2 DESC LIMIT 100");
  EXPECT_TRUE(ev[13].admin_command);
}

TEST(SlowLogParserSamples, MySql80SlowExtra) {
  ParsedLog log = ParseSample("hand-mysql80.log");
  ASSERT_EQ(log.events.size(), 10u);
  const auto& ev = log.events;
  ExpectEvent(ev[0], "SELECT sku FROM items WHERE LOWER(name) = 'blue widget'", "inventory", "api",
              "api-7d9f.pod", 1714983300, 0.250431);
  EXPECT_EQ(ev[0].ts_us, 1714983300 * kSecond + 100200);
  EXPECT_EQ(ev[0].Number("Thread_id"), 118);
  EXPECT_EQ(ev[0].Number("Bytes_received"), 87);
  EXPECT_EQ(ev[0].Number("Read_rnd_next"), 154224);
  EXPECT_EQ(ev[0].Number("Created_tmp_tables"), 0);
  ASSERT_NE(ev[0].Find("Start"), nullptr);
  EXPECT_EQ(std::get<std::string>(*ev[0].Find("Start")), "2024-05-06T08:14:59.849769Z");
  EXPECT_EQ(std::get<std::string>(*ev[0].Find("End")), "2024-05-06T08:15:00.100200Z");
  // Attributes in log order: Id from User@Host first, then the Query_time line, then the
  // pairs of the SET line.
  std::vector<std::string> names;
  for (const auto& [n, v] : ev[0].attributes) names.push_back(n);
  ASSERT_GE(names.size(), 7u);
  EXPECT_EQ(names[0], "Id");
  EXPECT_EQ(names[1], "Query_time");
  EXPECT_EQ(names[2], "Lock_time");
  EXPECT_EQ(names[5], "Thread_id");
  EXPECT_EQ(names[names.size() - 2], "End");
  EXPECT_EQ(names.back(), "timestamp");
  EXPECT_EQ(ev[2].Number("Errno"), 1213);
  EXPECT_EQ(ev[3].Number("Killed"), 1);
  EXPECT_EQ(ev[4].query,
            "CREATE PROCEDURE restock(IN p_sku VARCHAR(32))\nBEGIN\n  -- top up to the reorder "
            "level\n  UPDATE stock SET qty = reorder_level WHERE sku = p_sku;\n  INSERT INTO "
            "restock_log (sku, at) VALUES (p_sku, NOW());\nEND");
  EXPECT_EQ(ev[8].query, "administrator command: Binlog Dump GTID");
  EXPECT_EQ(ev[9].query, "SELECT * FROM `items` WHERE `sku` BETWEEN 'A-100' AND 'A-150'");
}

TEST(SlowLogParserSamples, Percona) {
  ParsedLog log = ParseSample("hand-percona.log");
  ASSERT_EQ(log.events.size(), 7u);
  const auto& ev = log.events;
  ExpectEvent(ev[0], "SELECT * FROM contacts ORDER BY last_seen DESC LIMIT 10", "crm", "crm",
              "crm-app", 1698920430, 0.812345);
  EXPECT_EQ(ev[0].sample_rate, 10);
  EXPECT_EQ(ev[0].Number("InnoDB_IO_r_ops"), 12);
  EXPECT_EQ(ev[0].Number("InnoDB_IO_r_wait"), 0.00421);
  EXPECT_EQ(ev[0].Number("InnoDB_pages_distinct"), 804);
  EXPECT_EQ(ev[0].Number("Tmp_table_sizes"), 16384);
  EXPECT_EQ(std::get<bool>(*ev[0].Find("Full_scan")), true);
  EXPECT_EQ(std::get<bool>(*ev[0].Find("QC_Hit")), false);
  EXPECT_EQ(std::get<std::string>(*ev[0].Find("Log_slow_rate_type")), "query");
  EXPECT_EQ(std::get<std::string>(*ev[1].Find("InnoDB_trx_id")), "1A2B3C");
  EXPECT_TRUE(ev[2].admin_command);
  EXPECT_EQ(ev[3].db, "analytics");
  EXPECT_EQ(ev[3].Number("Merge_passes"), 7);
  // "# Schema:   Last_errno: 1146 ..." does not match pt's attribute-line pattern at all,
  // so the db is inherited and Last_errno is not seen.
  EXPECT_EQ(ev[4].db, "analytics");
  EXPECT_EQ(ev[4].Find("Last_errno"), nullptr);
  EXPECT_EQ(ev[5].sample_rate, 100);
  EXPECT_EQ(ev[6].sample_rate, 1);
  EXPECT_EQ(ev[6].Number("Killed"), 1);
  EXPECT_EQ(ev[6].query_time, 60);
}

TEST(SlowLogParserSamples, MariaDb) {
  ParsedLog log = ParseSample("hand-mariadb.log");
  ASSERT_EQ(log.events.size(), 13u);
  const auto& ev = log.events;
  ExpectEvent(ev[0], "SELECT c FROM sbtest1 WHERE id=5016", "sbtest", "sbtest", "localhost",
              1714987800, 0.000412);
  EXPECT_EQ(ev[0].Number("Thread_id"), 31);
  EXPECT_EQ(ev[0].Number("Bytes_sent"), 190);
  EXPECT_EQ(std::get<bool>(*ev[0].Find("QC_hit")), false);
  // "# explain:" and bare "#" lines are neither attributes nor statement text.
  EXPECT_EQ(ev[2].query, "SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN 3001 AND 3100");
  EXPECT_EQ(ev[2].Find("explain"), nullptr);
  EXPECT_EQ(std::get<bool>(*ev[2].Find("Priority_queue")), false);
  EXPECT_EQ(ev[3].Number("Tmp_table_sizes"), 253952);
  EXPECT_EQ(std::get<bool>(*ev[3].Find("Filesort")), true);
  // Empty "Schema:" (no default database): pt drops it and the db is inherited.
  EXPECT_EQ(ev[8].db, "sbtest");
  EXPECT_EQ(ev[8].Find("Schema"), nullptr);
  EXPECT_EQ(std::get<bool>(*ev[8].Find("QC_hit")), false);
  EXPECT_TRUE(ev[9].admin_command);
  ExpectEvent(ev[10], "SELECT p.* FROM products p WHERE p.title LIKE '%lamp%' LIMIT 20", "shop",
              "app", "app-server", 1714989600, 1.5);
  EXPECT_EQ(std::get<bool>(*ev[11].Find("QC_hit")), true);
  EXPECT_EQ(ev[12].query,
            "SELECT COUNT(*)\nFROM orders\nWHERE created_at >= NOW() - INTERVAL 1 DAY");
  EXPECT_FALSE(log.stats.truncated_last_entry);
}

TEST(SlowLogParserSamples, MixedFormatsCrlfAndTruncatedEnd) {
  ParsedLog log = ParseSample("hand-mixed.log");
  ASSERT_EQ(log.events.size(), 9u);
  const auto& ev = log.events;
  ExpectEvent(ev[0], "SELECT * FROM accounts WHERE balance < 0", "legacy", "legacy", "old-app",
              1672531201, 1.0);
  EXPECT_TRUE(ev[2].admin_command);
  // After a restart banner, CRLF entries: read as LF, also inside statement text.
  ExpectEvent(ev[3], "SELECT SUM(amount)\n  FROM entries\n WHERE booked_at >= '2022-12-01'",
              "ledger", "legacy", "old-app", 1672531500, 2.0);
  EXPECT_EQ(ev[3].line, 22u);
  EXPECT_EQ(ev[4].query, "UPDATE entries SET checked = 1 WHERE id = 99");
  // MariaDB then Percona entries.
  EXPECT_EQ(ev[5].Number("Thread_id"), 11);
  EXPECT_EQ(ev[6].db, "ledger");  // empty Schema: inherited
  EXPECT_EQ(ev[7].sample_rate, 2);
  EXPECT_EQ(ev[7].Number("InnoDB_IO_r_bytes"), 1638400);
  // The last entry is cut off; pt counts what there is.
  EXPECT_EQ(ev[8].query, "SELECT COUNT(*) FROM entries WHERE archi");
  EXPECT_TRUE(log.stats.truncated_last_entry);
  EXPECT_EQ(log.stats.skipped, 0u);
}

TEST(SlowLogParserSamples, GarbageIsSkippedAndCounted) {
  ParsedLog log = ParseSample("hand-garbage.log");
  ASSERT_EQ(log.events.size(), 5u);
  const auto& ev = log.events;
  EXPECT_EQ(ev[0].query, "SELECT * FROM t WHERE id = 1");
  EXPECT_EQ(ev[0].line, 3u);
  EXPECT_EQ(ev[1].query, "SELECT * FROM t WHERE id = 2");
  // Latin-1 text and raw control bytes inside a statement are kept as they are.
  EXPECT_EQ(ev[2].query, "SELECT * FROM t WHERE name = 'Jos\xe9' AND tag = '\x01\x02'");
  EXPECT_EQ(ev[3].query, "SELECT * FROM t WHERE id = 5");
  EXPECT_EQ(ev[4].query, "SELECT * FROM t WHERE id = 6");
  for (const auto& e : ev) EXPECT_EQ(e.db, "shop");
  EXPECT_EQ(log.stats.skipped, 4u);
  EXPECT_EQ(log.stats.first_skipped_lines, (std::vector<uint64_t>{1, 9, 21, 28}));
  // The half-written entry cut by NUL bytes had no statement line: dropped.
  EXPECT_EQ(log.stats.dropped_entries, 1u);
}

// tests/data/malformed: logs pt-query-digest itself mishandles (it errors, sums NaN and
// wraps Rows_examined on this one), so they have no pt reference in tests/data/expected.
TEST(SlowLogParserSamples, BadQueryTimesAndTextWithoutHeadersAreSkippedAndCounted) {
  const std::string bytes =
      testing::ReadFileBytes(std::string(SLOWSCOPE_TEST_DATA) + "/malformed/bad-values.log");
  ASSERT_FALSE(bytes.empty());
  const ParsedLog log = ParseLog(bytes);
  // Query_time nan, -1, abc, -0.5 and 1.0e999: skipped, not counted without a time.
  ASSERT_EQ(log.events.size(), 3u);
  const auto& ev = log.events;
  EXPECT_EQ(ev[0].query, "SELECT * FROM orders WHERE id = 1");
  EXPECT_EQ(ev[1].query, "SELECT * FROM orders WHERE id = 7");
  EXPECT_EQ(ev[2].query, "SELECT * FROM orders WHERE id = 8");
  EXPECT_EQ(log.stats.bad_query_time, 5u);
  EXPECT_EQ(log.stats.first_bad_query_time_line, 13u);
  // What they pass on stands: the skipped entries' Time lines are genuine.
  EXPECT_EQ(ev[1].db, "shop");
  // The bare statements before the first entry and after a comment line: not entries.
  EXPECT_EQ(log.stats.headerless, 2u);
  EXPECT_EQ(log.stats.first_headerless_line, 4u);
  // Values past what a counter holds are numbers; the aggregator saturates them.
  EXPECT_EQ(ev[1].Number("Rows_examined"), 1e23);
  EXPECT_EQ(ev[2].Number("Rows_examined"), 18446744073709551615.0);
  EXPECT_TRUE(log.stats.saw_header);
  EXPECT_EQ(log.stats.skipped, 0u);
  // Pieces do not matter.
  for (size_t piece : {1, 7, 100}) {
    const ParsedLog pieces = ParseLog(bytes, {}, piece);
    EXPECT_TRUE(pieces.events == log.events) << piece;
    EXPECT_EQ(pieces.stats.bad_query_time, 5u) << piece;
    EXPECT_EQ(pieces.stats.headerless, 2u) << piece;
  }
}

TEST(SlowLogParserSamples, WhatTellsASlowLogFromOtherText) {
  // header: a slow-log header line was read; text: a line neither blank nor a banner.
  struct Case {
    std::string text;
    bool header, other;
  };
  const Case cases[] = {
      {"", false, false},
      {"\n\n  \n", false, false},
      {"/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\n"
       "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\n"
       "Time                 Id Command    Argument\n",
       false, false},
      {"2024-03-01 12:00:00.123 UTC [123] LOG:  duration: 12.3 ms  statement: SELECT 1\n"
       "2024-03-01 12:00:01.123 UTC [123] LOG:  duration: 1.3 ms  statement: SELECT 2;\n",
       false, true},
      {std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03\xad\x92", 12), false, true},
      {"SELECT 1;\nSELECT 2;\n", false, true},
      {"# Time: 071015 21:43:52\n", true, true},
      {"# Query_time: 1\nSELECT 1;\n", true, true},
  };
  for (const Case& c : cases) {
    const ParsedLog log = ParseLog(c.text);
    EXPECT_EQ(log.stats.saw_header, c.header) << c.text;
    EXPECT_EQ(log.stats.saw_text, c.other) << c.text;
    EXPECT_EQ(log.events.size(), c.text.starts_with("# Query_time") ? 1u : 0u) << c.text;
  }
}

// ---------------------------------------------------------------------------------------
// pt-query-digest behaviours, one at a time.

std::vector<OwnedEvent> Events(std::string_view log) {
  return ParseLog(log).events;
}

TEST(SlowLogParserPt, StripsUseAndSetLinesAndTrailingSemicolon) {
  auto ev = Events(
      "# Time: 071015 21:43:52\n# User@Host: a[a] @ h []\n# Query_time: 1  Lock_time: 0\n"
      "use db1;\nSET insert_id=5,timestamp=1192484632;\nSELECT 1;\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].query, "SELECT 1");
  EXPECT_EQ(ev[0].db, "db1");
}

TEST(SlowLogParserPt, InheritsDbAndTsOnlyFromCountedEvents) {
  auto ev = Events(
      "# Time: 071015 21:43:52\n# User@Host: a[a] @ h []\nuse one;\nSET timestamp=1;\nSELECT 1;\n"
      "# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 2;\n"
      "# Time: 071015 21:43:53\n# User@Host: a[a] @ h []\nuse two;\nSET timestamp=2;\n0;\n"
      "# User@Host: a[a] @ h []\nSET timestamp=2;\nSELECT 3;\n");
  ASSERT_EQ(ev.size(), 3u);  // the statement "0" is false in Perl and not counted
  EXPECT_EQ(ev[1].db, "one");
  EXPECT_EQ(Seconds(ev[1]), 1192484632);
  EXPECT_EQ(ev[2].db, "one");
  EXPECT_EQ(Seconds(ev[2]), 1192484632);
}

TEST(SlowLogParserPt, SchemaIsTheDbUnlessThereIsAUseLine) {
  auto ev = Events(
      "# User@Host: a[a] @ h []\n# Thread_id: 1  Schema: fromschema  QC_hit: No\n"
      "SET timestamp=1;\nSELECT 1;\n"
      "# User@Host: a[a] @ h []\n# Thread_id: 1  Schema: fromschema  QC_hit: No\n"
      "use fromuse;\nSET timestamp=1;\nSELECT 2;\n"
      "# User@Host: a[a] @ h []\n# Thread_id: 1  Schema: \nSET timestamp=1;\nSELECT 3;\n"
      "# User@Host: a[a] @ h []\n# Thread_id: 1  QC_hit: No\nSET timestamp=1;\nSELECT 4;\n");
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[0].db, "fromschema");
  EXPECT_EQ(ev[1].db, "fromuse");
  // "Schema: " at the end of a line is an empty value: it resets what is inherited.
  EXPECT_EQ(ev[2].db, "");
  EXPECT_EQ(ev[3].db, "");
}

TEST(SlowLogParserPt, BackquotedDbLosesItsQuotes) {
  auto ev = Events("# User@Host: a[a] @ h []\nuse `my db`;\nSET timestamp=1;\nSELECT 1;\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].db, "my db");
}

TEST(SlowLogParserPt, NoQueryEntryThenAdminStatementLookahead) {
  // An entry ending in header lines takes the text up to the next ";\n" as its admin
  // statement when what follows does not look like "Name: value"...
  const ParsedLog log = ParseLog(
      "# User@Host: a[a] @ h []\n# Query_time: 1\nSET timestamp=1;\n"
      "# User@Host: b[b] @ h []\n# Query_time: 2\nSET timestamp=2;\nSELECT 2;\n"
      "# Time: 071015 21:43:52\n# User@Host: c[c] @ h []\n# Query_time: 3\nSET timestamp=3;\n"
      "SELECT 3;\n");
  const auto& ev = log.events;
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_TRUE(ev[0].admin_command);
  EXPECT_EQ(ev[0].query, "User@Host: b[b] @ h []\n# Query_time: 2\nSET timestamp=2");
  EXPECT_EQ(ev[0].user, "a");
  // ...and the rest of the next entry becomes an entry of its own that has no statement,
  // which in turn reads ahead; a Time line would make it pt's "/* No query */", but with
  // no header line of its own ("SELECT 2;" alone) it is not an entry here.
  EXPECT_EQ(log.stats.headerless, 1u);
  EXPECT_EQ(log.stats.first_headerless_line, 7u);
  EXPECT_EQ(ev[1].query, "SELECT 3");
  EXPECT_EQ(ev[1].user, "c");
}

TEST(SlowLogParserPt, NoQueryEntryWithAHeader) {
  auto ev = Events(
      "# User@Host: a[a] @ h []\n# Query_time: 1\nSET timestamp=1;\n"
      "# Time: 071015 21:43:52\n# User@Host: c[c] @ h []\n# Query_time: 3\nSET timestamp=3;\n"
      "SELECT 3;\n");
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].query, "/* No query */");
  EXPECT_EQ(ev[0].user, "a");
  EXPECT_EQ(ev[1].query, "SELECT 3");
}

TEST(SlowLogParserPt, AdministratorCommands) {
  auto ev = Events(
      "# User@Host: a[a] @ h []\n# Query_time: 0.1\nSET timestamp=1;\n"
      "# administrator command: Quit;\n"
      "# User@Host: a[a] @ h []\n# Query_time: 0.2\nSET timestamp=2;\n"
      "# administrator command: Init DB;\n");
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].query, "administrator command: Quit");
  EXPECT_TRUE(ev[0].admin_command);
  EXPECT_DOUBLE_EQ(ev[0].query_time, 0.1);
  EXPECT_EQ(ev[1].query, "administrator command: Init DB");
}

TEST(SlowLogParserPt, FirstRecordGetsAHashPrefix) {
  // pt puts '#' in front of the first record, so a leading "use" line is not read.
  // That record has no header line either, so it is not an entry (see HeaderlessText).
  const ParsedLog log =
      ParseLog("use lost;\nSELECT 1;\n# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 2;\n");
  ASSERT_EQ(log.events.size(), 1u);
  EXPECT_EQ(log.events[0].query, "SELECT 2");
  EXPECT_EQ(log.events[0].db, "");
  EXPECT_EQ(log.stats.headerless, 1u);
  EXPECT_EQ(log.stats.first_headerless_line, 1u);
}

TEST(SlowLogParserPt, AStatementRunsUntilSemicolonNewlineHash) {
  // A blank line after a statement hides the separator: pt glues the next entry on.
  auto ev = Events(
      "# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 1;\n\n"
      "# User@Host: b[b] @ h []\nSET timestamp=2;\nSELECT 2;\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].query, "SELECT 1;\n\n# User@Host: b[b] @ h []\nSET timestamp=2;\nSELECT 2");
  // A '#' line inside a statement that does not follow ';' is statement text.
  ev = Events("# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 1\n# note\nFROM dual;\n");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].query, "SELECT 1\n# note\nFROM dual");
}

TEST(SlowLogParserPt, EndOfInput) {
  EXPECT_EQ(Events("# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 1;")[0].query, "SELECT 1;");
  EXPECT_EQ(Events("# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 1\n")[0].query,
            "SELECT 1\n");
  EXPECT_EQ(Events("# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 1;\n\n")[0].query,
            "SELECT 1\n");
  // Only header lines at the end: not counted.
  ParsedLog log = ParseLog("# User@Host: a[a] @ h []\n# Query_time: 1\nSET timestamp=1;\n");
  EXPECT_TRUE(log.events.empty());
  EXPECT_TRUE(log.stats.truncated_last_entry);
  EXPECT_EQ(log.stats.dropped_entries, 1u);
}

TEST(SlowLogParserPt, StartupBannersAnywhere) {
  const std::string entry = "# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 1;\n";
  for (const char* banner :
       {"/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\n"
        "Tcp port: 3306  Unix socket: /tmp/mysql.sock\n"
        "Time                 Id Command    Argument\n",
        // pt keeps these two and glues the entries around them; they are banners.
        "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-log (Debian 12). started with:\n"
        "Tcp port: 0  Unix socket: /run/mysqld/mysqld.sock\n"
        "Time\t\t    Id Command\tArgument\n",
        "mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\n"
        "Tcp port: 0  Unix socket: (null)\nTime                 Id Command    Argument\n"}) {
    auto ev = Events(std::string(banner) + entry + banner + entry + banner);
    ASSERT_EQ(ev.size(), 2u) << banner;
    EXPECT_EQ(ev[0].query, "SELECT 1");
    EXPECT_EQ(ev[1].query, "SELECT 1");
  }
}

TEST(SlowLogParserPt, CrlfReadsLikeLf) {
  const std::string lf = testing::ReadFileBytes(SamplePath("hand-mysql80.log"));
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto a = ParseLog(lf).events;
  auto b = ParseLog(crlf).events;
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].query, b[i].query);
    EXPECT_EQ(a[i].attributes, b[i].attributes);
    EXPECT_EQ(a[i].line, b[i].line);
  }
}

// ---------------------------------------------------------------------------------------
// Streaming.

std::vector<std::string> AllSamples() {
  return {"hand-mysql51.log", "hand-mysql57.log", "hand-mysql80.log", "hand-percona.log",
          "hand-mariadb.log", "hand-mixed.log",   "hand-garbage.log"};
}

void ExpectSame(const ParsedLog& want, const ParsedLog& got, const std::string& what) {
  ASSERT_EQ(want.events.size(), got.events.size()) << what;
  for (size_t i = 0; i < want.events.size(); ++i) {
    ASSERT_EQ(want.events[i], got.events[i])
        << what << " event " << i << "\nwant " << Describe(want.events[i]) << "\ngot  "
        << Describe(got.events[i]);
  }
  EXPECT_EQ(want.stats.lines, got.stats.lines) << what;
  EXPECT_EQ(want.stats.bytes, got.stats.bytes) << what;
  EXPECT_EQ(want.stats.skipped, got.stats.skipped) << what;
  EXPECT_EQ(want.stats.first_skipped_lines, got.stats.first_skipped_lines) << what;
  EXPECT_EQ(want.stats.dropped_entries, got.stats.dropped_entries) << what;
  EXPECT_EQ(want.stats.truncated_last_entry, got.stats.truncated_last_entry) << what;
  EXPECT_EQ(want.stats.truncated_statements, got.stats.truncated_statements) << what;
  EXPECT_EQ(want.stats.bad_query_time, got.stats.bad_query_time) << what;
  EXPECT_EQ(want.stats.first_bad_query_time_line, got.stats.first_bad_query_time_line) << what;
  EXPECT_EQ(want.stats.headerless, got.stats.headerless) << what;
  EXPECT_EQ(want.stats.first_headerless_line, got.stats.first_headerless_line) << what;
  EXPECT_EQ(want.stats.saw_header, got.stats.saw_header) << what;
  EXPECT_EQ(want.stats.saw_text, got.stats.saw_text) << what;
}

TEST(SlowLogParserStreaming, AnyPieceSizeGivesTheSameEvents) {
  for (const std::string& name : AllSamples()) {
    const std::string bytes = testing::ReadFileBytes(SamplePath(name));
    const ParsedLog whole = ParseLog(bytes);
    for (size_t piece : {1, 2, 3, 7, 64, 100, 1000, 4096}) {
      ExpectSame(whole, ParseLog(bytes, {}, piece), name + " piece " + std::to_string(piece));
    }
  }
}

TEST(SlowLogParserStreaming, SmallEntryLimitAnyPieceSize) {
  // Statements over the limit are cut, and entries and lines over it skipped, the same
  // way whatever the pieces.
  SlowLogParserOptions options;
  options.max_statement_bytes = 1024;
  std::vector<std::string> names = AllSamples();
  names.push_back("mariadb-query_plan.log");
  for (const std::string& name : names) {
    const std::string bytes = testing::ReadFileBytes(SamplePath(name));
    if (bytes.empty()) continue;
    const ParsedLog whole = ParseLog(bytes, options);
    for (size_t piece : {1, 5, 97, 1000, 5000}) {
      ExpectSame(whole, ParseLog(bytes, options, piece), name + " piece " + std::to_string(piece));
    }
  }
}

TEST(SlowLogParserStreaming, RandomSplitsGiveTheSameEvents) {
  std::mt19937 rng(7);
  for (const std::string& name : AllSamples()) {
    const std::string bytes = testing::ReadFileBytes(SamplePath(name));
    const ParsedLog whole = ParseLog(bytes);
    for (int round = 0; round < 20; ++round) {
      ParsedLog got;
      SlowLogParser parser([&](const QueryEvent& e) { got.events.push_back(testing::Own(e)); });
      for (size_t pos = 0; pos < bytes.size();) {
        size_t n = std::min<size_t>(bytes.size() - pos, 1 + rng() % 300);
        parser.feed(std::string_view(bytes).substr(pos, n));
        pos += n;
      }
      parser.finish();
      got.stats = parser.stats();
      ExpectSame(whole, got, name);
    }
  }
}

TEST(SlowLogParserStreaming, ProgressIsReported) {
  std::string log = testing::ReadFileBytes(SamplePath("hand-mysql80.log"));
  std::vector<uint64_t> seen;
  SlowLogParserOptions options;
  options.progress_every_bytes = 1000;
  options.on_progress = [&](uint64_t bytes) { seen.push_back(bytes); };
  SlowLogParser parser([](const QueryEvent&) {}, options);
  for (size_t pos = 0; pos < log.size(); pos += 100) {
    parser.feed(std::string_view(log).substr(pos, 100));
  }
  parser.finish();
  ASSERT_GE(seen.size(), log.size() / 1000 - 1);
  for (size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i] - seen[i - 1], 1000u);
}

// ---------------------------------------------------------------------------------------
// Junk and limits.

TEST(SlowLogParserJunk, RandomBytesNeverBreakIt) {
  std::mt19937_64 rng(99);
  std::string junk(4 << 20, '\0');
  for (auto& c : junk) c = static_cast<char>(rng());
  // Mostly junk, with a few valid entries mixed in.
  const std::string entry =
      "# Time: 071015 21:43:52\n# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT 1;\n";
  std::string log;
  for (size_t pos = 0; pos < junk.size(); pos += 65536) {
    log += junk.substr(pos, 65536);
    log += "\n" + entry;
  }
  ParsedLog parsed = ParseLog(log, {}, 100000);
  EXPECT_GE(parsed.events.size(), junk.size() / 65536 / 2);
  EXPECT_GT(parsed.stats.skipped, 0u);
  EXPECT_EQ(parsed.stats.first_skipped_lines.size(), ParseStats::kMaxSkippedLines);
  EXPECT_EQ(parsed.stats.bytes, log.size());
}

TEST(SlowLogParserJunk, NulBlockAfterHalfWrittenStatement) {
  std::string log =
      "# Time: 071015 21:43:52\n# User@Host: a[a] @ h []\nSET timestamp=1;\nSELECT *\nFROM t\n";
  log += std::string(1000, '\0') + "\n";
  log += "# Time: 071015 21:43:53\n# User@Host: b[b] @ h []\nSET timestamp=2;\nSELECT 2;\n";
  ParsedLog parsed = ParseLog(log);
  ASSERT_EQ(parsed.events.size(), 2u);
  EXPECT_EQ(parsed.events[0].query, "SELECT *\nFROM t");  // delivered as far as it got
  EXPECT_EQ(parsed.events[1].query, "SELECT 2");
  EXPECT_EQ(parsed.stats.first_skipped_lines, (std::vector<uint64_t>{6}));
}

// ---------------------------------------------------------------------------------------
// Statements over the limit: cut, and their entries counted.

std::string Entry(int second, const std::string& statement) {
  return "# Time: 071015 21:43:" + std::to_string(10 + second) +
         "\n# User@Host: a[a] @ h []\n"
         "# Query_time: 1.500000  Lock_time: 0.000100 Rows_sent: 3  Rows_examined: 7\n"
         "SET timestamp=" + std::to_string(second) + ";\n" + statement;
}

TEST(SlowLogParserLimit, LongStatementIsCutAndItsEntryCountedInBoundedMemory) {
  SlowLogParserOptions options;
  options.max_statement_bytes = 64 << 10;
  const std::string small = Entry(1, "SELECT 2;\n");
  const std::string log = small + Entry(2, "SELECT '" + std::string(1 << 20, 'x') + "';\n") + small;
  std::vector<OwnedEvent> events;
  SlowLogParser parser([&](const QueryEvent& e) { events.push_back(testing::Own(e)); }, options);
  for (size_t pos = 0; pos < log.size(); pos += 4096)
    parser.feed(std::string_view(log).substr(pos, 4096));
  parser.finish();
  ASSERT_EQ(events.size(), 3u);
  // Cut inside the string literal, which is closed so that no literal text shows in its
  // fingerprint.
  EXPECT_EQ(events[1].query, "SELECT '" + std::string(options.max_statement_bytes - 8, 'x') + "'");
  EXPECT_DOUBLE_EQ(events[1].query_time, 1.5);
  EXPECT_EQ(events[1].Number("Rows_examined"), 7);
  EXPECT_EQ(events[1].line, 6u);
  EXPECT_EQ(events[2].query, "SELECT 2");
  EXPECT_EQ(events[2].line, 11u);
  EXPECT_EQ(parser.stats().truncated_statements, 1u);
  EXPECT_EQ(parser.stats().skipped, 0u);
  EXPECT_FALSE(parser.stats().truncated_last_entry);
  EXPECT_EQ(parser.stats().lines, 15u);
  EXPECT_LE(parser.buffer_capacity(), 3 * options.max_statement_bytes);
}

// Every way a statement can cross the limit, on one log: cut the same whatever the pieces.
std::string LongStatementsLog() {
  const std::string x(3000, 'x');
  std::string log;
  // One long line; a many-line statement crossing in a short line; CRLF line ends.
  log += Entry(1, "INSERT INTO t VALUES ('" + x + "');\n");
  std::string lines;
  for (int i = 0; i < 100; ++i) lines += "  OR c = " + std::to_string(i) + "\n";
  log += Entry(2, "SELECT * FROM t WHERE c = 1\n" + lines + "  OR c = 99;\n");
  log += Entry(3, "SELECT '" + x + "',\r\n '" + x + "';\r\n");
  // Two long lines in a row (the second not after a ';'); a UTF-8 character at the cut.
  log += Entry(4, "SELECT '" + x + "',\n'" + x + "';\n");
  std::string accents;
  for (int i = 0; i < 1000; ++i) accents += "\xc3\xa9";
  log += Entry(5, "SELECT 'x" + accents + "';\n");
  // A long line right after a statement's ';' is junk, as is one with a NUL early on.
  log += Entry(6, "SELECT 6;\n" + x + "\n");
  log += Entry(7, "SELECT 7, '" + std::string(10, 'y') + '\0' + x + "';\n");
  // A NUL past the first limit's worth of the line is not looked at.
  log += Entry(8, "SELECT 8, '" + x + '\0' + "';\n");
  // Header lines alone over the limit: skipped, with the entry they run into (without a
  // ';' line between them, pt reads them as one).
  std::string headers;
  for (int i = 0; i < 60; ++i) headers += "# Rows_sent: " + std::to_string(i) + "\n";
  log += headers + Entry(9, "SELECT 9;\n");
  // A long statement whose line does not end in ';' glues the next entry on, as pt does.
  log += Entry(10, "SELECT '" + x + "'\n");
  log += Entry(11, "SELECT 11;\n");
  // At the end, cut short: no ';', no newline.
  log += Entry(12, "SELECT '" + x);
  return log;
}

TEST(SlowLogParserLimit, CutStatementsDoNotDependOnPieces) {
  SlowLogParserOptions options;
  options.max_statement_bytes = 1024;
  const std::string log = LongStatementsLog();
  const ParsedLog whole = ParseLog(log, options);
  for (size_t piece : {1, 2, 3, 97, 1000, 1023, 1024, 1025, 1026, 3001, 5000}) {
    ExpectSame(whole, ParseLog(log, options, piece), "piece " + std::to_string(piece));
  }
  std::mt19937 rng(16);
  for (int round = 0; round < 20; ++round) {
    ParsedLog got;
    SlowLogParser parser([&](const QueryEvent& e) { got.events.push_back(testing::Own(e)); },
                         options);
    for (size_t pos = 0; pos < log.size();) {
      const size_t n = std::min<size_t>(log.size() - pos, 1 + rng() % 2500);
      parser.feed(std::string_view(log).substr(pos, n));
      pos += n;
    }
    parser.finish();
    got.stats = parser.stats();
    ExpectSame(whole, got, "random pieces");
  }

  // And what they are.
  const auto& ev = whole.events;
  ASSERT_EQ(ev.size(), 9u);
  std::vector<int64_t> seconds;
  for (const OwnedEvent& e : ev) seconds.push_back(Seconds(e) - 1192484590);
  EXPECT_EQ(seconds, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 8, 10, 12}));
  for (const OwnedEvent& e : ev) {
    EXPECT_DOUBLE_EQ(e.query_time, 1.5);
    EXPECT_LE(e.query.size(), 1024u + 2);  // and what closes a cut literal and list
  }
  EXPECT_EQ(ev[0].query, "INSERT INTO t VALUES ('" + std::string(1024 - 23, 'x') + "')");
  EXPECT_EQ(ev[1].query.size(), 1024u);  // cut in one of its short lines
  EXPECT_TRUE(ev[1].query.starts_with("SELECT * FROM t WHERE c = 1\n  OR c = 0\n"));
  EXPECT_EQ(ev[2].query, "SELECT '" + std::string(1024 - 8, 'x') + "'");
  EXPECT_EQ(ev[3].query, "SELECT '" + std::string(1024 - 8, 'x') + "'");
  // 1024 bytes would split an "é": the cut leaves all of it out.
  EXPECT_EQ(ev[4].query.size(), 1023u + 1);
  EXPECT_TRUE(ev[4].query.ends_with("\xc3\xa9'"));
  EXPECT_EQ(ev[5].query, "SELECT 6");  // delivered as far as its last clean line
  // Entry 7 (NUL early) is junk before its statement began: dropped.
  EXPECT_EQ(ev[6].query, "SELECT 8, '" + std::string(1024 - 11, 'x') + "'");
  EXPECT_EQ(ev[7].query, "SELECT '" + std::string(1024 - 8, 'x') + "'");  // 11 glued on, cut
  EXPECT_EQ(ev[8].query, "SELECT '" + std::string(1024 - 8, 'x') + "'");
  EXPECT_EQ(whole.stats.truncated_statements, 8u);
  EXPECT_EQ(whole.stats.skipped, 3u);  // entry 6's long line, entry 7, the headers
  EXPECT_EQ(whole.stats.first_skipped_lines, (std::vector<uint64_t>{134, 139, 145}));
  EXPECT_TRUE(whole.stats.truncated_last_entry);
}

TEST(SlowLogParserLimit, EndOfInputAfterACutStatement) {
  SlowLogParserOptions options;
  options.max_statement_bytes = 1024;
  const std::string statement = "SELECT '" + std::string(5000, 'x') + "'";
  // Closed by ';' (with or without the last newline, or with trailing blanks): complete.
  for (const std::string end : {";\n", ";", ";\n\n", "; \n"}) {
    const ParsedLog log = ParseLog(Entry(1, statement + end), options, 100);
    ASSERT_EQ(log.events.size(), 1u) << end;
    EXPECT_EQ(log.stats.truncated_statements, 1u);
    EXPECT_FALSE(log.stats.truncated_last_entry) << end;
  }
  for (const std::string end : {"", "\n", ",\n"}) {
    const ParsedLog log = ParseLog(Entry(1, statement + end), options, 100);
    ASSERT_EQ(log.events.size(), 1u) << end;
    EXPECT_TRUE(log.stats.truncated_last_entry) << end;
  }
}

}  // namespace
}  // namespace slowscope
