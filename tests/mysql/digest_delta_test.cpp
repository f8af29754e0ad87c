// The pure parts of the performance_schema source: per-interval deltas of digest counters
// with resets, truncations, restarts and a full table, and the snapshot's checkpoint blob.
#include "connectors/mysql/digest_delta.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "analyzer/error/errors.h"
#include "connectors/mysql/digest_snapshot.h"

namespace slowscope {
namespace {

constexpr uint64_t kMsPs = 1000000000;  // picoseconds per millisecond

DigestEntry entry(const std::string& schema, const std::string& digest, int64_t calls,
                  uint64_t total_ms, int64_t first_seen_s = 1000) {
  DigestEntry e;
  e.schema = schema;
  e.digest = digest;
  e.digest_text = "SELECT ? FROM `t` /* " + digest + " */";
  e.counters.count_star = calls;
  e.counters.sum_timer_wait = total_ms * kMsPs;
  e.counters.min_timer_wait = 1 * kMsPs;
  e.counters.max_timer_wait = 9 * kMsPs;
  e.counters.sum_lock_time = static_cast<uint64_t>(calls) * kMsPs / 10;
  e.counters.sum_rows_sent = calls * 2;
  e.counters.sum_rows_examined = calls * 10;
  e.counters.sum_rows_affected = calls;
  e.first_seen_us = first_seen_s * 1000000;
  e.last_seen_us = e.first_seen_us;
  return e;
}

DigestSnapshot snapshot(int64_t at_s, int64_t uptime_s, std::vector<DigestEntry> entries) {
  DigestSnapshot s;
  s.server = {"mariadb:db1:3306/1", "10.11.6-MariaDB"};
  s.collected_at_us = at_s * 1000000;
  s.uptime_s = uptime_s;
  s.digests_size = 5000;
  s.entries = std::move(entries);
  normalize_digest_entries(s.entries);
  return s;
}

const DigestDelta* find(const DigestInterval& interval, const std::string& digest) {
  for (const auto& d : interval.deltas) {
    if (d.digest == digest) return &d;
  }
  return nullptr;
}

void expect_no_negative(const DigestInterval& interval) {
  for (const auto& d : interval.deltas) {
    EXPECT_GE(d.calls, 0) << d.digest;
    EXPECT_GE(d.total_time, 0) << d.digest;
    EXPECT_GE(d.lock_time, 0) << d.digest;
    EXPECT_GE(d.rows_sent, 0) << d.digest;
    EXPECT_GE(d.rows_examined, 0) << d.digest;
    EXPECT_GE(d.rows_affected, 0) << d.digest;
  }
}

TEST(DigestDelta, FirstSnapshotAndAnotherServerAreBaselines) {
  const DigestSnapshot a = snapshot(2000, 1000, {entry("shop", "aa", 5, 50)});
  EXPECT_EQ(compute_digest_interval(nullptr, a).server_break, DigestBreak::kBaseline);
  EXPECT_TRUE(compute_digest_interval(nullptr, a).deltas.empty());
  DigestSnapshot b = a;
  b.server.version = "10.11.7-MariaDB";
  EXPECT_EQ(compute_digest_interval(&a, b).server_break, DigestBreak::kServerChanged);
  EXPECT_TRUE(compute_digest_interval(&a, b).deltas.empty());
}

TEST(DigestDelta, SubtractsCumulativeCountersExactly) {
  const DigestSnapshot a =
      snapshot(2000, 1000, {entry("shop", "aa", 5, 50), entry("billing", "bb", 3, 30)});
  const DigestSnapshot b = snapshot(
      2060, 1060,
      {entry("shop", "aa", 42, 420), entry("billing", "bb", 3, 30), entry("", "cc", 4, 8, 2030)});
  const DigestInterval interval = compute_digest_interval(&a, b);
  EXPECT_EQ(interval.server_break, DigestBreak::kNone);
  ASSERT_EQ(interval.deltas.size(), 2u);  // bb did not move
  const DigestDelta* aa = find(interval, "aa");
  ASSERT_NE(aa, nullptr);
  EXPECT_EQ(aa->schema, "shop");
  EXPECT_EQ(aa->calls, 37);
  EXPECT_DOUBLE_EQ(aa->total_time, 0.370);
  EXPECT_DOUBLE_EQ(aa->lock_time, 37 * 0.0001);
  EXPECT_EQ(aa->rows_sent, 74);
  EXPECT_EQ(aa->rows_examined, 370);
  EXPECT_EQ(aa->rows_affected, 37);
  EXPECT_FALSE(aa->min_time.has_value());  // lifetime min/max of an older entry
  EXPECT_EQ(aa->flags, 0u);
  EXPECT_EQ(aa->digest_text, "SELECT ? FROM `t` /* aa */");
  // A new entry began within the interval: all of it, with its min and max.
  const DigestDelta* cc = find(interval, "cc");
  ASSERT_NE(cc, nullptr);
  EXPECT_EQ(cc->schema, "");
  EXPECT_EQ(cc->calls, 4);
  EXPECT_EQ(cc->min_time, 0.001);
  EXPECT_EQ(cc->max_time, 0.009);
  EXPECT_EQ(cc->flags, 0u);
}

TEST(DigestDelta, CountersGoingBackwardsRestartTheEntryWithoutNegativeSamples) {
  const DigestSnapshot a =
      snapshot(2000, 1000, {entry("shop", "aa", 100, 1000), entry("shop", "bb", 10, 10)});
  // aa was reset and ran 7 times since; bb's FIRST_SEEN moved although it ran more.
  const DigestSnapshot b =
      snapshot(2060, 1060, {entry("shop", "aa", 7, 70, 2030), entry("shop", "bb", 12, 20, 2040)});
  const DigestInterval interval = compute_digest_interval(&a, b);
  expect_no_negative(interval);
  EXPECT_EQ(interval.entries_restarted, 2);
  const DigestDelta* aa = find(interval, "aa");
  ASSERT_NE(aa, nullptr);
  EXPECT_EQ(aa->calls, 7);
  EXPECT_DOUBLE_EQ(aa->total_time, 0.070);
  EXPECT_EQ(aa->flags, static_cast<uint32_t>(kSampleEpochBreak));
  const DigestDelta* bb = find(interval, "bb");
  ASSERT_NE(bb, nullptr);
  EXPECT_EQ(bb->calls, 12);  // whole, not 2: it restarted, so all 12 ran since
  EXPECT_EQ(bb->flags, static_cast<uint32_t>(kSampleEpochBreak));

  // A counter other than calls going backwards is a restart too.
  DigestSnapshot c = snapshot(2060, 1060, {entry("shop", "aa", 100, 1000)});
  c.entries[0].counters.sum_rows_examined = 5;
  const DigestInterval odd = compute_digest_interval(&a, c);
  expect_no_negative(odd);
  EXPECT_EQ(odd.entries_restarted, 1);
}

TEST(DigestDelta, VanishedEntriesMeanTheTableWasTruncated) {
  const DigestSnapshot a =
      snapshot(2000, 1000, {entry("shop", "aa", 100, 1000), entry("shop", "bb", 10, 10)});
  const DigestSnapshot b = snapshot(2060, 1060, {entry("shop", "aa", 3, 30, 2050)});
  const DigestInterval interval = compute_digest_interval(&a, b);
  EXPECT_EQ(interval.server_break, DigestBreak::kTruncated);
  EXPECT_EQ(interval.entries_vanished, 1);
  expect_no_negative(interval);
  ASSERT_EQ(interval.deltas.size(), 1u);
  EXPECT_EQ(interval.deltas[0].calls, 3);
  EXPECT_EQ(interval.deltas[0].flags, static_cast<uint32_t>(kSampleEpochBreak));
}

TEST(DigestDelta, ARestartIsABreakAndItsEntriesStartAfresh) {
  const DigestSnapshot a = snapshot(2000, 1000, {entry("shop", "aa", 100, 1000, 1500)});
  // performance_schema started empty: the entry came back with a new FIRST_SEEN.
  const DigestSnapshot b = snapshot(2060, 30, {entry("shop", "aa", 120, 1200, 2040)});
  const DigestInterval interval = compute_digest_interval(&a, b);
  EXPECT_EQ(interval.server_break, DigestBreak::kServerRestart);
  expect_no_negative(interval);
  ASSERT_EQ(interval.deltas.size(), 1u);
  EXPECT_EQ(interval.deltas[0].calls, 120);
  EXPECT_EQ(interval.deltas[0].flags, static_cast<uint32_t>(kSampleEpochBreak));
  // A restart whose uptime has grown past the old one: the start time moved.
  const DigestSnapshot c = snapshot(5000, 1500, {entry("shop", "aa", 120, 1200, 3600)});
  EXPECT_EQ(compute_digest_interval(&a, c).server_break, DigestBreak::kServerRestart);
  // Clock and whole-second uptime wander by less than a second without a restart.
  DigestSnapshot d = snapshot(2060, 1060, {entry("shop", "aa", 101, 1001, 1500)});
  d.collected_at_us += 999999;
  EXPECT_EQ(compute_digest_interval(&a, d).server_break, DigestBreak::kNone);
}

TEST(DigestDelta, AClockStepTakenForARestartInflatesNothing) {
  const DigestSnapshot a = snapshot(2000, 1000, {entry("shop", "aa", 100, 1000, 1500)});
  // The server's clock stepped 10 s ahead: the implied start time moved, nothing restarted.
  const DigestSnapshot b = snapshot(2070, 1060, {entry("shop", "aa", 120, 1200, 1500)});
  const DigestInterval interval = compute_digest_interval(&a, b);
  EXPECT_EQ(interval.server_break, DigestBreak::kServerRestart);
  ASSERT_EQ(interval.deltas.size(), 1u);
  EXPECT_EQ(interval.deltas[0].calls, 20);
  EXPECT_EQ(interval.deltas[0].flags, static_cast<uint32_t>(kSampleEpochBreak));
}

TEST(DigestDelta, AGrowingNullDigestRowMeansCoverageIsIncomplete) {
  DigestSnapshot a = snapshot(2000, 1000, {entry("shop", "aa", 5, 50)});
  DigestSnapshot b = snapshot(2060, 1060, {entry("shop", "aa", 6, 60)});
  EXPECT_FALSE(compute_digest_interval(&a, b).coverage_incomplete());
  b.undigested = DigestCounters{};
  b.undigested->count_star = 17;
  DigestInterval interval = compute_digest_interval(&a, b);
  EXPECT_TRUE(interval.coverage_incomplete());
  EXPECT_EQ(interval.undigested_calls, 17);
  ASSERT_EQ(interval.deltas.size(), 1u);
  EXPECT_EQ(interval.deltas[0].flags, static_cast<uint32_t>(kSamplePartial));
  a.undigested = b.undigested;
  b.undigested->count_star = 20;
  EXPECT_EQ(compute_digest_interval(&a, b).undigested_calls, 3);
  b.undigested->count_star = 17;
  EXPECT_FALSE(compute_digest_interval(&a, b).coverage_incomplete());
  EXPECT_EQ(kDigestCoverageMessage, "coverage incomplete: raise performance_schema_digests_size");
}

TEST(DigestDelta, QuantilesOnlyForEntriesThatBeganWithinTheInterval) {
  DigestEntry fresh = entry("shop", "aa", 4, 40, 2030);
  fresh.counters.quantile_95 = 8 * kMsPs;
  fresh.counters.quantile_99 = 9 * kMsPs;
  const DigestSnapshot a = snapshot(2000, 1000, {});
  const DigestSnapshot b = snapshot(2060, 1060, {fresh});
  const DigestInterval interval = compute_digest_interval(&a, b);
  ASSERT_EQ(interval.deltas.size(), 1u);
  EXPECT_EQ(interval.deltas[0].p95, 0.008);
  EXPECT_EQ(interval.deltas[0].p99, 0.009);
  DigestEntry older = fresh;
  older.counters.count_star = 9;
  const DigestSnapshot c = snapshot(2120, 1120, {older});
  const DigestInterval next = compute_digest_interval(&b, c);
  ASSERT_EQ(next.deltas.size(), 1u);
  EXPECT_FALSE(next.deltas[0].p95.has_value());
}

TEST(DigestSnapshotCodec, RoundTripsEverythingButTheTexts) {
  DigestSnapshot s = snapshot(2000, 1000, {entry("shop", "aa", 5, 50), entry("", "bb", 1, 1)});
  s.entries[0].counters.quantile_95 = 123;
  s.entries[0].counters.sum_timer_wait = 18446744073709551615ULL;
  s.undigested = DigestCounters{};
  s.undigested->count_star = 3;
  s.own_entries = 4;
  s.digests_enabled = false;
  const std::string blob = encode_digest_snapshot(s);
  DigestSnapshot expected = s;
  for (auto& e : expected.entries) e.digest_text.clear();
  EXPECT_EQ(decode_digest_snapshot(blob), expected);
  EXPECT_EQ(decode_digest_snapshot(encode_digest_snapshot(DigestSnapshot{})), DigestSnapshot{});
}

// Snapshots are stored as checkpoints in users' stores: a blob encoded before the varint
// codec was shared with quantile sketches (wide counters, an empty schema, quantiles and
// the undigested row) decodes to the same snapshot, which encodes to the same bytes.
TEST(DigestSnapshotCodec, DecodesABlobStoredBefore) {
  const std::string stored(
      "\x53\x53\x4d\x44\x01\x24\x33\x66\x31\x61\x30\x63\x32\x65\x2d\x31"
      "\x31\x31\x31\x2d\x31\x31\x65\x65\x2d\x38\x30\x30\x30\x2d\x30\x32"
      "\x34\x32\x61\x63\x31\x32\x30\x30\x30\x32\x0f\x31\x30\x2e\x31\x31"
      "\x2e\x36\x2d\x4d\x61\x72\x69\x61\x44\x42\x80\x89\xda\xbb\xe1\xa0"
      "\x8d\x06\x80\xc6\x0a\x01\x90\x4e\x04\x01\x08\x94\xb4\xe4\xf4\xcb"
      "\x03\xe8\x07\xff\xc1\xd7\x2f\x00\x14\xa0\x06\x00\x00\x00\x02\x00"
      "\x20\x30\x66\x32\x65\x34\x64\x36\x63\x38\x62\x30\x61\x31\x39\x32"
      "\x38\x33\x37\x34\x36\x35\x35\x36\x34\x37\x33\x38\x32\x39\x31\x30"
      "\x61\x80\xf0\xeb\xfa\x96\xa0\x8d\x06\x80\xf7\xd0\xba\xe1\xa0\x8d"
      "\x06\x8e\xda\x96\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x01"
      "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\xab\x04\x8e\xda\x96\x01"
      "\xf0\xa9\x98\x5e\x00\x00\x00\x04\x73\x68\x6f\x70\x20\x61\x31\x62"
      "\x32\x63\x33\x64\x34\x65\x35\x66\x36\x30\x37\x31\x38\x32\x39\x33"
      "\x61\x34\x62\x35\x63\x36\x64\x37\x65\x38\x66\x39\x30\x80\xc0\xa2"
      "\xf1\xc6\xe6\x8c\x06\x80\x80\xcb\xbb\xe1\xa0\x8d\x06\x54\x80\xd4"
      "\xdb\xd2\x0f\x80\xe1\xeb\x17\x80\xce\xe4\xcd\x02\xe0\x5d\x54\xa8"
      "\x01\x06\x01\x80\xed\xf8\xb5\x02\x01\x80\xa1\x82\xc9\x02",
      270);
  DigestSnapshot s;
  s.server = {"3f1a0c2e-1111-11ee-8000-0242ac120002", "10.11.6-MariaDB"};
  s.collected_at_us = 1718000000123456;
  s.uptime_s = 86400;
  s.digests_enabled = true;
  s.digests_size = 5000;
  s.own_entries = 2;
  s.undigested = DigestCounters{4, 123456789012, 1000, 99999999, 0, 10, 400, 0, {}, {}};
  DigestEntry a;
  a.digest = "0f2e4d6c8b0a1928374655647382910a";
  a.first_seen_us = 1717990000000000;
  a.last_seen_us = 1717999999000000;
  a.counters = {1234567, UINT64_MAX, 1, UINT64_MAX, 555, 1234567, 98765432, 0, {}, {}};
  DigestEntry b;
  b.schema = "shop";
  b.digest = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  b.first_seen_us = 1717000000000000;
  b.last_seen_us = 1718000000000000;
  b.counters = {42, 4200000000, 50000000, 700000000, 12000, 42, 84, 3, 650000000, 690000000};
  s.entries = {a, b};

  EXPECT_EQ(decode_digest_snapshot(stored), s);
  EXPECT_EQ(encode_digest_snapshot(s), stored);
}

TEST(DigestSnapshotCodec, RejectsCorruptBlobs) {
  const std::string blob =
      encode_digest_snapshot(snapshot(2000, 1000, {entry("shop", "aa", 5, 50)}));
  EXPECT_THROW(decode_digest_snapshot(""), CorruptData);
  EXPECT_THROW(decode_digest_snapshot("SSPG"), CorruptData);
  for (size_t n = 0; n < blob.size(); ++n) {
    EXPECT_THROW(decode_digest_snapshot(blob.substr(0, n)), CorruptData) << n;
  }
  EXPECT_THROW(decode_digest_snapshot(blob + "x"), CorruptData);
}

}  // namespace
}  // namespace slowscope
