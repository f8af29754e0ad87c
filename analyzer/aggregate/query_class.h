// QueryClass: everything aggregated about one query shape (one fingerprint) over a set of
// events: how often it ran, the statistics of every numeric header attribute, who ran it
// and from where, and its slowest example.
//
// Plain value types: copyable, comparable, no shared state; concurrent const use is safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/aggregate/metric_summary.h"

namespace slowscope {

// Tally of a Yes/No attribute such as Full_scan or QC_hit.
struct FlagCount {
  uint64_t true_count = 0;
  uint64_t count = 0;  // events that logged the attribute at all

  friend bool operator==(const FlagCount&, const FlagCount&) = default;
};

// The slowest event of a class (the earliest in input order among equally slow ones).
struct QueryExample {
  std::string query;  // raw statement text as logged, not fingerprinted
  double query_time = 0;
  bool admin_command = false;
  std::optional<int64_t> ts_us;
  std::string db;
  size_t input = 0;  // which input it came from, as numbered by DigestAggregator::add()
  uint64_t line = 0;
  uint64_t offset = 0;

  friend bool operator==(const QueryExample&, const QueryExample&) = default;
};

// Key under which databases, users and hosts beyond the per-class cap are counted.
inline constexpr std::string_view kOtherValue = "(other)";

struct QueryClass {
  std::string fingerprint;
  std::string query_id;         // 32 uppercase hex digits, pt-query-digest 3.x style
  std::string legacy_query_id;  // 16 hex digits, older pt-query-digest style

  uint64_t calls = 0;  // events seen
  // Sum of the events' sample rates: the calls the server made, had every statement been
  // logged (Percona Log_slow_rate_limit).
  double estimated_calls = 0;
  bool sampled = false;  // some event had a sample rate other than 1

  // Extent of the events' timestamps; empty when none carried one.
  std::optional<int64_t> first_seen_us;
  std::optional<int64_t> last_seen_us;

  // One summary per numeric attribute, keyed by its name as logged ("Query_time",
  // "Rows_examined", ...); only attributes that some event of the class logged.
  std::map<std::string, MetricSummary, std::less<>> metrics;
  // Yes/No attributes, keyed the same way.
  std::map<std::string, FlagCount, std::less<>> flags;

  // Events per database, user and host; empty values are not counted. A class keeps at
  // most DigestAggregator::kMaxDistinctValues names per map and counts the rest under
  // kOtherValue (see DigestAggregator for which names are kept).
  std::map<std::string, uint64_t, std::less<>> databases;
  std::map<std::string, uint64_t, std::less<>> users;
  std::map<std::string, uint64_t, std::less<>> hosts;

  QueryExample example;
  std::vector<std::string> tables;  // tables the example statement refers to

  // The summary of attribute `name`, or nullptr when no event of the class logged it.
  const MetricSummary* metric(std::string_view name) const {
    const auto it = metrics.find(name);
    return it == metrics.end() ? nullptr : &it->second;
  }

  friend bool operator==(const QueryClass&, const QueryClass&) = default;
};

}  // namespace slowscope
