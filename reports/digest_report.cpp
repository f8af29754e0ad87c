#include "reports/digest_report.h"

namespace slowscope {

uint64_t DigestReport::total_bytes() const {
  uint64_t n = 0;
  for (const auto& input : inputs) n += input.bytes;
  return n;
}

uint64_t DigestReport::total_skipped() const {
  uint64_t n = 0;
  for (const auto& input : inputs) n += input.skipped;
  return n;
}

uint64_t DigestReport::total_truncated_statements() const {
  uint64_t n = 0;
  for (const auto& input : inputs) n += input.truncated_statements;
  return n;
}

uint64_t DigestReport::total_bad_query_time() const {
  uint64_t n = 0;
  for (const auto& input : inputs) n += input.bad_query_time;
  return n;
}

uint64_t DigestReport::total_headerless() const {
  uint64_t n = 0;
  for (const auto& input : inputs) n += input.headerless;
  return n;
}

const std::string& example_text(const QueryClass& c, bool literal_examples) {
  return literal_examples ? c.example.query : c.fingerprint;
}

}  // namespace slowscope
