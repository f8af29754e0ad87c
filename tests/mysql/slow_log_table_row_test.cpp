// The pure parts of the mysql.slow_log reader: user_host, TIME and TIMESTAMP text, row
// hashes, rows as QueryEvents, which rows a read takes, and the checkpoint text of its state.
#include "connectors/mysql/slow_log_table_row.h"

#include <gtest/gtest.h>

#include <variant>

#include "analyzer/error/errors.h"
#include "connectors/mysql/slow_log_table_state.h"

namespace slowscope {
namespace {

TEST(SlowLogTableRow, ParsesUserHostLikeTheSlowLogFile) {
  EXPECT_EQ(parse_user_host("bench[bench] @ localhost []"), (UserAndHost{"bench", "localhost"}));
  EXPECT_EQ(parse_user_host("app[app] @  [10.0.0.5]"), (UserAndHost{"app", "10.0.0.5"}));
  EXPECT_EQ(parse_user_host("root[root] @ web1 [10.1.2.3]"), (UserAndHost{"root", "web1"}));
  // The authenticated user differs from the one asked for: the first one is the user.
  EXPECT_EQ(parse_user_host("app[proxy] @ localhost []"), (UserAndHost{"app", "localhost"}));
  EXPECT_EQ(parse_user_host("[SQL_SLAVE] @  []"), (UserAndHost{"[SQL_SLAVE]", ""}));
  EXPECT_EQ(parse_user_host("garbage"), UserAndHost{});
  EXPECT_EQ(parse_user_host(""), UserAndHost{});
}

TEST(SlowLogTableRow, ParsesTimeValues) {
  EXPECT_EQ(parse_time_us("00:00:01.250000"), 1250000);
  EXPECT_EQ(parse_time_us("00:00:00.000063"), 63);
  EXPECT_EQ(parse_time_us("00:00:02"), 2000000);  // whole-second servers
  EXPECT_EQ(parse_time_us("00:01:00.5"), 60500000);
  EXPECT_EQ(parse_time_us("838:59:59.000000"), ((838LL * 60 + 59) * 60 + 59) * 1000000);
  EXPECT_EQ(parse_time_us("-00:00:01"), -1000000);
  EXPECT_EQ(parse_time_us(""), std::nullopt);
  EXPECT_EQ(parse_time_us("1.5"), std::nullopt);
  EXPECT_EQ(parse_time_us("00:61:00"), std::nullopt);
  EXPECT_EQ(parse_time_us("00:00:01.1234567"), std::nullopt);
}

TEST(SlowLogTableRow, ParsesAndFormatsTimestampsInUtc) {
  EXPECT_EQ(parse_datetime_us("1970-01-01 00:00:00"), 0);
  EXPECT_EQ(parse_datetime_us("2024-03-01 12:00:00.123456"), 1709294400123456);
  EXPECT_EQ(parse_datetime_us("2024-03-01 12:00:00"), 1709294400000000);
  EXPECT_EQ(format_datetime_us(1709294400123456), "2024-03-01 12:00:00.123456");
  EXPECT_EQ(format_datetime_us(0), "1970-01-01 00:00:00.000000");
  for (const int64_t us : {int64_t{1}, int64_t{951782400000001}, int64_t{4102444799999999}}) {
    EXPECT_EQ(parse_datetime_us(format_datetime_us(us)), us) << us;
  }
  EXPECT_EQ(parse_datetime_us("2024-13-01 00:00:00"), std::nullopt);
  EXPECT_EQ(parse_datetime_us("2024-03-01T12:00:00"), std::nullopt);
  EXPECT_EQ(parse_datetime_us("2024-03-01 12:00:00x"), std::nullopt);
}

SlowLogTableRow sample_row() {
  SlowLogTableRow row;
  row.start_time = "2024-03-01 12:00:00.123456";
  row.user_host = "app[app] @ web1 [10.0.0.5]";
  row.query_time = "00:00:01.500000";
  row.lock_time = "00:00:00.000250";
  row.rows_sent = "3";
  row.rows_examined = "1200";
  row.db = "shop";
  row.last_insert_id = "0";
  row.insert_id = "0";
  row.server_id = "1";
  row.sql_text = "SELECT * FROM items WHERE id = 7";
  row.thread_id = "42";
  row.rows_affected = "0";
  return row;
}

TEST(SlowLogTableRow, HashTellsRowsApartByEveryColumn) {
  const SlowLogTableRow row = sample_row();
  EXPECT_EQ(row_hash(row), row_hash(sample_row()));
  SlowLogTableRow other = row;
  other.thread_id = "43";
  EXPECT_NE(row_hash(row), row_hash(other));
  other = row;
  other.sql_text += " ";
  EXPECT_NE(row_hash(row), row_hash(other));
  // Moving a byte from one column to the next is a different row.
  SlowLogTableRow a = row, b = row;
  a.db = "shopx";
  a.last_insert_id = "0";
  b.db = "shop";
  b.last_insert_id = "x0";
  EXPECT_NE(row_hash(a), row_hash(b));
}

TEST(SlowLogTableRow, DeliversARowAsAQueryEvent) {
  int calls = 0;
  deliver_as_event(sample_row(), [&](const QueryEvent& e) {
    ++calls;
    EXPECT_EQ(e.query, "SELECT * FROM items WHERE id = 7");
    EXPECT_EQ(e.db, "shop");
    EXPECT_EQ(e.user, "app");
    EXPECT_EQ(e.host, "web1");
    EXPECT_EQ(e.ts_us, 1709294400123456);
    EXPECT_DOUBLE_EQ(e.query_time, 1.5);
    EXPECT_DOUBLE_EQ(e.lock_time, 0.00025);
    ASSERT_EQ(e.attributes.size(), 5u);
    EXPECT_EQ(e.attributes[0].name, "Query_time");
    EXPECT_DOUBLE_EQ(std::get<double>(e.attributes[0].value), 1.5);
    EXPECT_EQ(e.attributes[3].name, "Rows_examined");
    EXPECT_DOUBLE_EQ(std::get<double>(e.attributes[3].value), 1200);
    EXPECT_EQ(e.attributes[4].name, "Rows_affected");
  });
  EXPECT_EQ(calls, 1);
  SlowLogTableRow mysql = sample_row();
  mysql.rows_affected.clear();  // MySQL's table has no such column
  deliver_as_event(mysql, [](const QueryEvent& e) { EXPECT_EQ(e.attributes.size(), 4u); });
}

using Row = SlowLogTableState::TakenRow;

TEST(SlowLogTableState, RoundTripsThroughItsCheckpointText) {
  const SlowLogTableState empty;
  EXPECT_EQ(encode_slow_log_state(empty), "v2;;");
  EXPECT_EQ(decode_slow_log_state("v2;;"), empty);

  SlowLogTableState state;
  state.watermark_us = 1709294400123456;
  state.recent = {{1709294400123456, 0xffffffffffffffffULL},
                  {1709294400123456, 1},
                  {1709294400123456, 1},
                  {1709294399500000, 0x0123456789abcdefULL}};
  const std::string text = encode_slow_log_state(state);
  EXPECT_EQ(text,
            "v2;1709294400123456;623456:0123456789abcdef,0:0000000000000001,"
            "0:0000000000000001,0:ffffffffffffffff");
  SlowLogTableState sorted = state;
  std::sort(sorted.recent.begin(), sorted.recent.end());
  EXPECT_EQ(decode_slow_log_state(text), sorted);
  const SlowLogTableState negative{-5, {}};
  EXPECT_EQ(decode_slow_log_state(encode_slow_log_state(negative)), negative);
}

TEST(SlowLogTableState, ReadsTheOlderTextOfRowsAtTheWatermark) {
  EXPECT_EQ(decode_slow_log_state("v1;;"), SlowLogTableState{});
  EXPECT_EQ(decode_slow_log_state("v1;20;000000000000000c,000000000000000b"),
            (SlowLogTableState{20, {{20, 0xb}, {20, 0xc}}}));
}

using Verdict = SlowLogTableCursor::Verdict;

TEST(SlowLogTableCursor, TakesRowsSharingAStartTimeExactlyOnce) {
  // First read: three rows, two of them at 20 (one of those twice, identical).
  SlowLogTableCursor first{SlowLogTableState{}};
  EXPECT_EQ(first.offer(10, 0xa), Verdict::kNew);
  EXPECT_EQ(first.offer(20, 0xb), Verdict::kNew);
  EXPECT_EQ(first.offer(20, 0xc), Verdict::kNew);
  EXPECT_EQ(first.offer(20, 0xc), Verdict::kNew);
  const SlowLogTableState after_first = first.next_state();
  EXPECT_EQ(after_first.watermark_us, 20);
  EXPECT_EQ(after_first.recent, (std::vector<Row>{{10, 0xa}, {20, 0xb}, {20, 0xc}, {20, 0xc}}));

  // Second read: the server returns the rows again, plus a third identical 0xc and a new
  // one at 20, plus one later.
  SlowLogTableCursor second(after_first);
  EXPECT_EQ(second.offer(10, 0xa), Verdict::kTakenBefore);
  EXPECT_EQ(second.offer(20, 0xc), Verdict::kTakenBefore);
  EXPECT_EQ(second.offer(20, 0xb), Verdict::kTakenBefore);
  EXPECT_EQ(second.offer(20, 0xd), Verdict::kNew);
  EXPECT_EQ(second.offer(20, 0xc), Verdict::kTakenBefore);
  EXPECT_EQ(second.offer(20, 0xc), Verdict::kNew);  // a third one: new
  EXPECT_EQ(second.next_state().recent,
            (std::vector<Row>{{10, 0xa}, {20, 0xb}, {20, 0xc}, {20, 0xc}, {20, 0xc}, {20, 0xd}}));
  // A row a second and more after the others leaves them out of the window.
  EXPECT_EQ(second.offer(20 + kSlowLogLateRowWindowUs, 0xe), Verdict::kNew);
  EXPECT_EQ(second.next_state().watermark_us, 20 + kSlowLogLateRowWindowUs);
  EXPECT_EQ(second.next_state().recent.size(), 6u);  // {20, ...} are at the window's edge
  EXPECT_EQ(second.offer(21 + kSlowLogLateRowWindowUs, 0xf), Verdict::kNew);
  EXPECT_EQ(second.next_state(), (SlowLogTableState{21 + kSlowLogLateRowWindowUs,
                                                    {{20 + kSlowLogLateRowWindowUs, 0xe},
                                                     {21 + kSlowLogLateRowWindowUs, 0xf}}}));
}

TEST(SlowLogTableCursor, TakesARowWrittenAfterALaterOneOnce) {
  // Two statements log at once, 300 µs apart; the later time is written first and a read
  // falls in between.
  const int64_t t = 1709294400000000;
  SlowLogTableCursor first(SlowLogTableState{t - 5000000, {}});
  EXPECT_EQ(first.offer(t, 0xa), Verdict::kNew);
  EXPECT_EQ(first.offer(t + 300, 0xb), Verdict::kNew);
  const SlowLogTableState after_first = first.next_state();
  // The next read sees the row written late among those it has.
  SlowLogTableCursor second(after_first);
  EXPECT_EQ(second.offer(t, 0xa), Verdict::kTakenBefore);
  EXPECT_EQ(second.offer(t + 200, 0xc), Verdict::kNewLate);
  EXPECT_EQ(second.offer(t + 300, 0xb), Verdict::kTakenBefore);
  const SlowLogTableState after_second = second.next_state();
  EXPECT_EQ(after_second.watermark_us, t + 300);
  EXPECT_EQ(after_second.recent, (std::vector<Row>{{t, 0xa}, {t + 200, 0xc}, {t + 300, 0xb}}));
  // And only once.
  SlowLogTableCursor third(after_second);
  EXPECT_EQ(third.offer(t + 200, 0xc), Verdict::kTakenBefore);
  // The server sends nothing before the window; were it to, that is not taken.
  EXPECT_EQ(third.offer(t + 300 - kSlowLogLateRowWindowUs - 1, 0xd), Verdict::kBeforeReadFrom);
}

TEST(SlowLogTableCursor, NothingNewKeepsTheState) {
  const SlowLogTableState state{20, {{20, 0xb}, {20, 0xc}}};
  SlowLogTableCursor cursor(state);
  EXPECT_EQ(cursor.offer(20, 0xb), Verdict::kTakenBefore);
  EXPECT_EQ(cursor.next_state(), state);
  // After a TRUNCATE the rows taken are gone; the state stays until new rows come, and a
  // new row at the watermark itself is still new.
  SlowLogTableCursor truncated(state);
  EXPECT_EQ(truncated.next_state(), state);
  EXPECT_EQ(truncated.offer(20, 0xd), Verdict::kNew);
  EXPECT_EQ(truncated.next_state(), (SlowLogTableState{20, {{20, 0xb}, {20, 0xc}, {20, 0xd}}}));
}

TEST(SlowLogTableState, RejectsCorruptText) {
  for (const char* bad :
       {"", "v1", "v3;;", "v1;x;", "v1;1;12", "v1;1;0000000000000001,", "v1;;0000000000000001",
        "v1;1;;", "v1;1;000000000000000g", "v2;1;0000000000000001", "v2;1;-1:0000000000000001",
        "v2;1;1000001:0000000000000001", "v2;;0:0000000000000001", "v2;1;:0000000000000001",
        "v2;1;0:00000000000000001", "v2;1;0:0000000000000001,"}) {
    EXPECT_THROW(decode_slow_log_state(bad), CorruptData) << bad;
  }
}

}  // namespace
}  // namespace slowscope
