#include "analyzer/aggregate/metric_summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

MetricSummary summary_of(const std::vector<double>& values) {
  MetricSummary s;
  for (double v : values) s.add(v);
  return s;
}

// Slow-log style values: six decimals, heavy tail.
std::vector<double> slow_log_values(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(-5.0, 2.5);
  std::vector<double> out;
  for (size_t i = 0; i < n; ++i) out.push_back(std::round(d(rng) * 1e6) / 1e6);
  return out;
}

void expect_bit_identical(const MetricSummary& a, const MetricSummary& b) {
  EXPECT_EQ(a, b);
  EXPECT_EQ(std::bit_cast<uint64_t>(a.sum()), std::bit_cast<uint64_t>(b.sum()));
  EXPECT_EQ(std::bit_cast<uint64_t>(a.mean()), std::bit_cast<uint64_t>(b.mean()));
  EXPECT_EQ(std::bit_cast<uint64_t>(a.stddev()), std::bit_cast<uint64_t>(b.stddev()));
  EXPECT_EQ(std::bit_cast<uint64_t>(a.min()), std::bit_cast<uint64_t>(b.min()));
  EXPECT_EQ(std::bit_cast<uint64_t>(a.max()), std::bit_cast<uint64_t>(b.max()));
  for (double q : {0.0, 0.5, 0.95, 0.99, 1.0}) {
    EXPECT_EQ(std::bit_cast<uint64_t>(a.quantile(q)), std::bit_cast<uint64_t>(b.quantile(q)));
  }
  EXPECT_EQ(std::bit_cast<uint64_t>(a.percentile_95()), std::bit_cast<uint64_t>(b.percentile_95()));
}

TEST(MetricSummaryTest, MatchesTwoPassStatistics) {
  const std::vector<double> values = slow_log_values(100'000, 1);
  const MetricSummary s = summary_of(values);
  long double sum = 0;
  double lo = values[0], hi = values[0];
  for (double v : values) {
    sum += v;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const long double mean = sum / values.size();
  long double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double stddev = static_cast<double>(std::sqrt(squares / values.size()));

  EXPECT_EQ(s.count(), values.size());
  EXPECT_NEAR(s.sum(), static_cast<double>(sum), 1e-9 * static_cast<double>(sum));
  EXPECT_NEAR(s.mean(), static_cast<double>(mean), 1e-12 * static_cast<double>(mean));
  EXPECT_NEAR(s.stddev(), stddev, 1e-12 * stddev);
  EXPECT_NEAR(s.variance(), stddev * stddev, 1e-11 * stddev * stddev);
  EXPECT_EQ(s.min(), lo);
  EXPECT_EQ(s.max(), hi);
  EXPECT_EQ(s.quantile(0), lo);
  EXPECT_EQ(s.quantile(1), hi);

  std::vector<double> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  // Nearest rank: 1-based ceil(q * n); pt's 95%: floor(0.95 * n). Both within the
  // sketch's accuracy of the exact order statistic.
  const double a = QuantileSketch::kRelativeAccuracy;
  for (double q : {0.5, 0.95, 0.99}) {
    const double exact = sorted[static_cast<size_t>(std::ceil(q * sorted.size())) - 1];
    EXPECT_LE(std::abs(s.quantile(q) - exact) / exact, a) << q;
  }
  const double pt95 = sorted[static_cast<size_t>(std::floor(0.95 * sorted.size())) - 1];
  EXPECT_LE(std::abs(s.percentile_95() - pt95) / pt95, a);
  EXPECT_EQ(s.median(), s.quantile(0.5));
}

// Values 5% apart, value i at rank i: an estimate within the sketch's 0.5% still tells
// which rank it stands for.
std::vector<double> spread_values(size_t n) {
  std::vector<double> out;
  for (size_t i = n; i >= 1; --i) out.push_back(std::pow(1.05, static_cast<double>(i)));
  return out;
}

size_t rank_of(double estimate) {
  return static_cast<size_t>(std::lround(std::log(estimate) / std::log(1.05)));
}

TEST(MetricSummaryTest, SmallSetsKeepTheirSlowestCalls) {
  // The issue that made these rules: calls of 1 ms and 100 ms gave a p95 of 1 ms.
  const MetricSummary two = summary_of({0.001, 0.1});
  EXPECT_EQ(two.percentile_95(), 0.1);
  EXPECT_EQ(two.quantile(0.95), 0.1);
  EXPECT_EQ(two.quantile(0.99), 0.1);
  EXPECT_EQ(two.median(), 0.001);  // the lower median

  for (size_t n = 1; n <= 250; ++n) {
    SCOPED_TRACE(n);
    const MetricSummary s = summary_of(spread_values(n));
    // Nearest rank: ceil(q * n).
    EXPECT_EQ(rank_of(s.quantile(0.5)), (n + 1) / 2);
    EXPECT_EQ(rank_of(s.quantile(0.99)), static_cast<size_t>(std::ceil(0.99 * n - 1e-9)));
    EXPECT_EQ(rank_of(s.quantile(0.95)), static_cast<size_t>(std::ceil(0.95 * n - 1e-9)));
    // pt-query-digest's 95%: the largest below 10 values, then floor(0.95 n).
    const size_t pt_rank = n < 10 ? n : (95 * n) / 100;
    EXPECT_EQ(rank_of(s.percentile_95()), pt_rank);
  }
  // Where the two 95% rules part: 10 to 19 values, and 0.95 n not whole.
  EXPECT_EQ(rank_of(summary_of(spread_values(10)).percentile_95()), 9u);
  EXPECT_EQ(rank_of(summary_of(spread_values(10)).quantile(0.95)), 10u);
  EXPECT_EQ(rank_of(summary_of(spread_values(21)).percentile_95()), 19u);
  EXPECT_EQ(rank_of(summary_of(spread_values(21)).quantile(0.95)), 20u);
  EXPECT_EQ(rank_of(summary_of(spread_values(20)).percentile_95()), 19u);
}

TEST(MetricSummaryTest, ValuesBeyondTheRangeSaturateAndAreReported) {
  MetricSummary s;
  EXPECT_FALSE(s.add(1));
  EXPECT_FALSE(s.add(MetricSummary::kMaxMagnitude));
  EXPECT_TRUE(s.add(1e23));                     // "Rows_examined: 99999999999999999999999"
  EXPECT_TRUE(s.add(18446744073709551615.0));   // 2^64 - 1
  EXPECT_TRUE(s.add(INFINITY));
  EXPECT_TRUE(s.add(-INFINITY));
  EXPECT_FALSE(s.add(NAN));
  EXPECT_EQ(s.count(), 6u);
  EXPECT_EQ(s.max(), MetricSummary::kMaxMagnitude);
  EXPECT_EQ(s.min(), -MetricSummary::kMaxMagnitude);
  EXPECT_DOUBLE_EQ(s.sum(), 1 + 3 * MetricSummary::kMaxMagnitude);
  EXPECT_EQ(s.quantile(0.99), MetricSummary::kMaxMagnitude);
  EXPECT_LE(s.quantile(0.8), MetricSummary::kMaxMagnitude);
  // Saturated state is an ordinary state: it serializes and merges like any other.
  EXPECT_EQ(MetricSummary::deserialize(s.serialize()), s);
}

TEST(MetricSummaryTest, SmallExamplesByHand) {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population stddev 2.
  const MetricSummary s = summary_of({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(s.sum(), 40);
  EXPECT_EQ(s.mean(), 5);
  EXPECT_EQ(s.variance(), 4);
  EXPECT_EQ(s.stddev(), 2);

  // A spread of a millionth on top of a large mean: naive sum-of-squares in double would
  // cancel to garbage here.
  const MetricSummary tight = summary_of({1000.000001, 1000.000002, 1000.000001, 1000.000002});
  EXPECT_DOUBLE_EQ(tight.stddev(), 0.0000005);
  EXPECT_DOUBLE_EQ(tight.mean(), 1000.0000015);

  // Squares past 128 bits: the high word carries.
  const MetricSummary huge = summary_of({9e12, 9e12, 9e12, 0});
  EXPECT_DOUBLE_EQ(huge.mean(), 6.75e12);
  EXPECT_DOUBLE_EQ(huge.stddev(), std::sqrt(15.1875e24));
  EXPECT_DOUBLE_EQ(huge.sum(), 27e12);

  // Negative values are summed as given.
  const MetricSummary negative = summary_of({-1.5, 1.5, -3});
  EXPECT_EQ(negative.sum(), -3);
  EXPECT_EQ(negative.mean(), -1);
  EXPECT_EQ(negative.min(), -3);
  EXPECT_DOUBLE_EQ(negative.stddev(), std::sqrt((0.25 + 6.25 + 4) / 3));
  EXPECT_EQ(negative.quantile(0.5), 0);  // the sketch counts negatives as zero
  EXPECT_EQ(negative.quantile(0), -3);
}

TEST(MetricSummaryTest, EmptySingleAndConstant) {
  const MetricSummary empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.count(), 0u);
  EXPECT_EQ(empty.sum(), 0);
  EXPECT_EQ(empty.min(), 0);
  EXPECT_EQ(empty.max(), 0);
  EXPECT_EQ(empty.mean(), 0);
  EXPECT_EQ(empty.stddev(), 0);
  EXPECT_EQ(empty.quantile(0.95), 0);

  const MetricSummary one = summary_of({0.000123});
  EXPECT_EQ(one.count(), 1u);
  EXPECT_EQ(one.sum(), 0.000123);
  EXPECT_EQ(one.mean(), 0.000123);
  EXPECT_EQ(one.stddev(), 0);
  EXPECT_EQ(one.quantile(0.5), 0.000123);  // clamped to [min, max]

  const MetricSummary constant = summary_of(std::vector<double>(1000, 0.1));
  EXPECT_EQ(constant.stddev(), 0);
  EXPECT_EQ(constant.mean(), 0.1);
  EXPECT_EQ(constant.quantile(0.99), 0.1);

  MetricSummary ignored;
  ignored.add(NAN);
  EXPECT_TRUE(ignored.empty());
  EXPECT_THROW(one.quantile(2), std::logic_error);
}

TEST(MetricSummaryTest, SplitAndMergeIsBitIdentical) {
  const std::vector<double> values = slow_log_values(50'000, 2);
  const MetricSummary whole = summary_of(values);
  std::mt19937_64 rng(9);
  for (int round = 0; round < 20; ++round) {
    // Random contiguous chunks merged in order, as the parser threads do...
    std::vector<size_t> cuts = {0, values.size()};
    for (int i = 0; i < round % 6 + 1; ++i) cuts.push_back(rng() % values.size());
    std::sort(cuts.begin(), cuts.end());
    MetricSummary merged;
    for (size_t c = 0; c + 1 < cuts.size(); ++c) {
      MetricSummary part;
      for (size_t i = cuts[c]; i < cuts[c + 1]; ++i) part.add(values[i]);
      merged.merge(part);
    }
    expect_bit_identical(merged, whole);
    // ...and an arbitrary order, which must not matter either.
    std::vector<double> shuffled = values;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    expect_bit_identical(summary_of(shuffled), whole);
  }
}

TEST(MetricSummaryTest, SignOfZeroDoesNotDependOnOrder) {
  const MetricSummary a = summary_of({-0.0, 0.0, 1});
  const MetricSummary b = summary_of({0.0, -0.0, 1});
  expect_bit_identical(a, b);
  EXPECT_FALSE(std::signbit(a.min()));
}

TEST(MetricSummaryTest, SerializeRoundTripsExactly) {
  const std::vector<double> values = slow_log_values(20'000, 3);
  const MetricSummary first = summary_of({values.begin(), values.begin() + 7000});
  const MetricSummary second = summary_of({values.begin() + 7000, values.end()});
  // Stored, reloaded and merged: indistinguishable from never having left memory.
  MetricSummary reloaded = MetricSummary::deserialize(first.serialize());
  expect_bit_identical(reloaded, first);
  reloaded.merge(MetricSummary::deserialize(second.serialize()));
  expect_bit_identical(reloaded, summary_of(values));
  EXPECT_EQ(reloaded.serialize(), summary_of(values).serialize());

  for (const MetricSummary& m :
       {MetricSummary{}, summary_of({0.5}), summary_of({-2, 3}), summary_of({9e12, 9e12, 9e12})}) {
    expect_bit_identical(MetricSummary::deserialize(m.serialize()), m);
  }
}

TEST(MetricSummaryTest, DeserializeRejectsBadBytes) {
  const std::string good = summary_of({0.25, 0.5, 4}).serialize();
  ASSERT_NO_THROW(MetricSummary::deserialize(good));
  EXPECT_THROW(MetricSummary::deserialize(""), CorruptData);
  EXPECT_THROW(MetricSummary::deserialize("not a summary"), CorruptData);
  EXPECT_THROW(MetricSummary::deserialize(good + std::string(1, '\0')), CorruptData);
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_THROW(MetricSummary::deserialize(good.substr(0, n)), CorruptData) << n;
  }
  std::string wrong_count = good;
  wrong_count[2] = 4;  // count says 4, the sketch holds 3
  EXPECT_THROW(MetricSummary::deserialize(wrong_count), CorruptData);
  std::string swapped = good;  // min and max exchanged
  std::copy(good.begin() + 50, good.begin() + 58, swapped.begin() + 58);
  std::copy(good.begin() + 58, good.begin() + 66, swapped.begin() + 50);
  EXPECT_THROW(MetricSummary::deserialize(swapped), CorruptData);
  std::string version = good;
  version[1] = 2;
  EXPECT_THROW(MetricSummary::deserialize(version), CorruptData);
}

}  // namespace
}  // namespace slowscope
