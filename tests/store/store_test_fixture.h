// The fixture of the store's history suites (store_write_test.cpp, store_query_test.cpp,
// store_rollup_test.cpp): round times, a server identity, a ledger that sums samples the
// way the store must, and StoreTest, a fresh store database per test on either backend.
// Header-only because every test binary is built from *_test.cpp files alone.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/store/store.h"
#include "tests/store/store_test_support.h"

namespace slowscope::testing {

// A UTC midnight, so that hour and day boundaries fall on round offsets.
inline constexpr int64_t kDay0 = 1'699'920'000;
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86400;

inline const ServerIdentity kServer{"7301234567890123456", "15"};

// Expected totals, summed the way the store must: per (target, shape), over buckets whose
// start lies in a range.
class Ledger {
 public:
  void add(const std::string& target, int64_t shape, const Sample& s) {
    rows_.push_back({target, shape, s.bucket_start.time_since_epoch().count(), s.measures});
  }
  std::map<std::pair<std::string, int64_t>, Measures> totals(int64_t since, int64_t until) const {
    std::map<std::pair<std::string, int64_t>, Measures> out;
    for (const auto& r : rows_) {
      if (r.bucket >= since && r.bucket < until) out[{r.target, r.shape}] += r.m;
    }
    return out;
  }
  Measures total(const std::string& target, int64_t shape, int64_t since, int64_t until) const {
    return totals(since, until)[{target, shape}];
  }

 private:
  struct Row {
    std::string target;
    int64_t shape;
    int64_t bucket;
    Measures m;
  };
  std::vector<Row> rows_;
};

class StoreTest : public BackendTest {
 protected:
  // Shape id of the statement `key` of `target`, as the store assigned it.
  int64_t shape_of(Store& store, const std::string& target, const StatementKey& key) {
    for (const auto& k : store.known_statements(target, kServer)) {
      if (k.key == key) return k.shape_id;
    }
    ADD_FAILURE() << "statement not stored";
    return -1;
  }
};

}  // namespace slowscope::testing
