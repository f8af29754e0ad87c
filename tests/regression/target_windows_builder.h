// Builds the TargetWindows the detectors judge, bucket by bucket, as read_target_windows
// would from a store: per-shape sums, per-bucket counts and the target's totals.
#pragma once

#include <map>
#include <string>

#include "analyzer/regression/shape_windows.h"

namespace slowscope::testing {

class TargetWindowsBuilder {
 public:
  // Adds `calls` calls of `shape` in bucket `bucket` (minutes) of the baseline or the post
  // window, each of about `mean` seconds (spread 30%), with `rows` rows examined and
  // `blocks` shared blocks per call.
  TargetWindowsBuilder& add(const std::string& shape, bool post, int bucket, int64_t calls,
                            double mean = 0.010, double rows = 0, double blocks = 0) {
    ShapeWindows& s = shape_(shape);
    const StoreTime start{std::chrono::seconds((post ? 1'000'000 : 0) + bucket * 60)};
    Measures m;
    m.calls = calls;
    m.total_time = static_cast<double>(calls) * mean;
    m.sum_sq = static_cast<double>(calls) * mean * mean * (1 + 0.3 * 0.3);
    m.rows_examined = static_cast<int64_t>(rows * static_cast<double>(calls));
    m.shared_blks_hit = static_cast<int64_t>(blocks * static_cast<double>(calls));
    (post ? s.post : s.baseline) += m;
    (post ? s.post_buckets : s.baseline_buckets)
        .push_back({start, calls, m.rows_examined, m.shared_blks_hit, m.total_time});
    WindowTotals& totals = post ? windows_.post : windows_.baseline;
    totals.calls += calls;
    totals.total_time += m.total_time;
    totals.calls_by_bucket[start] += calls;
    return *this;
  }

  // `calls` calls a minute of `shape` in buckets [from, until) of a window.
  TargetWindowsBuilder& steady(const std::string& shape, bool post, int from, int until,
                               int64_t calls, double mean = 0.010, double rows = 0,
                               double blocks = 0) {
    for (int b = from; b < until; ++b) add(shape, post, b, calls, mean, rows, blocks);
    return *this;
  }

  TargetWindows build() const {
    TargetWindows w = windows_;
    w.target = "orders";
    w.post_span = std::chrono::minutes(30);
    for (const auto& [name, s] : shapes_) {
      w.shapes.push_back(s);
      w.shapes.back().post_span = w.post_span;
    }
    return w;
  }

 private:
  ShapeWindows& shape_(const std::string& name) {
    auto [it, added] = shapes_.try_emplace(name);
    if (added) {
      it->second.target = "orders";
      it->second.shape_hash = name;
      it->second.fingerprint = "select * from " + name;
    }
    return it->second;
  }

  TargetWindows windows_;
  std::map<std::string, ShapeWindows> shapes_;
};

}  // namespace slowscope::testing
