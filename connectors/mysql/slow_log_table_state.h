// SlowLogTableState: how far a reader of the mysql.slow_log table has got — the start_time
// of the newest row taken (the watermark) and, because rows can share a start_time and the
// table has no key, a multiset of hashes of the rows AT the watermark already taken. The
// next read takes every row at or after the watermark except those. Stored as a compact
// text in the store's checkpoint, in the same transaction as what the rows produced.
//
// A value type; thread-compatible. encode/decode are pure and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace slowscope {

struct SlowLogTableState {
  // Epoch microseconds of the newest row taken; nullopt before the first read (which then
  // takes every row in the table).
  std::optional<int64_t> watermark_us;
  // Sorted, with repeats: row_hash() of each row with start_time == watermark taken so far.
  std::vector<uint64_t> at_watermark;

  // A state that takes only rows from `epoch_us` on (to skip a table's old history).
  static SlowLogTableState starting_at(int64_t epoch_us) { return {epoch_us, {}}; }

  bool operator==(const SlowLogTableState&) const = default;
};

// Decides, row by row, what one read takes: fed the rows at or after the committed
// watermark in start_time order, it says which are new and builds the state after them.
class SlowLogTableCursor {
 public:
  enum class Verdict {
    kNew,              // not taken before: deliver it
    kTakenBefore,      // at the watermark and taken by an earlier read
    kBeforeWatermark,  // older than the watermark (the read asked for none such)
  };

  explicit SlowLogTableCursor(const SlowLogTableState& committed);

  Verdict offer(int64_t start_time_us, uint64_t hash);

  // The state after every row offered so far (hashes sorted).
  SlowLogTableState next_state() const;

 private:
  std::optional<int64_t> watermark_us_;
  std::map<uint64_t, int64_t> taken_;  // rows at the watermark taken before, and how often
  SlowLogTableState next_;
};

// The checkpoint name the state is stored under.
inline constexpr std::string_view kSlowLogTableCheckpoint = "mysql.slow_log/v1";

// "v1;WATERMARK_US;HASH,HASH,..." with hashes as 16 hex digits ("v1;;" before any read).
std::string encode_slow_log_state(const SlowLogTableState& state);

// Throws CorruptData ("slow_log checkpoint is corrupt: ...") on malformed text.
SlowLogTableState decode_slow_log_state(std::string_view text);

}  // namespace slowscope
