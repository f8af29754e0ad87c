// CheckpointWriter and CheckpointReader: the compact binary form collectors give the state
// they keep in store checkpoints (previous cumulative counters): LEB128 varints (zigzag for
// signed values; analyzer/codec/varint.h), little-endian doubles, length-prefixed strings
// and flagged optionals.
//
// The reader throws CorruptData "<what> checkpoint is corrupt: <why>" on anything
// malformed, so that a collector starts a new baseline rather than subtract garbage.
// Value types; not thread-safe.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "analyzer/codec/varint.h"
#include "analyzer/error/errors.h"

namespace slowscope {

class CheckpointWriter {
 public:
  void u64(uint64_t v) { append_varint(out_, v); }
  // Zigzag, so that small negative numbers stay small.
  void i64(int64_t v) { u64(zigzag(v)); }
  void f64(double v) {
    const uint64_t bits = std::bit_cast<uint64_t>(v);
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  void str(std::string_view s) {
    u64(s.size());
    out_ += s;
  }
  void opt_u64(const std::optional<uint64_t>& v) {
    out_ += static_cast<char>(v ? 1 : 0);
    if (v) u64(*v);
  }
  void opt_i64(const std::optional<int64_t>& v) {
    out_ += static_cast<char>(v ? 1 : 0);
    if (v) i64(*v);
  }
  void raw(std::string_view s) { out_ += s; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class CheckpointReader {
 public:
  // `what` names the checkpoint in errors ("collector", "digest").
  CheckpointReader(std::string_view in, std::string what) : in_(in), what_(std::move(what)) {}

  // Checkpoints have always read a varint that is not the shortest encoding, or that holds
  // bits beyond 64 (kept: the low 64), as it comes; the writer makes neither.
  uint64_t u64() {
    uint64_t v = 0;
    switch (read_varint(in_, v)) {
      case VarintRead::kTruncated:
        fail("truncated");
      case VarintRead::kTooLong:
        fail("varint too long");
      case VarintRead::kOk:
      case VarintRead::kOverflow:
      case VarintRead::kRedundantByte:
        break;
    }
    return v;
  }
  int64_t i64() { return unzigzag(u64()); }
  double f64() {
    const std::string_view b = take(8);
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) {
      bits |= static_cast<uint64_t>(static_cast<uint8_t>(b[i])) << (8 * i);
    }
    return std::bit_cast<double>(bits);
  }
  std::string str() {
    const uint64_t n = u64();
    if (n > in_.size()) fail("string longer than the blob");
    return std::string(take(n));
  }
  std::optional<uint64_t> opt_u64() {
    if (!flag()) return std::nullopt;
    return u64();
  }
  std::optional<int64_t> opt_i64() {
    if (!flag()) return std::nullopt;
    return i64();
  }
  std::string_view take(size_t n) {
    if (in_.size() < n) fail("truncated");
    const std::string_view part = in_.substr(0, n);
    in_.remove_prefix(n);
    return part;
  }
  size_t remaining() const { return in_.size(); }
  bool done() const { return in_.empty(); }
  [[noreturn]] void fail(const std::string& why) const {
    throw CorruptData(what_ + " checkpoint is corrupt: " + why);
  }

 private:
  bool flag() {
    const char f = take(1)[0];
    if (f != 0 && f != 1) fail("bad optional");
    return f == 1;
  }

  std::string_view in_;
  std::string what_;
};

}  // namespace slowscope
