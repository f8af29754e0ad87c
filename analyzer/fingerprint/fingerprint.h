// Fingerprinter: turns a statement into pt-query-digest's fingerprint, the abstracted
// text that groups statements into query classes ("select c from sbtest? where id=?").
//
// The output matches percona-toolkit 3.2.1's QueryRewriter::fingerprint byte for byte,
// odd edges included, so that slowscope's classes and query ids line up with pt's; the
// rules and the few deliberate deviations are listed in docs/FINGERPRINT.md. One of them
// keeps literals out: where pt's regexes would pair quotes across a string's end and
// leave part of it in the fingerprint, the quoting is read as MySQL reads it instead.
//
// Not thread-safe: a Fingerprinter owns its output and scratch buffers, so use one per
// thread. Once its buffers have grown to the longest statement seen, a call allocates
// nothing. A call takes time about linear in the length of the statement.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slowscope {

struct FingerprintOptions {
  // pt-query-digest --preserve-embedded-numbers: digits inside identifiers stay
  // ("sbtest1" keeps its 1); only numbers that start a word are replaced.
  bool preserve_embedded_numbers = false;
  // pt's quote pairing even where it misreads the statement and leaves part of a string
  // literal in the fingerprint (a quote inside a backtick identifier, a comment or a
  // string of the other kind; an escaped backslash before a closing quote; a string the
  // text ends inside). Off, the default: those bytes are read as MySQL reads them, so no
  // literal text reaches a class. On: pt's result byte for byte (the tests against pt).
  bool match_pt_on_misquoted_text = false;
};

class Fingerprinter {
 public:
  explicit Fingerprinter(FingerprintOptions options = {});

  // pt-query-digest's fingerprint of `query`; the view stays valid until the next call.
  std::string_view fingerprint(std::string_view query);

 private:
  // Words of normalize's result that the passes after it look for (words_).
  enum : uint8_t {
    kListWord = 1,  // in, value, values
    kSelectWord = 2,
    kUnionWord = 4,
    kLimitWord = 8,
    kOrderWord = 16,
    kAllWords = 31,
  };
  // Which of them the lowercase word `word` of `len` bytes is (0 for none).
  static uint8_t keyword_bits(const char* word, size_t len);

  // A growable byte array that never shrinks and never zero-fills, so that reusing it
  // costs nothing once it is big enough.
  class Buffer {
   public:
    char* reserve(size_t size);
    // Whether `p` points into this buffer.
    bool holds(const char* p) const;

   private:
    std::unique_ptr<char[]> data_;
    size_t capacity_ = 0;
  };

  // The buffer that does not hold `in`, so that a pass can read one and write the other
  // (also when a caller passes back a view of an earlier result).
  Buffer& other_than(std::string_view in);

  std::string_view copy_out(std::string_view text);
  std::string_view neutralize_misread_quotes(std::string_view in);
  std::string_view strip_comments(std::string_view in);
  std::string_view replace_quoted(std::string_view in);
  std::string_view normalize(std::string_view in);
  // normalize for any number rule, one byte and stage at a time (preserve_embedded_numbers).
  std::string_view normalize_bytewise(std::string_view in);
  std::string_view collapse_lists(std::string_view in);
  std::string_view collapse_unions(std::string_view in);
  std::string_view shorten_limit(std::string_view in);
  std::string_view drop_order_by_asc(std::string_view in);

  FingerprintOptions options_;
  uint8_t words_ = kAllWords;  // which kListWord... words the last normalize result has
  Buffer a_;
  Buffer b_;
  // Scratch for collapse_unions: where each " union" starts, and the first branch of
  // each SELECT that follows a UNION as (hash, position of that UNION).
  std::vector<size_t> unions_;
  std::vector<std::pair<uint64_t, size_t>> branches_;
};

// For a statement cut short at a length limit: closes the string literal or comment the
// cut left open (appending its quote, or " */", after dropping trailing backslashes that
// would escape the quote), so that its fingerprint shows none of the literal's text, then
// the parentheses left open, so that a cut IN or VALUES list still folds into the class
// of the whole statement. Text with nothing open comes back unchanged. Where closing
// cannot settle it (text that no real statement ends in), the text is cut back to its
// first quote or comment instead.
void close_cut_statement(std::string& cut);

}  // namespace slowscope
