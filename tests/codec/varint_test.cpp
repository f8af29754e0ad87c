// The LEB128 varint codec shared by quantile sketches and collector checkpoints: exact bytes
// for edge values (both formats are stored in users' stores, so these never change),
// round trips, and what each malformed input reads as.
#include "analyzer/codec/varint.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>

namespace slowscope {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

std::string encoded(uint64_t value) {
  std::string out;
  append_varint(out, value);
  return out;
}

// read_varint over the whole of `bytes`: its outcome, the value, and how many bytes it read.
struct Read {
  VarintRead outcome;
  uint64_t value;
  size_t consumed;
};
Read read_all(std::string_view bytes) {
  std::string_view in = bytes;
  uint64_t value = 0;
  const VarintRead outcome = read_varint(in, value);
  return {outcome, value, bytes.size() - in.size()};
}

TEST(Varint, EdgeValuesHaveTheirFixedBytes) {
  EXPECT_EQ(encoded(0), std::string("\x00", 1));
  EXPECT_EQ(encoded(1), "\x01");
  EXPECT_EQ(encoded(127), "\x7f");
  EXPECT_EQ(encoded(128), "\x80\x01");
  EXPECT_EQ(encoded(300), "\xac\x02");
  EXPECT_EQ(encoded(16383), "\xff\x7f");
  EXPECT_EQ(encoded(16384), "\x80\x80\x01");
  EXPECT_EQ(encoded(uint64_t{1} << 63), "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01");
  EXPECT_EQ(encoded(kMax), "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
}

TEST(Varint, AppendsAfterWhatIsThere) {
  std::string out = "ab";
  append_varint(out, 300);
  append_varint(out, 5);
  EXPECT_EQ(out, "ab\xac\x02\x05");
  std::string_view in = std::string_view(out).substr(2);
  uint64_t first = 0;
  uint64_t second = 0;
  EXPECT_EQ(read_varint(in, first), VarintRead::kOk);
  EXPECT_EQ(read_varint(in, second), VarintRead::kOk);
  EXPECT_EQ(first, 300u);
  EXPECT_EQ(second, 5u);
  EXPECT_TRUE(in.empty());
}

TEST(Varint, RoundTripsEveryBitLength) {
  std::mt19937_64 rng(7);
  for (int bits = 0; bits <= 64; ++bits) {
    for (int i = 0; i < 50; ++i) {
      const uint64_t value = bits == 0 ? 0 : (rng() >> (64 - bits)) | (uint64_t{1} << (bits - 1));
      const std::string bytes = encoded(value);
      EXPECT_EQ(bytes.size(), bits == 0 ? 1u : static_cast<size_t>((bits + 6) / 7));
      const Read back = read_all(bytes);
      EXPECT_EQ(back.outcome, VarintRead::kOk) << value;
      EXPECT_EQ(back.value, value);
      EXPECT_EQ(back.consumed, bytes.size());
    }
  }
}

TEST(Varint, ZigzagKeepsSmallNegativeNumbersSmall) {
  EXPECT_EQ(zigzag(0), 0u);
  EXPECT_EQ(zigzag(-1), 1u);
  EXPECT_EQ(zigzag(1), 2u);
  EXPECT_EQ(zigzag(-64), 127u);
  EXPECT_EQ(zigzag(64), 128u);
  EXPECT_EQ(zigzag(std::numeric_limits<int64_t>::max()), kMax - 1);
  EXPECT_EQ(zigzag(std::numeric_limits<int64_t>::min()), kMax);
  for (const int64_t v : {int64_t{0}, int64_t{-1}, int64_t{1}, int64_t{-300}, int64_t{1} << 40,
                          std::numeric_limits<int64_t>::min(),
                          std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(unzigzag(zigzag(v)), v);
  }
}

TEST(Varint, MalformedInputSaysWhatIsWrong) {
  // Empty, or ending while a byte says more follow.
  EXPECT_EQ(read_all("").outcome, VarintRead::kTruncated);
  EXPECT_EQ(read_all("\x80").outcome, VarintRead::kTruncated);
  EXPECT_EQ(read_all("\xff\xff").outcome, VarintRead::kTruncated);
  // Ten bytes that all say more follow: it stops after the tenth.
  const Read too_long = read_all("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x81\x01");
  EXPECT_EQ(too_long.outcome, VarintRead::kTooLong);
  EXPECT_EQ(too_long.consumed, 10u);
  // A tenth byte above 1 holds bits beyond 64; the value keeps the low 64.
  const Read overflow = read_all("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f");
  EXPECT_EQ(overflow.outcome, VarintRead::kOverflow);
  EXPECT_EQ(overflow.value, kMax);
  // A last zero byte after the first: the value is right but not in its shortest form.
  const Read redundant = read_all(std::string_view("\x85\x00", 2));
  EXPECT_EQ(redundant.outcome, VarintRead::kRedundantByte);
  EXPECT_EQ(redundant.value, 5u);
  EXPECT_EQ(redundant.consumed, 2u);
  EXPECT_EQ(read_all(std::string_view("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 10)).outcome,
            VarintRead::kRedundantByte);
  // A lone zero byte is the shortest form of 0.
  EXPECT_EQ(read_all(std::string_view("\x00", 1)).outcome, VarintRead::kOk);
}

}  // namespace
}  // namespace slowscope
