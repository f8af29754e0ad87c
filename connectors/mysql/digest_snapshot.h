// DigestSnapshot: what one poll of performance_schema.events_statements_summary_by_digest
// saw on one MySQL/MariaDB server — the cumulative counters of every (schema, digest)
// entry, the row that counts statements not digested because the table was full, and the
// server facts that tell whether counters could have restarted since the previous poll.
//
// Plain value types; thread-compatible. The codec functions are pure and thread-safe.
// Times are as the server reports them: picoseconds for statement timers, epoch
// microseconds for time points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/store/store.h"

namespace slowscope {

// The cumulative counters of one digest entry.
struct DigestCounters {
  int64_t count_star = 0;
  uint64_t sum_timer_wait = 0;  // picoseconds
  uint64_t min_timer_wait = 0;
  uint64_t max_timer_wait = 0;
  uint64_t sum_lock_time = 0;  // picoseconds
  int64_t sum_rows_sent = 0;
  int64_t sum_rows_examined = 0;
  int64_t sum_rows_affected = 0;
  // MySQL 8.0+: the entry's 95th/99th percentile since FIRST_SEEN (picoseconds).
  std::optional<uint64_t> quantile_95;
  std::optional<uint64_t> quantile_99;

  bool operator==(const DigestCounters&) const = default;
};

struct DigestEntry {
  std::string schema;       // SCHEMA_NAME; "" when NULL (no default database)
  std::string digest;       // DIGEST: hex MD5 (MariaDB, MySQL 5.7) or SHA-256 (MySQL 8)
  std::string digest_text;  // DIGEST_TEXT; not kept in the checkpoint
  DigestCounters counters;
  int64_t first_seen_us = 0;  // whole seconds on MariaDB and MySQL 5.7
  int64_t last_seen_us = 0;

  bool operator==(const DigestEntry&) const = default;
};

struct DigestSnapshot {
  ServerIdentity server;             // MysqlServerInfo identity and version
  int64_t collected_at_us = 0;       // the server's clock
  int64_t uptime_s = 0;              // global status Uptime
  bool digests_enabled = true;       // setup_consumers.statements_digest
  int64_t digests_size = 0;          // @@performance_schema_digests_size
  std::vector<DigestEntry> entries;  // sorted by (schema, digest), unique
  // The row with a NULL digest: statements that found the table full. Absent until then.
  std::optional<DigestCounters> undigested;
  int64_t own_entries = 0;  // slowscope's own statements, left out of `entries`

  // When the server started, from its clock and uptime (±1 s).
  int64_t started_at_us() const { return collected_at_us - uptime_s * 1000000; }

  bool operator==(const DigestSnapshot&) const = default;
};

// Sorts entries by (schema, digest); keeps the first of duplicates.
void normalize_digest_entries(std::vector<DigestEntry>& entries);

// The checkpoint name the snapshot is stored under.
inline constexpr std::string_view kDigestCheckpoint = "performance_schema.digests/v1";

// A compact binary blob of everything but the digest texts.
std::string encode_digest_snapshot(const DigestSnapshot& snapshot);

// Throws CorruptData ("digest checkpoint is corrupt: ...") on a malformed blob. The
// entries' digest_text is empty.
DigestSnapshot decode_digest_snapshot(std::string_view bytes);

}  // namespace slowscope
