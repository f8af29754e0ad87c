// QuantileSketch: a mergeable, bounded-memory quantile estimator for non-negative values
// (latencies, row counts, byte counts), in the style of DDSketch.
//
// Positive values fall into logarithmic buckets whose upper/lower ratio is at most
// (1 + a) / (1 - a) with a = kRelativeAccuracy, so every quantile is reported within a
// relative error of a of the exact order statistic it stands for. Zero gets its own count.
// At most kMaxBuckets consecutive bucket indices are kept: when the values span more, the
// lowest buckets are folded into the lowest kept one, so memory does not grow with the
// number of values and only the low quantiles of extremely wide distributions lose accuracy.
//
// The state is a pure function of the multiset of values added: add() order, and how the
// values were split across sketches before merge(), cannot change it, and serialize() of
// equal sketches gives identical bytes.
//
// Thread-safety: a value type with no shared state; concurrent const use is safe, any
// mutation needs exclusive access.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace slowscope {

class QuantileSketch {
 public:
  static constexpr double kRelativeAccuracy = 0.005;
  static constexpr int kMaxBuckets = 2048;

  // One bucket of positive values: every value v counted here had lower <= v < upper (up
  // to rounding of the bounds), except that the lowest bucket also holds the values folded
  // into it when they spanned more than kMaxBuckets; `value` is the estimate reported.
  struct Bucket {
    double lower = 0;
    double upper = 0;
    double value = 0;
    uint64_t count = 0;
  };

  // Upper bounds of the coarse latency histogram that pt-query-digest draws, in seconds:
  // 1us (and below), 10us, 100us, 1ms, 10ms, 100ms, 1s, 10s+.
  static constexpr std::array<double, 7> kDecadeBounds = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1};

  QuantileSketch() = default;

  // Counts `value`. Values below the smallest normal double (including negatives) count as
  // zero; NaN and infinities are ignored.
  void add(double value) { add(value, 1); }
  // Counts `value` `times` times; identical to calling add(value) that often.
  void add(double value, uint64_t times);

  // Adds every value counted by `other`; the result equals one sketch fed both inputs.
  void merge(const QuantileSketch& other);

  // Number of values counted, zeros included.
  uint64_t count() const { return count_; }
  // Number of values counted as zero.
  uint64_t zero_count() const { return zero_count_; }
  bool empty() const { return count_ == 0; }

  // Estimate of the value of rank floor(q * (count() - 1)) in sorted order, within
  // kRelativeAccuracy of it; 0 for an empty sketch. Throws std::logic_error unless
  // 0 <= q <= 1.
  double quantile(double q) const;
  // Estimate of the value of 0-based rank `rank` in sorted order (count() - 1 when larger),
  // within kRelativeAccuracy of it; 0 for an empty sketch. For other rank rules than
  // quantile()'s (MetricSummary's nearest rank and pt-query-digest's 95%).
  double value_at_rank(uint64_t rank) const;

  // Non-empty positive buckets in ascending order (zeros are in zero_count()).
  std::vector<Bucket> buckets() const;

  // Counts per interval delimited by ascending `upper_bounds`: element i counts values
  // below upper_bounds[i] and not counted before; the last element counts the rest, so the
  // result has upper_bounds.size() + 1 elements. A bucket is placed by its estimate, so a
  // value within kRelativeAccuracy of a bound may land on either side. Throws
  // std::logic_error unless the bounds strictly ascend.
  std::vector<uint64_t> histogram(std::span<const double> upper_bounds) const;
  // histogram(kDecadeBounds): pt-query-digest's eight latency rows, values in seconds.
  std::array<uint64_t, 8> decade_histogram() const;

  // Compact, versioned byte encoding of the whole state.
  std::string serialize() const;
  // Inverse of serialize(). Throws CorruptData on bytes serialize() cannot
  // produce (wrong version, truncation, trailing bytes, impossible buckets).
  static QuantileSketch deserialize(std::string_view bytes);

  // Equal when they count the same values, whatever their storage layout.
  friend bool operator==(const QuantileSketch& a, const QuantileSketch& b);

  // Bucket index of a positive normal value and the estimate reported for an index;
  // exposed so that tests can check the accuracy bound directly.
  static int32_t index_of(double value);
  static double value_of(int32_t index);

 private:
  struct SparseBucket {
    int32_t index;
    uint64_t count;
  };

  void add_index(int32_t index, uint64_t times);
  void store_add(int32_t index, uint64_t times);
  uint64_t store_remove_below(int32_t floor);
  void dense_grow(int32_t index);
  void to_dense();
  template <typename F>
  void for_each_bucket(F&& f) const;

  uint64_t count_ = 0;
  uint64_t zero_count_ = 0;
  // Lowest and highest index with a non-zero count; meaningful when count_ > zero_count_.
  int32_t min_index_ = 0;
  int32_t max_index_ = 0;
  // Few distinct buckets (the common case for a query class that ran a handful of times)
  // live in a sorted vector; many live in a dense array starting at dense_offset_.
  bool dense_ = false;
  std::vector<SparseBucket> sparse_;
  std::vector<uint64_t> counts_;
  int32_t dense_offset_ = 0;
};

}  // namespace slowscope
