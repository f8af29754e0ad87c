// Numbers with their units for the HTML report: durations, counts, rates, byte sizes,
// percentages, ratios and signed changes, each in a few characters that read the same in
// every report ("840 µs", "12.3 ms", "1.25 s", "4.20 min", "12.3k", "14.2%", "14.2×").
//
// The rules every function follows:
//   - three significant digits, trailing zeros kept ("1.00 ms"), in the largest unit in which
//     the value, once rounded, is at least 1: 999.95 µs is "1.00 ms", 59.97 s is "60.0 s";
//   - a space between number and unit ("12.3 ms"), none before an SI multiplier, % or ×
//     ("12.3k", "14.2%", "14.2×");
//   - negative numbers and negative changes use U+2212 MINUS SIGN (kMinus), never ASCII '-';
//     positive changes carry '+'; zero carries no sign;
//   - micro is U+00B5 MICRO SIGN ("µs"); a value that is not finite is U+2014 EM DASH ("—");
//   - digits come from std::to_chars: no locale, the same bytes on every machine.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace slowscope::html {

inline constexpr std::string_view kMinus = "\u2212";
inline constexpr std::string_view kNotANumber = "\u2014";

// Seconds in ns, µs, ms, s, min or h: 0.00084 -> "840 µs", 252 -> "4.20 min", 0 -> "0 s".
std::string format_duration(double seconds);

// A count, exact below 1000 when whole: 950 -> "950", 12345 -> "12.3k", 4.56e6 -> "4.56M",
// 7.1e9 -> "7.10G", 12.5 -> "12.5".
std::string format_count(double count);

// Events per second: format_count with "/s": 1234.5 -> "1.23k/s", 0.5 -> "0.500/s".
std::string format_rate(double per_second);

// Bytes with binary multiples, exact below 1024: 512 -> "512 B", 1536 -> "1.50 KiB".
std::string format_bytes(double bytes);

// A fraction as a percentage: 0.142 -> "14.2%", 1 -> "100%".
std::string format_percent(double fraction);

// A ratio: 14.2 -> "14.2×" (U+00D7 MULTIPLICATION SIGN).
std::string format_ratio(double ratio);

// Signed changes: 2280 -> "+38.0 min", -0.0123 -> "−12.3 ms"; 1500 -> "+1.50k";
// -0.12 -> "−12.0%".
std::string format_duration_change(double seconds);
std::string format_count_change(double count);
std::string format_percent_change(double fraction);

// What the values on a chart axis are.
enum class Quantity { kDurationSeconds, kCount, kRatePerSecond };

// Labels for axis ticks that are multiples of `step` > 0: one unit for the whole axis (for
// durations, minutes or hours when the step is at least that long, else the unit of the
// largest tick), as many decimals as the step needs and no more, "0" for zero:
// {0, 0.0005, 0.001, 0.0015} step 0.0005 -> {"0", "0.5 ms", "1.0 ms", "1.5 ms"}.
std::vector<std::string> axis_labels(const std::vector<double>& ticks, double step,
                                     Quantity quantity);

}  // namespace slowscope::html
