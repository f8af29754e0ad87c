// LEB128 varints, the one integer encoding of everything slowscope serializes: quantile
// sketches (analyzer/aggregate/quantile_sketch.h) and collector checkpoints
// (connectors/common/checkpoint_codec.h). Both are kept in users' stores, so the encoding
// never changes: an unsigned 64-bit value in groups of 7 bits, least significant first,
// the high bit of each byte set while more follow (one byte below 128, at most ten), and
// zigzag for signed values so that small negative numbers stay small.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace slowscope {

// Appends the shortest encoding of `value` to `out`.
void append_varint(std::string& out, uint64_t value);

// What read_varint found at the front of its input. Only kOk is what append_varint
// writes; a reader decides which of the others are corrupt for its format.
enum class VarintRead {
  kOk,
  kTruncated,      // the input ended inside the varint
  kTooLong,        // the tenth byte still says more follow
  kOverflow,       // the tenth byte holds bits beyond 64; the value keeps the low 64
  kRedundantByte,  // a last zero byte that adds nothing: not the shortest encoding (the
                   // value is right, but has a second encoding)
};

// Decodes the varint at the front of `in` into `value` and removes the bytes it read from
// `in`.
VarintRead read_varint(std::string_view& in, uint64_t& value);

// Zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ...
inline uint64_t zigzag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t unzigzag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

}  // namespace slowscope
