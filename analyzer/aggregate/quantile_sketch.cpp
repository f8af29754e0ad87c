#include "analyzer/aggregate/quantile_sketch.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analyzer/codec/varint.h"
#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

// The bucket index is floor(m * L(v)) where L is a cheap stand-in for log2: the binary
// exponent plus a cubic in the mantissa that matches log2 at both ends of each octave
// (coefficients from DDSketch's CubicallyInterpolatedMapping). L's slope relative to log2
// never drops below 10 ln2 / 7, so a bucket spans at most a factor exp(7 / (10 m)) of true
// values. m = 70 makes that exp(0.01) < gamma = (1 + a) / (1 - a) for a = 0.5%: the
// harmonic-mean estimate is then within tanh(0.005) < 0.5% of anything in the bucket.
// That is 1% more buckets than an exact log would need, and no libm call on the hot path.
constexpr double kA = 6.0 / 35.0;
constexpr double kB = -3.0 / 5.0;
constexpr double kC = 10.0 / 7.0;
constexpr double kMultiplier = 70.0;

// Below this many distinct buckets, or while a dense array would be mostly empty, buckets
// stay in the sorted vector: most query classes see few distinct values.
constexpr size_t kSparseLimit = 64;
// Spare dense slots added on each growth so that a slowly widening range does not
// reallocate on every new extreme.
constexpr int32_t kDenseSlack = 32;

constexpr uint8_t kMagic = 0x51;  // 'Q'
constexpr uint8_t kFormatVersion = 1;

constexpr double approx_log2(double value) {
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  const int exponent = static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  const double s =
      std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL) - 1.0;
  return ((kA * s + kB) * s + kC) * s + exponent;
}

constexpr int32_t index_for(double value) {
  const double scaled = approx_log2(value) * kMultiplier;
  auto index = static_cast<int32_t>(scaled);
  if (scaled < index) --index;  // floor for negatives without a libm call
  return index;
}

constexpr int32_t kMinIndex = index_for(DBL_MIN);
constexpr int32_t kMaxIndex = index_for(DBL_MAX);
static_assert(kMaxIndex - kMinIndex < (1 << 20), "indices fit comfortably in int32");

// Inverse of approx_log2, returned as mantissa in [1, 2) and binary exponent so that the
// top bucket's upper bound does not overflow.
struct Split {
  double mantissa;
  int exponent;
};

Split approx_exp2(double log) {
  const double exponent = std::floor(log);
  const double t = log - exponent;
  // The cubic is increasing and concave on [0, 1], so Newton's method from s = t (where
  // P(t) >= t) converges monotonically; six steps reach full double precision.
  double s = t;
  for (int i = 0; i < 6; ++i) {
    const double p = ((kA * s + kB) * s + kC) * s;
    const double dp = (3 * kA * s + 2 * kB) * s + kC;
    s -= (p - t) / dp;
  }
  s = std::clamp(s, 0.0, 1.0);
  return {1.0 + s, static_cast<int>(exponent)};
}

// One varint of a serialized sketch. Only the shortest encoding of a value within 64 bits
// is read, so that a sketch that deserializes serializes to the same bytes.
uint64_t get_varint(std::string_view& in) {
  uint64_t v = 0;
  switch (read_varint(in, v)) {
    case VarintRead::kOk:
      return v;
    case VarintRead::kTruncated:
      throw CorruptData("QuantileSketch: truncated bytes");
    case VarintRead::kRedundantByte:
      throw CorruptData("QuantileSketch: bad varint");
    case VarintRead::kTooLong:
    case VarintRead::kOverflow:
      break;
  }
  throw CorruptData("QuantileSketch: varint overflow");
}

}  // namespace

int32_t QuantileSketch::index_of(double value) {
  return index_for(value);
}

double QuantileSketch::value_of(int32_t index) {
  const Split lo = approx_exp2(index / kMultiplier);
  const Split hi = approx_exp2((index + 1) / kMultiplier);
  // Harmonic mean of the bounds: its relative distance to either bound is
  // (r - 1) / (r + 1) <= kRelativeAccuracy for r = upper / lower <= gamma.
  const double ratio = std::ldexp(hi.mantissa / lo.mantissa, hi.exponent - lo.exponent);
  const double value = std::ldexp(lo.mantissa * 2 * ratio / (1 + ratio), lo.exponent);
  return std::min(value, DBL_MAX);
}

void QuantileSketch::add(double value, uint64_t times) {
  if (times == 0) return;
  // Comparisons rather than std::isfinite: NaN fails all of them and lands nowhere.
  if (value >= DBL_MIN) {
    if (value > DBL_MAX) return;
    const int32_t index = index_for(value);
    // Hot path: a dense sketch whose range already covers the value.
    if (dense_ && index >= min_index_ && index <= max_index_) {
      counts_[index - dense_offset_] += times;
      count_ += times;
      return;
    }
    add_index(index, times);
  } else if (value > -std::numeric_limits<double>::infinity()) {
    zero_count_ += times;
    count_ += times;
  }
}

void QuantileSketch::add_index(int32_t index, uint64_t times) {
  const bool no_buckets = count_ == zero_count_;
  count_ += times;
  if (no_buckets) {
    min_index_ = max_index_ = index;
  } else if (index > max_index_) {
    max_index_ = index;
    const int32_t floor = index - (kMaxBuckets - 1);
    if (min_index_ < floor) {
      // Indices only ever fold upward to the current floor and the floor only rises, so
      // each value ends in bucket max(index, final floor) whatever the insertion order.
      const uint64_t moved = store_remove_below(floor);
      min_index_ = floor;
      store_add(floor, moved);
    }
  } else if (index < min_index_) {
    index = std::max(index, max_index_ - (kMaxBuckets - 1));
    min_index_ = index;
  }
  store_add(index, times);
}

void QuantileSketch::store_add(int32_t index, uint64_t times) {
  if (dense_) {
    const int64_t slot = static_cast<int64_t>(index) - dense_offset_;
    if (slot < 0 || slot >= static_cast<int64_t>(counts_.size())) {
      dense_grow(index);
      counts_[index - dense_offset_] += times;
    } else {
      counts_[slot] += times;
    }
    return;
  }
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), index,
                             [](const SparseBucket& b, int32_t i) { return b.index < i; });
  if (it != sparse_.end() && it->index == index) {
    it->count += times;
    return;
  }
  sparse_.insert(it, SparseBucket{index, times});
  const auto span = static_cast<size_t>(max_index_ - min_index_ + 1);
  if (sparse_.size() > kSparseLimit && sparse_.size() * 4 >= span) to_dense();
}

uint64_t QuantileSketch::store_remove_below(int32_t floor) {
  uint64_t moved = 0;
  if (dense_) {
    const int64_t end = std::min<int64_t>(static_cast<int64_t>(floor) - dense_offset_,
                                          static_cast<int64_t>(counts_.size()));
    for (int64_t i = 0; i < end; ++i) {
      moved += counts_[i];
      counts_[i] = 0;
    }
    return moved;
  }
  auto it = std::lower_bound(sparse_.begin(), sparse_.end(), floor,
                             [](const SparseBucket& b, int32_t i) { return b.index < i; });
  for (auto b = sparse_.begin(); b != it; ++b) moved += b->count;
  sparse_.erase(sparse_.begin(), it);
  return moved;
}

void QuantileSketch::dense_grow(int32_t index) {
  (void)index;  // min_index_ and max_index_ already include it
  const int32_t lo = std::max(min_index_ - kDenseSlack, max_index_ - (kMaxBuckets - 1));
  const int32_t hi = max_index_ + 1 + kDenseSlack;
  std::vector<uint64_t> grown(static_cast<size_t>(hi - lo), 0);
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    // Everything below the floor was folded already, so old counts all fit.
    grown[dense_offset_ + static_cast<int32_t>(i) - lo] = counts_[i];
  }
  counts_ = std::move(grown);
  dense_offset_ = lo;
}

void QuantileSketch::to_dense() {
  dense_ = true;
  counts_.clear();
  dense_offset_ = min_index_;
  dense_grow(min_index_);
  for (const SparseBucket& b : sparse_) counts_[b.index - dense_offset_] = b.count;
  std::vector<SparseBucket>().swap(sparse_);
}

template <typename F>
void QuantileSketch::for_each_bucket(F&& f) const {
  if (dense_) {
    for (size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i] != 0) f(dense_offset_ + static_cast<int32_t>(i), counts_[i]);
    }
  } else {
    for (const SparseBucket& b : sparse_) f(b.index, b.count);
  }
}

void QuantileSketch::merge(const QuantileSketch& other) {
  if (&other == this) {
    const QuantileSketch copy = other;
    merge(copy);
    return;
  }
  zero_count_ += other.zero_count_;
  count_ += other.zero_count_;
  if (other.count_ == other.zero_count_) return;
  // The other's highest bucket first: it fixes the floor once, so the rest neither
  // collapse repeatedly nor grow the dense array one step at a time.
  uint64_t top_count = 0;
  other.for_each_bucket([&](int32_t index, uint64_t count) {
    if (index == other.max_index_) top_count = count;
  });
  add_index(other.max_index_, top_count);
  other.for_each_bucket([&](int32_t index, uint64_t count) {
    if (index != other.max_index_) add_index(index, count);
  });
}

double QuantileSketch::quantile(double q) const {
  if (!(q >= 0 && q <= 1)) throw std::logic_error("QuantileSketch: q must be in [0, 1]");
  if (count_ == 0) return 0;
  return value_at_rank(static_cast<uint64_t>(std::floor(q * static_cast<double>(count_ - 1))));
}

double QuantileSketch::value_at_rank(uint64_t rank) const {
  if (count_ == 0) return 0;
  rank = std::min(rank, count_ - 1);
  uint64_t seen = zero_count_;
  if (seen > rank) return 0;
  double result = 0;
  bool found = false;
  for_each_bucket([&](int32_t index, uint64_t count) {
    if (found) return;
    seen += count;
    if (seen > rank) {
      result = value_of(index);
      found = true;
    }
  });
  return result;
}

std::vector<QuantileSketch::Bucket> QuantileSketch::buckets() const {
  std::vector<Bucket> out;
  for_each_bucket([&](int32_t index, uint64_t count) {
    const Split lo = approx_exp2(index / kMultiplier);
    const Split hi = approx_exp2((index + 1) / kMultiplier);
    out.push_back(Bucket{std::ldexp(lo.mantissa, lo.exponent), std::ldexp(hi.mantissa, hi.exponent),
                         value_of(index), count});
  });
  return out;
}

std::vector<uint64_t> QuantileSketch::histogram(std::span<const double> upper_bounds) const {
  for (size_t i = 1; i < upper_bounds.size(); ++i) {
    if (!(upper_bounds[i - 1] < upper_bounds[i])) {
      throw std::logic_error("QuantileSketch: histogram bounds must ascend");
    }
  }
  std::vector<uint64_t> out(upper_bounds.size() + 1, 0);
  auto slot = [&](double v) {
    return static_cast<size_t>(std::upper_bound(upper_bounds.begin(), upper_bounds.end(), v) -
                               upper_bounds.begin());
  };
  out[slot(0)] += zero_count_;
  for_each_bucket([&](int32_t index, uint64_t count) { out[slot(value_of(index))] += count; });
  return out;
}

std::array<uint64_t, 8> QuantileSketch::decade_histogram() const {
  const std::vector<uint64_t> h = histogram(kDecadeBounds);
  std::array<uint64_t, 8> out{};
  std::copy(h.begin(), h.end(), out.begin());
  return out;
}

// Layout: magic, version, varint zero count, varint bucket count, then per bucket in
// ascending index order the index (zigzag varint for the first, varint gap - 1 after)
// and a varint count. Buckets are canonical, so equal sketches encode identically.
std::string QuantileSketch::serialize() const {
  std::string out;
  out.push_back(static_cast<char>(kMagic));
  out.push_back(static_cast<char>(kFormatVersion));
  append_varint(out, zero_count_);
  uint64_t n = 0;
  for_each_bucket([&](int32_t, uint64_t) { ++n; });
  append_varint(out, n);
  bool first = true;
  int32_t previous = 0;
  for_each_bucket([&](int32_t index, uint64_t count) {
    if (first) {
      append_varint(out, zigzag(index));
      first = false;
    } else {
      append_varint(out, static_cast<uint64_t>(index - previous - 1));
    }
    previous = index;
    append_varint(out, count);
  });
  return out;
}

QuantileSketch QuantileSketch::deserialize(std::string_view bytes) {
  if (bytes.size() < 2 || static_cast<uint8_t>(bytes[0]) != kMagic) {
    throw CorruptData("QuantileSketch: not a serialized sketch");
  }
  if (static_cast<uint8_t>(bytes[1]) != kFormatVersion) {
    throw CorruptData("QuantileSketch: unsupported format version");
  }
  bytes.remove_prefix(2);
  QuantileSketch sketch;
  const uint64_t zeros = get_varint(bytes);
  sketch.zero_count_ = zeros;
  sketch.count_ = zeros;
  const uint64_t n = get_varint(bytes);
  if (n > static_cast<uint64_t>(kMaxBuckets)) {
    throw CorruptData("QuantileSketch: too many buckets");
  }
  int64_t index = 0;
  int64_t first = 0;
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t step = get_varint(bytes);
    if (i == 0) {
      index = unzigzag(step);
      first = index;
    } else {
      if (step >= static_cast<uint64_t>(kMaxBuckets)) {
        throw CorruptData("QuantileSketch: bucket range too wide");
      }
      index += static_cast<int64_t>(step) + 1;
    }
    if (index < kMinIndex || index > kMaxIndex) {
      throw CorruptData("QuantileSketch: bucket index out of range");
    }
    if (index - first >= kMaxBuckets) {
      throw CorruptData("QuantileSketch: bucket range too wide");
    }
    const uint64_t count = get_varint(bytes);
    if (count == 0) throw CorruptData("QuantileSketch: empty bucket");
    if (count > std::numeric_limits<uint64_t>::max() - sketch.count_) {
      throw CorruptData("QuantileSketch: count overflow");
    }
    sketch.add_index(static_cast<int32_t>(index), count);
  }
  if (!bytes.empty()) throw CorruptData("QuantileSketch: trailing bytes");
  return sketch;
}

bool operator==(const QuantileSketch& a, const QuantileSketch& b) {
  if (a.count_ != b.count_ || a.zero_count_ != b.zero_count_) return false;
  std::vector<std::pair<int32_t, uint64_t>> left;
  std::vector<std::pair<int32_t, uint64_t>> right;
  a.for_each_bucket([&](int32_t i, uint64_t c) { left.emplace_back(i, c); });
  b.for_each_bucket([&](int32_t i, uint64_t c) { right.emplace_back(i, c); });
  return left == right;
}

}  // namespace slowscope
