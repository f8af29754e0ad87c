#include "connectors/mysql/slow_log_table_state.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <stdexcept>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

constexpr std::string_view kVersion = "v2";
constexpr std::string_view kVersion1 = "v1";

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

// The whole of `digits` as an integer in `base`.
template <typename Int>
Int parse_integer(std::string_view digits, int base, const char* what) {
  Int value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    corrupt(std::string("bad ") + what);
  }
  return value;
}

}  // namespace

SlowLogTableCursor::SlowLogTableCursor(const SlowLogTableState& committed)
    : committed_(committed), next_(committed) {
  for (const SlowLogTableState::TakenRow& row : committed.recent) {
    ++taken_[{row.start_time_us, row.hash}];
  }
}

SlowLogTableCursor::Verdict SlowLogTableCursor::offer(int64_t start_time_us, uint64_t hash) {
  const std::optional<int64_t> read_from = committed_.read_from_us();
  if (read_from && start_time_us < *read_from) return Verdict::kBeforeReadFrom;
  const auto it = taken_.find({start_time_us, hash});
  if (it != taken_.end() && it->second > 0) {
    --it->second;
    return Verdict::kTakenBefore;
  }
  next_.recent.push_back({start_time_us, hash});
  if (!next_.watermark_us || start_time_us > *next_.watermark_us) {
    next_.watermark_us = start_time_us;
  }
  const bool late = committed_.watermark_us && start_time_us < *committed_.watermark_us;
  return late ? Verdict::kNewLate : Verdict::kNew;
}

SlowLogTableState SlowLogTableCursor::next_state() const {
  SlowLogTableState state = next_;
  if (const std::optional<int64_t> read_from = state.read_from_us()) {
    std::erase_if(state.recent, [&](const SlowLogTableState::TakenRow& row) {
      return row.start_time_us < *read_from;
    });
  }
  std::sort(state.recent.begin(), state.recent.end());
  return state;
}

std::string encode_slow_log_state(const SlowLogTableState& state) {
  std::string out(kVersion);
  out += ';';
  if (state.watermark_us) out += std::to_string(*state.watermark_us);
  out += ';';
  std::vector<SlowLogTableState::TakenRow> rows = state.recent;
  std::sort(rows.begin(), rows.end());
  char hex[17];
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(state.watermark_us.value_or(0) - rows[i].start_time_us);
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(rows[i].hash));
    out += ':';
    out += hex;
  }
  return out;
}

SlowLogTableState decode_slow_log_state(std::string_view text) {
  std::string_view rest = text;
  if (text.find(';') == std::string_view::npos) corrupt("no fields");
  const std::string_view version = next_part(rest);
  // v1 kept only the rows at the watermark, as bare hashes.
  const bool v1 = version == kVersion1;
  if (!v1 && version != kVersion) corrupt("unknown version");
  const std::string_view watermark = next_part(rest);
  if (rest.find(';') != std::string_view::npos) corrupt("too many fields");
  SlowLogTableState state;
  if (!watermark.empty()) state.watermark_us = parse_integer<int64_t>(watermark, 10, "watermark");
  std::string_view list = rest;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    int64_t age = 0;
    if (!v1) {
      const size_t colon = item.find(':');
      if (colon == std::string_view::npos) corrupt("a row without its age");
      age = parse_integer<int64_t>(item.substr(0, colon), 10, "row age");
      if (age < 0 || age > kSlowLogLateRowWindowUs) corrupt("a row outside the window");
      item = item.substr(colon + 1);
    }
    if (item.size() != 16) corrupt("bad row hash");
    const uint64_t hash = parse_integer<uint64_t>(item, 16, "row hash");
    if (!state.watermark_us) corrupt("rows without watermark");
    state.recent.push_back({*state.watermark_us - age, hash});
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
    if (list.empty()) corrupt("trailing comma");
  }
  std::sort(state.recent.begin(), state.recent.end());
  return state;
}

}  // namespace slowscope
