// The rules of the values that slowscope.yaml and the command line both take — detection
// thresholds, spans, counts — so that a value means the same, and is refused with the same
// words, wherever it is written: load_config reads the file's keys with them, and the
// commands' options (cli/rule_option.h) read their text with them too.
//
// Each reads the text as typed and returns the value, or throws InvalidInput with
// "expected ..., got '<text>'" (or "must be ..."), without naming the key or option: the
// caller puts its own place in front. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace slowscope {

// A target's name: [a-z0-9][a-z0-9_.-]*, at most 63 characters (targets[].name; digest
// --target). Every sample and finding carries it, and reports print it unquoted.
std::string read_target_name(std::string_view text);

// A whole number of at least 1 (detection.every, resolve_after, min_calls; --limit ...).
int read_positive_int(std::string_view text);

// A decimal number in (low, high), or [low, high) with `low_included`.
double read_number(std::string_view text, double low, bool low_included, double high);

// A share from 0 to 1, both included (0.05 = 5%).
double read_share(std::string_view text);

// A duration ("60s", "5m", "12h", "7d", "0.5ms"; a bare number is seconds), kept to the
// microsecond; `examples` go into the message for a bad one.
std::chrono::microseconds read_duration(std::string_view text,
                                        std::string_view examples = "60s, 5m, 12h or 7d");

// A span of whole seconds, at least 1s (detection.window, detection.baseline, interval;
// check --window ...).
std::chrono::seconds read_span(std::string_view text);

// How much slower a shape must be to count: a ratio from 1 (detection.min_ratio,
// check --min-ratio).
double read_min_ratio(std::string_view text);

// How much slower per call a shape must be to count: a duration such as 1ms or 0.5ms
// (detection.min_delta, check --min-delta), in seconds.
double read_min_delta_seconds(std::string_view text);

// A false discovery rate, above 0 and below 1 (detection.fdr, check --fdr).
double read_fdr(std::string_view text);

}  // namespace slowscope
