// Test support for the regression suites: a target's history written into a real store, one
// cycle per minute with per-call means the test chooses, or one hour a day for trends. Header-only
// (see tests/support/postgres_server.h).
#pragma once

#include <string>

#include "analyzer/store/store.h"
#include "analyzer/store/tiers.h"

namespace slowscope::testing {

constexpr int64_t kHistoryInterval = 60;

// Writes one sample per minute over [from, until) to target "orders" for shapes "fast" and
// "slow" (hashes "shape-fast", "shape-slow"), whose per-call means are given by
// mean_of(name, bucket start) in seconds: 20 calls a minute, spread 30%; a negative mean
// means the shape did not run that minute.
template <typename MeanOf>
void write_history(Store& store, int64_t from, int64_t until, MeanOf mean_of) {
  const ServerIdentity server{"7300000000000000001", "15"};
  bool first = true;
  for (int64_t t = from; t < until; t += kHistoryInterval) {
    CycleWrite cycle{
        "orders", server, StoreTime(std::chrono::seconds(t + kHistoryInterval)), {}, {}, {}, {}};
    for (const std::string name : {"fast", "slow"}) {
      const StatementKey key{"1", "10", name, true};
      if (first) {
        cycle.new_statements.push_back(
            {key, ShapeInfo{"shape-" + name, "select * from " + name + " where id = ?", {}}, "q"});
      }
      const double mean = mean_of(name, t);
      if (mean < 0) continue;
      Sample s;
      s.key = key;
      s.bucket_start = StoreTime(std::chrono::seconds(t));
      s.interval = std::chrono::seconds(kHistoryInterval);
      s.measures.calls = 20;
      s.measures.total_time = 20 * mean;
      s.measures.sum_sq = 20 * mean * mean * (1 + 0.3 * 0.3);
      cycle.samples.push_back(s);
    }
    first = false;
    store.write_cycle(cycle);
  }
}

// One hour of 3,000 calls a day, at noon, for each of the 20 days before today (UTC, by the
// system clock), for shapes "steady" and "creeping" ("shape-steady", "shape-creeping") of
// `target`; with `creeping`, the latter gets 4 % of its first day's latency slower every day.
inline void write_daily_history(Store& store, const std::string& target, bool creeping) {
  store.ensure_target(target, Engine::kPostgres);
  const ServerIdentity server{"7300000000000000001", "15"};
  const int64_t today = floor_to(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count(),
                                 kSecondsPerDay);
  for (int d = 20; d >= 1; --d) {
    const int64_t noon = today - d * kSecondsPerDay + 12 * kSecondsPerHour;
    CycleWrite cycle{target, server, StoreTime(std::chrono::seconds(noon + 3600)), {}, {}, {}, {}};
    for (const std::string name : {"steady", "creeping"}) {
      const StatementKey key{"1", "10", name, true};
      if (d == 20) {
        cycle.new_statements.push_back(
            {key, ShapeInfo{"shape-" + name, "select * from " + name + " where id = ?", {}}, "q"});
      }
      const double mean = name == "creeping" && creeping ? 0.010 * (1 + 0.04 * (20 - d)) : 0.010;
      Sample s;
      s.key = key;
      s.bucket_start = StoreTime(std::chrono::seconds(noon));
      s.interval = std::chrono::seconds(3600);
      s.measures.calls = 3000;
      s.measures.total_time = 3000 * mean;
      s.measures.sum_sq = 3000 * mean * mean * 1.09;
      cycle.samples.push_back(s);
    }
    store.write_cycle(cycle);
  }
}

}  // namespace slowscope::testing
