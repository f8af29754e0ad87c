#include "reports/digest_report.h"

namespace slowscope {

uint64_t DigestReport::total(uint64_t InputTotals::*count) const {
  uint64_t n = 0;
  for (const auto& input : inputs) n += input.*count;
  return n;
}

const std::string& example_text(const QueryClass& c, bool literal_examples) {
  return literal_examples ? c.example.query : c.fingerprint;
}

}  // namespace slowscope
