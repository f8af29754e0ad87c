#include "analyzer/codec/varint.h"

namespace slowscope {

void append_varint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

VarintRead read_varint(std::string_view& in, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in.empty()) return VarintRead::kTruncated;
    const auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    // At shift 63 only the lowest bit of the group fits; the shift drops the rest.
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) != 0) continue;
    if (shift == 63 && byte > 1) return VarintRead::kOverflow;
    if (byte == 0 && shift > 0) return VarintRead::kRedundantByte;
    return VarintRead::kOk;
  }
  return VarintRead::kTooLong;
}

}  // namespace slowscope
