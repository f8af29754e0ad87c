#include "connectors/postgres/collector_state.h"

#include <gtest/gtest.h>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

CollectorState sample_state() {
  CollectorState s;
  s.snapshot.server = {"7312345678901234567", "15"};
  s.snapshot.collected_at_us = 1'700'000'000'123'456;
  s.snapshot.postmaster_start_us = 1'699'000'000'000'000;
  s.snapshot.stats_reset_us = 1'699'500'000'000'000;
  s.snapshot.dealloc = 7;
  s.snapshot.hidden_entries = 2;
  s.last_bucket_start = 1'700'000'000 - 60;
  s.own_keys = {{"5", "10", "-42", true}, {"5", "10", "77", false}};
  for (int i = 0; i < 3; ++i) {
    PgssEntry e;
    e.key = {"5", "10", std::to_string(-9'000'000'000'000'000'000 + i), i % 2 == 0};
    e.counters.calls = 100 + i;
    e.counters.total_time_ms = 12.5 + i;
    e.counters.mean_time_ms = 0.1 / 3;
    e.counters.stddev_time_ms = 1e-300;
    e.counters.min_time_ms = 0.001;
    e.counters.max_time_ms = 9e9;
    e.counters.rows = -1;  // never, but the encoding must not care
    e.counters.temp_blks_written = 1LL << 60;
    e.counters.wal_bytes = 123456789012;
    if (i == 1) e.stats_since_us = 1'690'000'000'000'000;
    s.snapshot.entries.push_back(e);
  }
  return s;
}

TEST(CollectorState, RoundTripsExactly) {
  const CollectorState s = sample_state();
  EXPECT_EQ(decode_state(encode_state(s)), s);
  EXPECT_EQ(decode_state(encode_state(CollectorState{})), CollectorState{});
}

TEST(CollectorState, IsCompact) {
  CollectorState s;
  for (int i = 0; i < 5000; ++i) {
    PgssEntry e;
    e.key = {"16384", "10", std::to_string(1'234'567'890'123'456'789LL - i), true};
    e.counters.calls = 1000 + i;
    e.counters.total_time_ms = i * 1.5;
    s.snapshot.entries.push_back(e);
  }
  EXPECT_LT(encode_state(s).size(), 5000u * 120u);
}

TEST(CollectorState, CorruptBlobsAreRefused) {
  const std::string blob = encode_state(sample_state());
  EXPECT_THROW(decode_state(""), CorruptData);
  EXPECT_THROW(decode_state("XXXX" + blob.substr(4)), CorruptData);
  EXPECT_THROW(decode_state(blob.substr(0, blob.size() - 1)), CorruptData);
  EXPECT_THROW(decode_state(blob + "x"), CorruptData);
}

TEST(CollectorState, OwnKeysAreLookedUp) {
  const CollectorState s = sample_state();
  EXPECT_TRUE(s.is_own({"5", "10", "77", false}));
  EXPECT_FALSE(s.is_own({"5", "10", "77", true}));
}

}  // namespace
}  // namespace slowscope
