// CollectorState: what a PostgreSQL collector must remember between cycles of one target —
// the last snapshot (the next cycle subtracts it), its own statements' keys (never sampled,
// their text never fetched again) and the last bucket written. Stored as a compact blob in
// the store's checkpoints, in the same transaction as the samples it produced, so that a
// restarted collector continues exactly where the last committed cycle ended.
//
// A value type; thread-compatible. encode/decode are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/postgres/pgss_snapshot.h"

namespace slowscope {

struct CollectorState {
  PgssSnapshot snapshot;
  std::vector<StatementKey> own_keys;  // sorted: slowscope's own statements
  int64_t last_bucket_start = 0;       // epoch seconds; 0 before the first sample

  bool is_own(const StatementKey& key) const;

  bool operator==(const CollectorState&) const = default;
};

// The checkpoint name the state is stored under.
inline constexpr std::string_view kPgssCheckpoint = "pg_stat_statements/v1";

std::string encode_state(const CollectorState& state);

// Throws CorruptData ("collector checkpoint is corrupt: ...") on a malformed blob.
CollectorState decode_state(std::string_view bytes);

}  // namespace slowscope
