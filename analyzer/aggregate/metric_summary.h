// MetricSummary: the statistics of one numeric attribute (Query_time, Rows_examined, ...)
// over a set of events: count, sum, min, max, mean, standard deviation and quantiles.
//
// Slow-log numbers carry at most six decimals, so sum and sum of squares are accumulated
// exactly as integers of micro-units and only turned into doubles when read. Together with
// an order-independent min/max and QuantileSketch, every result is bit-identical however
// the events were split across summaries and merged.
//
// Thread-safety: a value type; concurrent const use is safe, mutation needs exclusive
// access.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "analyzer/aggregate/quantile_sketch.h"

namespace slowscope {

class MetricSummary {
 public:
  // Largest magnitude counted: sums are exact integers of micro-units, and 9.2e12 units
  // (9.2e18 micro-units) keep every value and its square far from integer overflow. No
  // real counter or duration comes near it (2^64 - 1, which buggy servers log for "-1",
  // does).
  static constexpr double kMaxMagnitude = 9.2e12;

  // Counts `value`, rounded to the nearest micro-unit for sum, mean and stddev. A value
  // beyond +-kMaxMagnitude (infinities included) saturates: it counts as that bound
  // everywhere, min, max and quantiles too, and add() returns true so that the caller can
  // report it. NaN is ignored. Negative values are accepted but count as zero in the
  // quantile sketch.
  bool add(double value);

  // Adds every value counted by `other`; the result equals one summary fed both inputs.
  void merge(const MetricSummary& other);

  uint64_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Exact sum of the micro-rounded values, rounded once to double.
  double sum() const;
  // Smallest and largest value added; 0 when empty.
  double min() const { return count_ == 0 ? 0 : min_; }
  double max() const { return count_ == 0 ? 0 : max_; }
  // sum() / count(); 0 when empty.
  double mean() const;
  // Population variance and standard deviation (divide by n, as pt-query-digest does for
  // three or more values), from exact integer moments; 0 when empty.
  double variance() const;
  double stddev() const;
  // Nearest-rank q-quantile: the value of 1-based rank ceil(q * count()) (at least 1), so
  // that small sets keep their top values (p99 of two calls is the slower one; the median
  // is the lower median). Within QuantileSketch::kRelativeAccuracy of that value and
  // clamped to [min(), max()]; the ranks 1 and count() give min() and max() exactly. 0
  // when empty. Throws std::logic_error unless 0 <= q <= 1.
  double quantile(double q) const;
  double median() const { return quantile(0.5); }
  // pt-query-digest 3.x's "95%" rank rule: rank floor(0.95 * count()) from 10 values on,
  // and the largest value below 10 (so 1 and 100 give 100). Differs from quantile(0.95)
  // for 10 to 19 values (the second largest here) and by one rank where 0.95 * count()
  // is not a whole number. Same accuracy and exact ends as quantile(). 0 when empty.
  double percentile_95() const;
  // The value of 1-based rank `rank` (clamped to [1, count()]) as quantile() reports it.
  double value_at_rank(uint64_t rank) const;

  const QuantileSketch& sketch() const { return sketch_; }

  // Compact, versioned byte encoding of the whole state, exact integers included, so that
  // a stored summary merges as if it had never left memory.
  std::string serialize() const;
  // Inverse of serialize(). Throws CorruptData on bytes serialize() cannot
  // produce.
  static MetricSummary deserialize(std::string_view bytes);

  friend bool operator==(const MetricSummary&, const MetricSummary&) = default;

 private:
  __extension__ typedef __int128 Int128;
  __extension__ typedef unsigned __int128 UInt128;

  uint64_t count_ = 0;
  Int128 sum_micros_ = 0;
  // Sum of squared micro-units: each square fits in 126 bits, so 2^64 of them need 190.
  UInt128 sum_squares_low_ = 0;
  uint64_t sum_squares_high_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
  QuantileSketch sketch_;
};

}  // namespace slowscope
