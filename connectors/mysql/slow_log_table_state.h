// SlowLogTableState: how far a reader of the mysql.slow_log table has got — the start_time
// of the newest row taken (the watermark) and, because the table has no key, the rows taken
// in the last second up to it (start_time and a hash of the whole row, with repeats). Each
// read asks again for every row from one second before the watermark and takes those not
// among them: rows sharing a start_time are told apart, and so is a row written just after
// a read with a start_time a little older than a row already taken (two statements logging
// at once, the later time written first). Stored as a compact text in the store's
// checkpoint, in the same transaction as what the rows produced.
//
// A value type; thread-compatible. encode/decode are pure and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slowscope {

// How far before the watermark each read looks again for rows written late. Two statements
// logging at once write out of order by microseconds; a whole-second table by one second.
inline constexpr int64_t kSlowLogLateRowWindowUs = 1000000;

struct SlowLogTableState {
  struct TakenRow {
    int64_t start_time_us = 0;
    uint64_t hash = 0;  // row_hash() of the row
    auto operator<=>(const TakenRow&) const = default;
  };

  // Epoch microseconds of the newest row taken; nullopt before the first read (which then
  // takes every row in the table).
  std::optional<int64_t> watermark_us;
  // Sorted, with repeats: each row taken with start_time within kSlowLogLateRowWindowUs
  // before the watermark (or at it).
  std::vector<TakenRow> recent;

  // The earliest start_time the next read asks for; nullopt: every row.
  std::optional<int64_t> read_from_us() const {
    if (!watermark_us) return std::nullopt;
    return *watermark_us - kSlowLogLateRowWindowUs;
  }

  bool operator==(const SlowLogTableState&) const = default;
};

// Decides, row by row, what one read takes: fed the rows from the committed state's
// read_from_us() on, in start_time order, it says which are new and builds the state after
// them.
class SlowLogTableCursor {
 public:
  enum class Verdict {
    kNew,             // not taken before: deliver it
    kNewLate,         // not taken before, older than the watermark (written late): deliver it
    kTakenBefore,     // taken by an earlier read
    kBeforeReadFrom,  // older than what the read asked for (the server sends none such)
  };

  explicit SlowLogTableCursor(const SlowLogTableState& committed);

  Verdict offer(int64_t start_time_us, uint64_t hash);

  // The state after every row offered so far (rows outside the window dropped, sorted).
  SlowLogTableState next_state() const;

 private:
  SlowLogTableState committed_;
  std::map<std::pair<int64_t, uint64_t>, int64_t> taken_;  // committed rows, and how often
  SlowLogTableState next_;
};

// The checkpoint name the state is stored under (the text carries its own version).
inline constexpr std::string_view kSlowLogTableCheckpoint = "mysql.slow_log/v1";

// "v2;WATERMARK_US;AGE:HASH,AGE:HASH,..." with AGE the row's microseconds before the
// watermark and HASH 16 hex digits ("v2;;" before any read).
std::string encode_slow_log_state(const SlowLogTableState& state);

// Also reads the older "v1;WATERMARK_US;HASH,..." (rows at the watermark only). Throws
// CorruptData ("slow_log checkpoint is corrupt: ...") on malformed text.
SlowLogTableState decode_slow_log_state(std::string_view text);

}  // namespace slowscope
