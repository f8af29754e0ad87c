// UTC time points as slowscope passes them around: int64 microseconds since the Unix
// epoch. Functions here turn them into text and back. All are pure and thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace slowscope {

// The times slowscope reads and prints: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z,
// the years format_utc writes in four digits. Input outside them is refused.
inline constexpr int64_t kEarliestUtcMicros = -62'167'219'200'000'000;
inline constexpr int64_t kLatestUtcMicros = 253'402'300'799'999'999;

// "2024-03-01T12:00:00Z", or "2024-03-01T12:00:00.123456Z" when there are microseconds.
std::string format_utc(int64_t epoch_us);

// "2024-03-01T12:00:00Z": a whole-second time point, as the store keeps them.
inline std::string format_utc(std::chrono::sys_seconds t) {
  return format_utc(t.time_since_epoch().count() * 1'000'000);
}

// Parses an absolute time a user may type: "2024-03-01", "2024-03-01 12:00[:00[.frac]]",
// "2024-03-01T12:00:00Z", with an optional "Z" or "+hh:mm"/"-hh:mm" offset (no offset
// means UTC), or a plain number of seconds since the epoch. nullopt when it is none of these,
// and for epoch seconds outside kEarliestUtcMicros..kLatestUtcMicros.
std::optional<int64_t> parse_utc(std::string_view text);

// Parses a duration such as "90s", "30m", "12h", "7d", "2w" (a bare number means seconds)
// into microseconds. nullopt when malformed, negative, or longer than the span of times
// slowscope reads (about 10,000 years).
std::optional<int64_t> parse_duration(std::string_view text);

// A duration of `micros` >= 0 in the largest whole unit, as parse_duration reads it back:
// "7d", "15m", "90s", "1500ms", "0.25ms".
std::string format_duration(int64_t micros);

// A --since/--until argument: an absolute time, or a duration meaning that long before
// `now_us`. Throws InvalidInput naming the accepted forms, or the range of times
// when the time falls outside it (a duration ago of 100000000d).
int64_t parse_time_argument(std::string_view text, int64_t now_us);

}  // namespace slowscope
