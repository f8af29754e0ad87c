// CheckpointWriter and CheckpointReader (connectors/common/checkpoint_codec.h), the binary
// form of collector checkpoints kept in users' stores: a blob written by the codec as it
// was when checkpoints were first stored still reads the same values, the writer still
// makes those bytes, and corrupt blobs are named as such.
#include "connectors/common/checkpoint_codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

// Written by CheckpointWriter before the varint codec was shared with quantile sketches:
// u64 0, 127, 128, 300, max; i64 0, -1, 1, -64, 64, min, max; f64 0.1, -2.5; str "shop",
// ""; opt_u64 none, 2^35; opt_i64 -300, none.
const std::string kStoredBlob(
    "\x00\x7f\x80\x01\xac\x02\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
    "\x00\x01\x02\x7f\x80\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
    "\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01\x9a\x99\x99\x99\x99\x99"
    "\xb9\x3f\x00\x00\x00\x00\x00\x00\x04\xc0\x04\x73\x68\x6f\x70\x00"
    "\x00\x01\x80\x80\x80\x80\x80\x01\x01\xd7\x04\x00",
    76);

void write_every_kind(CheckpointWriter& w) {
  w.u64(0);
  w.u64(127);
  w.u64(128);
  w.u64(300);
  w.u64(std::numeric_limits<uint64_t>::max());
  w.i64(0);
  w.i64(-1);
  w.i64(1);
  w.i64(-64);
  w.i64(64);
  w.i64(std::numeric_limits<int64_t>::min());
  w.i64(std::numeric_limits<int64_t>::max());
  w.f64(0.1);
  w.f64(-2.5);
  w.str("shop");
  w.str("");
  w.opt_u64(std::nullopt);
  w.opt_u64(uint64_t{1} << 35);
  w.opt_i64(-300);
  w.opt_i64(std::nullopt);
}

TEST(CheckpointCodec, WritesTheBytesStoredBefore) {
  CheckpointWriter w;
  write_every_kind(w);
  EXPECT_EQ(w.take(), kStoredBlob);
}

TEST(CheckpointCodec, ReadsABlobStoredBefore) {
  CheckpointReader r(kStoredBlob, "collector");
  EXPECT_EQ(r.u64(), 0u);
  EXPECT_EQ(r.u64(), 127u);
  EXPECT_EQ(r.u64(), 128u);
  EXPECT_EQ(r.u64(), 300u);
  EXPECT_EQ(r.u64(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(r.i64(), 0);
  EXPECT_EQ(r.i64(), -1);
  EXPECT_EQ(r.i64(), 1);
  EXPECT_EQ(r.i64(), -64);
  EXPECT_EQ(r.i64(), 64);
  EXPECT_EQ(r.i64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(r.i64(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(r.f64(), 0.1);
  EXPECT_EQ(r.f64(), -2.5);
  EXPECT_EQ(r.str(), "shop");
  EXPECT_EQ(r.str(), "");
  EXPECT_EQ(r.opt_u64(), std::nullopt);
  EXPECT_EQ(r.opt_u64(), uint64_t{1} << 35);
  EXPECT_EQ(r.opt_i64(), -300);
  EXPECT_EQ(r.opt_i64(), std::nullopt);
  EXPECT_TRUE(r.done());
}

std::string error_of(std::string_view blob) {
  CheckpointReader r(blob, "collector");
  try {
    r.u64();
  } catch (const CorruptData& e) {
    return e.what();
  }
  return "";
}

TEST(CheckpointCodec, CorruptVarintsAreNamed) {
  EXPECT_EQ(error_of(""), "collector checkpoint is corrupt: truncated");
  EXPECT_EQ(error_of("\x80\x80"), "collector checkpoint is corrupt: truncated");
  EXPECT_EQ(error_of("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x80\x01"),
            "collector checkpoint is corrupt: varint too long");
  // Read as they always were: the low 64 bits, and a redundant last zero byte.
  CheckpointReader wide("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", "collector");
  EXPECT_EQ(wide.u64(), std::numeric_limits<uint64_t>::max());
  CheckpointReader padded(std::string_view("\x85\x00", 2), "collector");
  EXPECT_EQ(padded.u64(), 5u);
  EXPECT_TRUE(padded.done());
}

}  // namespace
}  // namespace slowscope
