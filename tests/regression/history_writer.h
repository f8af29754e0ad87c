// Test support for the regression suites: a target's history written into a real store, one
// cycle per minute, with per-call means the test chooses. Header-only (see
// tests/support/postgres_server.h).
#pragma once

#include <string>

#include "analyzer/store/store.h"

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

}  // namespace slowscope::testing
