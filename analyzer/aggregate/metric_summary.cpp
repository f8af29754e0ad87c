#include "analyzer/aggregate/metric_summary.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

constexpr double kMicrosPerUnit = 1e6;

// A 256-bit unsigned integer in little-endian 64-bit limbs: just enough arithmetic to
// form n * sum(x^2) - sum(x)^2 exactly, so that the variance loses nothing to
// cancellation when the spread is tiny next to the mean.
struct U256 {
  uint64_t limb[4] = {0, 0, 0, 0};

  void add(UInt128 v, int at) {
    UInt128 carry = v;
    for (int i = at; i < 4 && carry != 0; ++i) {
      const UInt128 s = static_cast<UInt128>(limb[i]) + static_cast<uint64_t>(carry);
      limb[i] = static_cast<uint64_t>(s);
      carry = (carry >> 64) + (s >> 64);
    }
  }
  void sub(const U256& o) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; ++i) {
      const uint64_t a = limb[i];
      const uint64_t d = a - o.limb[i] - borrow;
      borrow = (a < o.limb[i] || (a == o.limb[i] && borrow)) ? 1 : 0;
      limb[i] = d;
    }
  }
  long double to_long_double() const {
    long double v = 0;
    for (int i = 3; i >= 0; --i) v = v * 18446744073709551616.0L + limb[i];
    return v;
  }
};

U256 multiply(UInt128 a, UInt128 b) {
  const auto a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
  const auto b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
  U256 r;
  r.add(static_cast<UInt128>(a0) * b0, 0);
  r.add(static_cast<UInt128>(a0) * b1, 1);
  r.add(static_cast<UInt128>(a1) * b0, 1);
  r.add(static_cast<UInt128>(a1) * b1, 2);
  return r;
}

}  // namespace

bool MetricSummary::add(double value) {
  if (std::isnan(value)) return false;
  const bool saturated = value > kMaxMagnitude || value < -kMaxMagnitude;
  if (saturated) value = value > 0 ? kMaxMagnitude : -kMaxMagnitude;
  // -0.0 == 0.0, so without this the sign kept by min/max would depend on arrival order.
  value += 0.0;
  const double scaled = value * kMicrosPerUnit;
  // Round half away from zero with a plain conversion: the hot path avoids libm.
  const auto micros = static_cast<int64_t>(scaled + (scaled >= 0 ? 0.5 : -0.5));
  ++count_;
  sum_micros_ += micros;
  const UInt128 magnitude = micros >= 0 ? static_cast<UInt128>(micros)
                                        : static_cast<UInt128>(-static_cast<Int128>(micros));
  const UInt128 square = magnitude * magnitude;
  sum_squares_low_ += square;
  if (sum_squares_low_ < square) ++sum_squares_high_;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  sketch_.add(value);
  return saturated;
}

void MetricSummary::merge(const MetricSummary& other) {
  count_ += other.count_;
  sum_micros_ += other.sum_micros_;
  sum_squares_low_ += other.sum_squares_low_;
  sum_squares_high_ += other.sum_squares_high_;
  if (sum_squares_low_ < other.sum_squares_low_) ++sum_squares_high_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sketch_.merge(other.sketch_);
}

double MetricSummary::sum() const {
  return static_cast<double>(static_cast<long double>(sum_micros_) / kMicrosPerUnit);
}

double MetricSummary::mean() const {
  if (count_ == 0) return 0;
  return static_cast<double>(static_cast<long double>(sum_micros_) / count_ / kMicrosPerUnit);
}

double MetricSummary::variance() const {
  if (count_ == 0 || min_ == max_) return 0;
  U256 numerator = multiply(sum_squares_low_, count_);
  numerator.add(static_cast<UInt128>(sum_squares_high_) * count_, 2);
  const UInt128 magnitude =
      sum_micros_ >= 0 ? static_cast<UInt128>(sum_micros_) : static_cast<UInt128>(-sum_micros_);
  numerator.sub(multiply(magnitude, magnitude));
  const long double n = count_;
  const long double micros2 = numerator.to_long_double() / (n * n);
  return static_cast<double>(micros2 / (static_cast<long double>(kMicrosPerUnit) * kMicrosPerUnit));
}

double MetricSummary::stddev() const {
  return std::sqrt(variance());
}

double MetricSummary::quantile(double q) const {
  if (!(q >= 0 && q <= 1)) throw std::logic_error("MetricSummary: q must be in [0, 1]");
  const double n = static_cast<double>(count_);
  // q * n for a decimal q such as 0.95 can land a hair above the whole number it stands
  // for; the nudge keeps ceil() from taking the next rank (it moves nothing by a whole
  // rank below 10^10 values).
  return value_at_rank(static_cast<uint64_t>(std::ceil(q * n * (1 - 1e-12))));
}

double MetricSummary::percentile_95() const {
  // pt: my $cutoff = $n_vals >= 10 ? int ( $n_vals * 0.95 ) : $n_vals; the same double
  // product and truncation give the same rank.
  const uint64_t rank =
      count_ < 10 ? count_ : static_cast<uint64_t>(static_cast<double>(count_) * 0.95);
  return value_at_rank(rank);
}

double MetricSummary::value_at_rank(uint64_t rank) const {
  if (count_ == 0) return 0;
  if (rank <= 1) return min_;
  if (rank >= count_) return max_;
  return std::clamp(sketch_.value_at_rank(rank - 1), min_, max_);
}

namespace {

constexpr uint8_t kMagic = 0x4d;  // 'M'
constexpr uint8_t kFormatVersion = 1;

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t get_u64(std::string_view& in) {
  if (in.size() < 8) throw CorruptData("MetricSummary: truncated bytes");
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in[i])) << (8 * i);
  in.remove_prefix(8);
  return v;
}
void put_double(std::string& out, double v) {
  put_u64(out, std::bit_cast<uint64_t>(v));
}
double get_double(std::string_view& in) {
  return std::bit_cast<double>(get_u64(in));
}

}  // namespace

// Layout: magic, version, then little-endian fixed-width count, sum (two words), sum of
// squares (three words), min and max (IEEE bits), then the sketch's own encoding.
std::string MetricSummary::serialize() const {
  std::string out;
  out.push_back(static_cast<char>(kMagic));
  out.push_back(static_cast<char>(kFormatVersion));
  put_u64(out, count_);
  put_u64(out, static_cast<uint64_t>(static_cast<UInt128>(sum_micros_)));
  put_u64(out, static_cast<uint64_t>(static_cast<UInt128>(sum_micros_) >> 64));
  put_u64(out, static_cast<uint64_t>(sum_squares_low_));
  put_u64(out, static_cast<uint64_t>(sum_squares_low_ >> 64));
  put_u64(out, sum_squares_high_);
  put_double(out, min_);
  put_double(out, max_);
  out += sketch_.serialize();
  return out;
}

MetricSummary MetricSummary::deserialize(std::string_view bytes) {
  if (bytes.size() < 2 || static_cast<uint8_t>(bytes[0]) != kMagic) {
    throw CorruptData("MetricSummary: not a serialized summary");
  }
  if (static_cast<uint8_t>(bytes[1]) != kFormatVersion) {
    throw CorruptData("MetricSummary: unsupported format version");
  }
  bytes.remove_prefix(2);
  MetricSummary m;
  m.count_ = get_u64(bytes);
  const uint64_t sum_low = get_u64(bytes);
  const uint64_t sum_high = get_u64(bytes);
  m.sum_micros_ = static_cast<Int128>((static_cast<UInt128>(sum_high) << 64) | sum_low);
  const uint64_t squares_low = get_u64(bytes);
  const uint64_t squares_mid = get_u64(bytes);
  m.sum_squares_low_ = (static_cast<UInt128>(squares_mid) << 64) | squares_low;
  m.sum_squares_high_ = get_u64(bytes);
  m.min_ = get_double(bytes);
  m.max_ = get_double(bytes);
  m.sketch_ = QuantileSketch::deserialize(bytes);
  const bool consistent =
      m.sketch_.count() == m.count_ &&
      (m.count_ == 0
           ? m.sum_micros_ == 0 && m.sum_squares_low_ == 0 && m.sum_squares_high_ == 0 &&
                 m == MetricSummary{}
           : std::isfinite(m.min_) && std::isfinite(m.max_) && m.min_ <= m.max_ &&
                 !(m.min_ == 0 && std::signbit(m.min_)) && !(m.max_ == 0 && std::signbit(m.max_)));
  if (!consistent) throw CorruptData("MetricSummary: inconsistent state");
  return m;
}

}  // namespace slowscope
