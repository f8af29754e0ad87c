// Human-readable numbers for terminal reports: durations, counts and byte sizes in a few
// characters, so that columns stay narrow. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace slowscope {

// 0.000123 -> "123us", 0.0456 -> "45.6ms", 2.5 -> "2.50s", 4000 -> "1.11h".
std::string format_seconds(double seconds);

// Database time added per hour, signed, the unit spelled out: 948 -> "+15.8 min/h",
// 0.6 -> "+600 ms/h", -3.1 -> "-3.10 s/h", 5400 -> "+1.50 h/h". Every report and log line
// that shows what a finding costs writes it this way.
std::string format_added_time(double seconds_per_hour);

// 1234 -> "1.23k", 5600000 -> "5.60M"; below 10000 printed exactly.
std::string format_count(double count);

// 2048 -> "2.0KiB", 5 MiB -> "5.0MiB".
std::string format_bytes(double bytes);

}  // namespace slowscope
