// libFuzzer target: fingerprints arbitrary bytes (both number modes), extracts tables and
// checks what must hold for any input. Exactness against pt-query-digest is the job of
// tests/fingerprint; here the point is no crash, no hang, no sanitizer report and these
// invariants.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "analyzer/fingerprint/fingerprint.h"
#include "analyzer/fingerprint/query_id.h"
#include "analyzer/fingerprint/tables.h"

namespace {

void check(bool ok, const char* what, std::string_view input, std::string_view output) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\ninput (%zu bytes): %.*s\noutput: %.*s\n", what,
               input.size(), static_cast<int>(input.size()), input.data(),
               static_cast<int>(output.size()), output.data());
  std::abort();
}

// Case-insensitive search for the lowercase ASCII `part`.
bool contains(std::string_view s, std::string_view part) {
  for (size_t i = 0; i + part.size() <= s.size(); ++i) {
    size_t k = 0;
    while (k < part.size() && (s[i + k] | 0x20) == part[k]) ++k;
    if (k == part.size()) return true;
  }
  return false;
}

// Whether fingerprinting `s` again must leave it unchanged, checked on both the input and
// its fingerprint. pt's fingerprint is not
// idempotent in general: it strips the "/*repeat*/" comment it adds, re-reads "x?" and
// "-?" as a number, drops an "ASC" or a LIMIT offset it left behind, abstracts "use db" the
// second time when the first had two spaces, and so on. Texts free of every byte and word
// such a rule keys on are stable.
bool stable_shape(std::string_view s) {
  for (unsigned char c : s) {
    if (c == '/' || c == '#' || c == '-' || c == '+' || c == '.' || c == '\'' || c == '"' ||
        c == '\\' || c < 0x20 || c == 0x7f)
      return false;
  }
  for (std::string_view word : {"x?", "b?", "asc", "true", "false", "null", "limit"}) {
    if (contains(s, word)) return false;
  }
  return !contains(s.substr(0, 4), "call") && !contains(s.substr(0, 3), "use") &&
         !s.starts_with("administrator");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static slowscope::Fingerprinter plain;
  static slowscope::Fingerprinter preserving({.preserve_embedded_numbers = true});
  static slowscope::Fingerprinter again;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  for (slowscope::Fingerprinter* fingerprinter : {&plain, &preserving}) {
    const std::string first(fingerprinter->fingerprint(input));
    // The text only grows through "in(?+)" and "/*repeat*/", by at most half; the fixed
    // answers ("percona-toolkit") are short.
    check(first.size() <= size + size / 2 + 16, "output too long", input, first);
    // The same input gives the same output: no state leaks from one call to the next.
    check(fingerprinter->fingerprint(input) == first, "not deterministic", input, first);

    const bool verbatim = input.starts_with("administrator command: ");
    const bool call = first.starts_with("call");
    // Every string is paired and replaced: a quote left over could have a literal's text
    // after it.
    check(verbatim || first.find_first_of("'\"") == std::string::npos, "quote in output", input,
          first);
    for (unsigned char c : first) {
      check(verbatim || !(c >= 'A' && c <= 'Z'), "uppercase letter in output", input, first);
      check(verbatim || call || fingerprinter == &preserving || !(c >= '0' && c <= '9'),
            "digit in output", input, first);
    }
    if (fingerprinter == &plain && stable_shape(input) && stable_shape(first)) {
      check(again.fingerprint(first) == first, "not idempotent", input, first);
    }
    check(slowscope::query_id(first).size() == 32, "query id length", input, first);
  }
  (void)slowscope::extract_tables(input);
  return 0;
}
