#include "connectors/mysql/slow_log_table_state.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <stdexcept>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

constexpr std::string_view kVersion = "v1";

[[noreturn]] void corrupt(const std::string& why) {
  throw CorruptData("slow_log checkpoint is corrupt: " + why);
}

// The text up to the next ';' (or the end), consumed from `rest`.
std::string_view next_part(std::string_view& rest) {
  const size_t end = rest.find(';');
  const std::string_view part = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return part;
}

}  // namespace

SlowLogTableCursor::SlowLogTableCursor(const SlowLogTableState& committed)
    : watermark_us_(committed.watermark_us), next_(committed) {
  for (const uint64_t h : committed.at_watermark) ++taken_[h];
}

SlowLogTableCursor::Verdict SlowLogTableCursor::offer(int64_t start_time_us, uint64_t hash) {
  if (watermark_us_ && start_time_us < *watermark_us_) return Verdict::kBeforeWatermark;
  if (watermark_us_ && start_time_us == *watermark_us_) {
    const auto it = taken_.find(hash);
    if (it != taken_.end() && it->second > 0) {
      --it->second;
      return Verdict::kTakenBefore;
    }
  }
  if (!next_.watermark_us || start_time_us > *next_.watermark_us) {
    next_.watermark_us = start_time_us;
    next_.at_watermark.clear();
  }
  // Rows offered out of order (older than the newest taken) are new but do not move the
  // watermark; the server sends them ordered, so this does not happen.
  if (start_time_us == *next_.watermark_us) next_.at_watermark.push_back(hash);
  return Verdict::kNew;
}

SlowLogTableState SlowLogTableCursor::next_state() const {
  SlowLogTableState state = next_;
  std::sort(state.at_watermark.begin(), state.at_watermark.end());
  return state;
}

std::string encode_slow_log_state(const SlowLogTableState& state) {
  std::string out(kVersion);
  out += ';';
  if (state.watermark_us) out += std::to_string(*state.watermark_us);
  out += ';';
  std::vector<uint64_t> hashes = state.at_watermark;
  std::sort(hashes.begin(), hashes.end());
  char hex[17];
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (i > 0) out += ',';
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hashes[i]));
    out += hex;
  }
  return out;
}

SlowLogTableState decode_slow_log_state(std::string_view text) {
  std::string_view rest = text;
  if (text.find(';') == std::string_view::npos) corrupt("no fields");
  if (next_part(rest) != kVersion) corrupt("unknown version");
  const std::string_view watermark = next_part(rest);
  const std::string_view hashes = rest;
  if (hashes.find(';') != std::string_view::npos) corrupt("too many fields");
  SlowLogTableState state;
  if (!watermark.empty()) {
    int64_t value = 0;
    const auto [end, ec] =
        std::from_chars(watermark.data(), watermark.data() + watermark.size(), value);
    if (ec != std::errc() || end != watermark.data() + watermark.size()) {
      corrupt("bad watermark");
    }
    state.watermark_us = value;
  }
  std::string_view list = hashes;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), value, 16);
    if (item.size() != 16 || ec != std::errc() || end != item.data() + item.size()) {
      corrupt("bad row hash");
    }
    state.at_watermark.push_back(value);
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
    if (list.empty()) corrupt("trailing comma");
  }
  if (!state.watermark_us && !state.at_watermark.empty()) corrupt("hashes without watermark");
  std::sort(state.at_watermark.begin(), state.at_watermark.end());
  return state;
}

}  // namespace slowscope
