#include "analyzer/aggregate/quantile_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

constexpr double kAlpha = QuantileSketch::kRelativeAccuracy;

// The order statistic QuantileSketch::quantile(q) promises to approximate.
double exact_quantile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  const auto rank = static_cast<size_t>(std::floor(q * static_cast<double>(sorted.size() - 1)));
  return sorted[rank];
}

double relative_error(double estimate, double exact) {
  return std::abs(estimate - exact) / std::abs(exact);
}

QuantileSketch sketch_of(const std::vector<double>& values) {
  QuantileSketch s;
  for (double v : values) s.add(v);
  return s;
}

TEST(QuantileSketchTest, EveryBucketEstimateIsWithinRelativeAccuracy) {
  // Sweep values densely across many octaves, hitting both ends of each mantissa range.
  double worst = 0;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-40, 40);
  for (int i = 0; i < 2'000'000; ++i) {
    const double v = std::exp2(exponent(rng));
    worst =
        std::max(worst, relative_error(QuantileSketch::value_of(QuantileSketch::index_of(v)), v));
  }
  for (double v :
       {DBL_MIN, 1e-300, 1e-6, 0.5, 1.0, 1.0 - 1e-16, 2.0, 3.999999, 1e6, 1e300, DBL_MAX / 2}) {
    worst =
        std::max(worst, relative_error(QuantileSketch::value_of(QuantileSketch::index_of(v)), v));
  }
  EXPECT_LE(worst, kAlpha);
  std::printf("worst relative error of a bucket estimate: %.6f%%\n", worst * 100);
}

TEST(QuantileSketchTest, IndexIsMonotone) {
  double v = 1e-7;
  int32_t previous = QuantileSketch::index_of(v);
  while (v < 1e7) {
    v = std::nextafter(v * 1.0001, INFINITY);
    const int32_t index = QuantileSketch::index_of(v);
    ASSERT_GE(index, previous) << v;
    previous = index;
  }
}

struct Distribution {
  const char* name;
  std::vector<double> values;
};

std::vector<Distribution> heavy_tailed_samples() {
  std::mt19937_64 rng(42);
  std::vector<Distribution> out;
  {
    std::lognormal_distribution<double> d(-4.0, 2.0);  // latencies around 20ms, long tail
    Distribution dist{"lognormal", {}};
    for (int i = 0; i < 200'000; ++i) dist.values.push_back(d(rng));
    out.push_back(std::move(dist));
  }
  {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    Distribution dist{"pareto", {}};
    for (int i = 0; i < 200'000; ++i) {
      dist.values.push_back(0.001 / std::pow(1.0 - u(rng), 1.0 / 1.2));  // shape 1.2
    }
    out.push_back(std::move(dist));
  }
  {
    // Rows_examined-like: integers with many repeats and zeros.
    std::geometric_distribution<int> g(0.001);
    Distribution dist{"geometric with zeros", {}};
    for (int i = 0; i < 100'000; ++i) dist.values.push_back(i % 10 == 0 ? 0 : g(rng));
    out.push_back(std::move(dist));
  }
  return out;
}

TEST(QuantileSketchTest, QuantilesOfHeavyTailedDataAreWithinOnePercent) {
  for (const Distribution& dist : heavy_tailed_samples()) {
    const QuantileSketch s = sketch_of(dist.values);
    ASSERT_EQ(s.count(), dist.values.size());
    for (double q : {0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0}) {
      const double exact = exact_quantile(dist.values, q);
      const double estimate = s.quantile(q);
      if (exact == 0) {
        EXPECT_EQ(estimate, 0) << dist.name << " q=" << q;
      } else {
        EXPECT_LE(relative_error(estimate, exact), 0.01) << dist.name << " q=" << q;
        // The design bound, with room only for the rounding of the bucket bounds.
        EXPECT_LE(relative_error(estimate, exact), kAlpha * (1 + 1e-9)) << dist.name << " q=" << q;
      }
    }
  }
}

TEST(QuantileSketchTest, EveryRankIsWithinRelativeAccuracy) {
  for (const Distribution& dist : heavy_tailed_samples()) {
    const QuantileSketch s = sketch_of(dist.values);
    std::vector<double> sorted = dist.values;
    std::sort(sorted.begin(), sorted.end());
    for (size_t rank = 0; rank < sorted.size(); rank += 1 + sorted.size() / 997) {
      const double estimate = s.value_at_rank(rank);
      if (sorted[rank] == 0) {
        EXPECT_EQ(estimate, 0) << dist.name << " rank " << rank;
      } else {
        EXPECT_LE(relative_error(estimate, sorted[rank]), kAlpha * (1 + 1e-9))
            << dist.name << " rank " << rank;
      }
    }
    // Past the end: the largest.
    EXPECT_EQ(s.value_at_rank(sorted.size() + 5), s.value_at_rank(sorted.size() - 1));
    EXPECT_EQ(s.quantile(0.95),
              s.value_at_rank(static_cast<uint64_t>(std::floor(0.95 * (sorted.size() - 1)))));
  }
  EXPECT_EQ(QuantileSketch().value_at_rank(0), 0);
}

TEST(QuantileSketchTest, MergingPartsEqualsSketchOfWhole) {
  for (const Distribution& dist : heavy_tailed_samples()) {
    const QuantileSketch whole = sketch_of(dist.values);
    for (size_t parts : {2u, 3u, 7u, 64u}) {
      std::vector<QuantileSketch> pieces(parts);
      // Interleave so that every part sees a different slice of the range.
      for (size_t i = 0; i < dist.values.size(); ++i) pieces[(i * 31) % parts].add(dist.values[i]);
      QuantileSketch merged;
      for (const QuantileSketch& p : pieces) merged.merge(p);
      EXPECT_EQ(merged, whole) << dist.name << " parts=" << parts;
      EXPECT_EQ(merged.serialize(), whole.serialize()) << dist.name << " parts=" << parts;
      // And in the other direction.
      QuantileSketch reversed;
      for (size_t i = parts; i-- > 0;) reversed.merge(pieces[i]);
      EXPECT_EQ(reversed.serialize(), whole.serialize()) << dist.name << " parts=" << parts;
    }
  }
}

TEST(QuantileSketchTest, CollapsesLowestBucketsOnceRangeIsTooWide) {
  // 1e-9 .. 1e9 spans far more than kMaxBuckets buckets.
  std::vector<double> values;
  for (int e = -9; e <= 9; ++e) {
    for (int k = 1; k < 10; ++k) values.push_back(k * std::pow(10.0, e));
  }
  const QuantileSketch whole = sketch_of(values);
  const std::vector<QuantileSketch::Bucket> buckets = whole.buckets();
  ASSERT_FALSE(buckets.empty());
  const int32_t lowest = QuantileSketch::index_of(buckets.front().value);
  const int32_t highest = QuantileSketch::index_of(buckets.back().value);
  EXPECT_LT(highest - lowest, QuantileSketch::kMaxBuckets);
  EXPECT_EQ(whole.count(), values.size());
  // The top is still accurate.
  EXPECT_LE(relative_error(whole.quantile(1.0), 9e9), kAlpha * (1 + 1e-9));
  EXPECT_LE(relative_error(whole.quantile(0.9), exact_quantile(values, 0.9)), kAlpha * (1 + 1e-9));

  // Collapsing depends only on the values, not on their order or split.
  std::vector<double> descending(values.rbegin(), values.rend());
  EXPECT_EQ(sketch_of(descending).serialize(), whole.serialize());
  std::mt19937_64 rng(3);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(values.begin(), values.end(), rng);
    QuantileSketch a, b;
    const size_t cut = rng() % values.size();
    for (size_t i = 0; i < values.size(); ++i) (i < cut ? a : b).add(values[i]);
    b.merge(a);
    EXPECT_EQ(b.serialize(), whole.serialize());
    EXPECT_EQ(sketch_of(values), whole);
  }
}

TEST(QuantileSketchTest, SparseAndDenseStorageAgree) {
  // Few buckets stay sparse, many become dense; equality and bytes must not care.
  std::vector<double> values;
  for (int i = 1; i <= 500; ++i) values.push_back(i * 0.001);
  QuantileSketch dense = sketch_of(values);
  QuantileSketch sparse_then_merged;
  for (double v : values) {
    QuantileSketch one;
    one.add(v);
    sparse_then_merged.merge(one);
  }
  EXPECT_EQ(dense, sparse_then_merged);
  EXPECT_EQ(QuantileSketch::deserialize(dense.serialize()), dense);

  // Dense first, then one huge value folds everything into one bucket; in the other order
  // the small values never leave the sorted vector. Same values, same sketch.
  QuantileSketch dense_then_huge = dense;
  dense_then_huge.add(1e12);
  QuantileSketch huge_first;
  huge_first.add(1e12);
  for (double v : values) huge_first.add(v);
  EXPECT_EQ(dense_then_huge, huge_first);
  EXPECT_EQ(dense_then_huge.serialize(), huge_first.serialize());
  EXPECT_EQ(huge_first.buckets().size(), 2u);
}

TEST(QuantileSketchTest, SerializeRoundTrips) {
  for (const Distribution& dist : heavy_tailed_samples()) {
    const QuantileSketch s = sketch_of(dist.values);
    const std::string bytes = s.serialize();
    const QuantileSketch back = QuantileSketch::deserialize(bytes);
    EXPECT_EQ(back, s);
    EXPECT_EQ(back.serialize(), bytes);
    for (double q : {0.0, 0.5, 0.95, 0.99, 1.0}) EXPECT_EQ(back.quantile(q), s.quantile(q));
    // Compact: a few bytes per bucket, independent of the number of values.
    EXPECT_LT(bytes.size(), 4 * s.buckets().size() + 32) << dist.name;
  }
  const QuantileSketch empty;
  EXPECT_EQ(QuantileSketch::deserialize(empty.serialize()), empty);
  EXPECT_EQ(empty.serialize().size(), 4u);

  QuantileSketch big;
  big.add(1.5, uint64_t{1} << 62);
  big.add(0, 3);
  EXPECT_EQ(QuantileSketch::deserialize(big.serialize()), big);
}

// Sketches are stored in users' stores: bytes serialized before the varint codec was
// shared with collector checkpoints still read as the same sketch, and the same sketch
// still serializes to them.
TEST(QuantileSketchTest, ReadsASketchStoredBefore) {
  const std::string stored(
      "\x51\x01\x03\x06\x89\x13\x01\xb2\x03\x07\xd6\x02\x02\xe3\x03\x87"
      "\x94\xeb\xdc\x03\x1c\x01\xf3\x05\x05",
      25);
  QuantileSketch s;
  s.add(0.0, 3);
  s.add(1e-6);
  s.add(0.00042, 7);
  s.add(0.0125, 2);
  s.add(1.5, 1000000007);
  s.add(2.0);
  s.add(3600.0, 5);
  EXPECT_EQ(s.serialize(), stored);

  const QuantileSketch back = QuantileSketch::deserialize(stored);
  EXPECT_EQ(back, s);
  EXPECT_EQ(back.count(), 1000000026u);
  EXPECT_EQ(back.zero_count(), 3u);
  const std::vector<QuantileSketch::Bucket> buckets = back.buckets();
  ASSERT_EQ(buckets.size(), 6u);
  const std::vector<uint64_t> counts = {1, 7, 2, 1000000007, 1, 5};
  const std::vector<double> lowers = {5.6093838168248853e-06, 0.00041696863440203317,
                                      0.012441201527574256,   1.5,
                                      2,                      3568.3807463101966};
  for (size_t i = 0; i < buckets.size(); ++i) {
    EXPECT_EQ(buckets[i].count, counts[i]) << i;
    EXPECT_EQ(buckets[i].lower, lowers[i]) << i;
  }
}

// Bytes that do not decode are stored data gone bad, not a user's input: a command that
// reads them fails with its own code rather than the usage code InvalidInput gets.
TEST(QuantileSketchTest, UndecodableBytesAreCorruptDataNotInvalidInput) {
  try {
    QuantileSketch::deserialize("garbage");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    FAIL() << "an input error: " << e.what();
  } catch (const CorruptData& e) {
    EXPECT_STREQ(e.what(), "QuantileSketch: not a serialized sketch");
  }
  // A caller's out-of-range quantile is a bug in slowscope, neither input nor data.
  QuantileSketch s;
  s.add(1.0);
  try {
    (void)s.quantile(2);
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    FAIL() << "an input error: " << e.what();
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "QuantileSketch: q must be in [0, 1]");
  }
}

TEST(QuantileSketchTest, DeserializeRejectsBadBytes) {
  QuantileSketch s;
  for (double v : {0.0, 0.001, 0.002, 0.5, 3.0}) s.add(v);
  const std::string good = s.serialize();
  ASSERT_NO_THROW(QuantileSketch::deserialize(good));

  EXPECT_THROW(QuantileSketch::deserialize(""), CorruptData);
  EXPECT_THROW(QuantileSketch::deserialize("garbage"), CorruptData);
  EXPECT_THROW(QuantileSketch::deserialize(good + "x"), CorruptData);
  std::string wrong_version = good;
  wrong_version[1] = 9;
  EXPECT_THROW(QuantileSketch::deserialize(wrong_version), CorruptData);
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_THROW(QuantileSketch::deserialize(good.substr(0, n)), CorruptData) << n;
  }
  const std::string header = good.substr(0, 2);
  // A bucket with a zero count.
  EXPECT_THROW(QuantileSketch::deserialize(header + std::string("\x00\x01\x02\x00", 4)),
               CorruptData);
  // More buckets than a sketch can hold.
  EXPECT_THROW(QuantileSketch::deserialize(header + std::string("\x00\xff\xff\x03", 4)),
               CorruptData);
  // Two buckets further apart than kMaxBuckets.
  EXPECT_THROW(QuantileSketch::deserialize(header + std::string("\x00\x02\x00\x01\x90\x10\x01", 7)),
               CorruptData);
  // An index no double maps to.
  EXPECT_THROW(QuantileSketch::deserialize(header + std::string("\x00\x01\xfe\xff\x7f\x01", 6)),
               CorruptData);
  // A varint longer than 64 bits.
  EXPECT_THROW(QuantileSketch::deserialize(
                   header + std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x00", 11)),
               CorruptData);
  // Counts that overflow the total.
  EXPECT_THROW(
      QuantileSketch::deserialize(
          header + std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01\x01\x00\x01", 13)),
      CorruptData);

  // Random corruption never crashes: it either throws or yields a consistent sketch.
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = good;
    bytes[rng() % bytes.size()] = static_cast<char>(rng());
    try {
      const QuantileSketch back = QuantileSketch::deserialize(bytes);
      EXPECT_EQ(back.serialize(), bytes);
    } catch (const CorruptData&) {
    }
  }
}

TEST(QuantileSketchTest, EmptyZeroAndSingleValue) {
  QuantileSketch empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.count(), 0u);
  EXPECT_EQ(empty.quantile(0.5), 0);
  EXPECT_TRUE(empty.buckets().empty());
  EXPECT_EQ(empty.decade_histogram(), (std::array<uint64_t, 8>{}));

  QuantileSketch zeros;
  zeros.add(0);
  zeros.add(-3);        // negatives count as zero
  zeros.add(1e-320);    // subnormal
  zeros.add(NAN);       // ignored
  zeros.add(INFINITY);  // ignored
  EXPECT_EQ(zeros.count(), 3u);
  EXPECT_EQ(zeros.zero_count(), 3u);
  EXPECT_EQ(zeros.quantile(0), 0);
  EXPECT_EQ(zeros.quantile(1), 0);

  QuantileSketch one;
  one.add(0.123456);
  EXPECT_EQ(one.count(), 1u);
  for (double q : {0.0, 0.5, 1.0}) {
    EXPECT_LE(relative_error(one.quantile(q), 0.123456), kAlpha);
  }
  EXPECT_THROW(one.quantile(-0.1), std::logic_error);
  EXPECT_THROW(one.quantile(1.1), std::logic_error);
  EXPECT_THROW(one.quantile(NAN), std::logic_error);

  QuantileSketch mixed;
  mixed.add(0, 9);
  mixed.add(2.0);
  EXPECT_EQ(mixed.quantile(0.5), 0);
  EXPECT_LE(relative_error(mixed.quantile(1), 2.0), kAlpha);

  QuantileSketch self;
  self.add(1.0);
  self.add(0);
  self.merge(self);
  EXPECT_EQ(self.count(), 4u);
  EXPECT_EQ(self.zero_count(), 2u);

  QuantileSketch repeated;
  repeated.add(0.25, 5);
  QuantileSketch one_by_one;
  for (int i = 0; i < 5; ++i) one_by_one.add(0.25);
  EXPECT_EQ(repeated, one_by_one);
}

TEST(QuantileSketchTest, DecadeHistogramMatchesPtQueryDigestRows) {
  QuantileSketch s;
  s.add(0);          // 1us row
  s.add(0.0000005);  // 1us row (below 1us)
  s.add(0.000002);   // 1us row
  s.add(0.00002);    // 10us
  s.add(0.0002);     // 100us
  s.add(0.002);      // 1ms
  s.add(0.02);       // 10ms
  s.add(0.2);        // 100ms
  s.add(2);          // 1s
  s.add(20);         // 10s+
  s.add(2000);       // 10s+
  EXPECT_EQ(s.decade_histogram(), (std::array<uint64_t, 8>{3, 1, 1, 1, 1, 1, 1, 2}));

  const std::vector<double> bounds = {1.0, 10.0};
  EXPECT_EQ(s.histogram(bounds), (std::vector<uint64_t>{8, 1, 2}));
  EXPECT_EQ(s.histogram({}), (std::vector<uint64_t>{11}));
  const std::vector<double> bad = {10.0, 1.0};
  EXPECT_THROW(s.histogram(bad), std::logic_error);

  uint64_t total = 0;
  for (const QuantileSketch::Bucket& b : s.buckets()) {
    EXPECT_LT(b.lower, b.upper);
    EXPECT_GE(b.value, b.lower);
    EXPECT_LE(b.value, b.upper);
    total += b.count;
  }
  EXPECT_EQ(total + s.zero_count(), s.count());
}

TEST(QuantileSketchTest, InsertCost) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> d(-4.0, 2.0);
  std::vector<double> values(1 << 20);
  for (double& v : values) v = d(rng);
  QuantileSketch s;
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 4; ++round) {
    for (double v : values) s.add(v);
  }
  const double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
      (4.0 * values.size());
  std::printf("QuantileSketch::add: %.1f ns per value (%zu buckets)\n", ns, s.buckets().size());
  EXPECT_EQ(s.count(), 4 * values.size());
}

}  // namespace
}  // namespace slowscope
