#include "analyzer/fingerprint/fingerprint.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <functional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// pt's fingerprint is a chain of Perl substitutions, each applied to the whole result of
// the one before. They interact (a comment inside a string literal is removed before
// strings are; double-quoted strings are replaced before single-quoted ones; a number
// rule runs before lowercasing), so the passes below keep pt's order and each one
// reproduces its substitution exactly, as a byte loop. Passes whose trigger character
// does not occur return their input untouched, without copying.
//
// Perl sees the statement as a byte string, so its \w, \s and lc are ASCII-only: bytes
// >= 0x80 are never word characters, never whitespace and have no case. \s includes \v.

// The stages of a pass are lambdas; they must fold into the pass's loop.
#define SLOWSCOPE_STAGE __attribute__((always_inline))

namespace slowscope {
namespace {

enum : uint8_t {
  kWord = 1,         // \w
  kSpace = 2,        // \s
  kSqueezed = 4,     // tr[ \n\t\r\f][ ]s: the whitespace pt squeezes (not \v)
  kNumStart = 8,     // [0-9+-]
  kNumCont = 16,     // [0-9a-f.xb+-]
  kDropBefore = 32,  // [xb.+-], dropped when right before a '?'
  kPlain = 64,       // letters no stage looks at inside a word: all but x, b (and t, f at a
                     // word start, checked separately)
  kQuoting = 128,    // \ " ': the bytes replace_quoted acts on
};

constexpr std::array<uint8_t, 256> make_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t v = 0;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
      v |= kWord;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') v |= kSpace;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') v |= kSqueezed;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-') v |= kNumStart;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == 'x' || c == 'b' ||
        c == '+' || c == '-')
      v |= kNumCont;
    if (c == 'x' || c == 'b' || c == '.' || c == '+' || c == '-') v |= kDropBefore;
    if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) && c != 'x' && c != 'b') v |= kPlain;
    if (c == '\\' || c == '"' || c == '\'') v |= kQuoting;
    t[c] = v;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kClass = make_classes();

inline bool is(char c, uint8_t cls) {
  return kClass[static_cast<unsigned char>(c)] & cls;
}
inline bool is_word(char c) {
  return is(c, kWord);
}
inline bool is_space(char c) {
  return is(c, kSpace);
}
inline char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// \b before position i.
inline bool word_start(std::string_view s, size_t i) {
  return i == 0 || !is_word(s[i - 1]);
}

// Case-insensitive match of the lowercase ASCII `word` at s[i].
bool ci_at(std::string_view s, size_t i, std::string_view word) {
  if (i > s.size() || s.size() - i < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (lower(s[i + k]) != word[k]) return false;
  }
  return true;
}

bool at(std::string_view s, size_t i, std::string_view word) {
  return i <= s.size() && s.size() - i >= word.size() && s.compare(i, word.size(), word) == 0;
}

// Position of the next case-insensitive `word` at or after `from`, or npos.
size_t ci_find(std::string_view s, std::string_view word, size_t from) {
  for (size_t i = from; i + word.size() <= s.size(); ++i) {
    if (lower(s[i]) == word[0] && ci_at(s, i, word)) return i;
  }
  return std::string_view::npos;
}

size_t skip_spaces(std::string_view s, size_t i) {
  while (i < s.size() && is_space(s[i])) ++i;
  return i;
}

// Position of the first byte at or after `i` that is one of `Cs`, or s.size(). Looks at
// sixteen bytes at a time with SSE2, then eight at a time: exact per-byte equality flags
// by the SWAR zero-byte test.
template <char... Cs>
size_t find_any(std::string_view s, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const size_t n = s.size();
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i hits = (_mm_cmpeq_epi8(v, _mm_set1_epi8(Cs)) | ...);
    if (const int mask = _mm_movemask_epi8(hits)) return i + std::countr_zero(unsigned(mask));
  }
#endif
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    uint64_t hits = 0;
    for (uint64_t c : {static_cast<uint64_t>(static_cast<unsigned char>(Cs))...}) {
      uint64_t x = word ^ (c * kOnes);
      hits |= ~(((x & kLow7) + kLow7) | x) & kHigh;
    }
    if (hits) {
      if constexpr (std::endian::native == std::endian::little) {
        return i + std::countr_zero(hits) / 8;
      } else {
        return i + std::countl_zero(hits) / 8;
      }
    }
  }
  for (; i < n; ++i) {
    if (((s[i] == Cs) || ...)) return i;
  }
  return n;
}

// Position of the first '#', "--" or "/*" at or after `i`, or s.size(). Like find_any,
// sixteen or eight bytes at a time; the word one byte further on gives each byte's successor, so
// the dashes of a UUID-like literal cost nothing.
size_t find_comment_start(std::string_view s, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto equal = [](uint64_t word, char c) {
    const uint64_t x = word ^ (static_cast<uint64_t>(static_cast<unsigned char>(c)) * kOnes);
    return ~(((x & kLow7) + kLow7) | x) & kHigh;
  };
  const size_t n = s.size();
#if defined(__SSE2__)
  for (; i + 17 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i + 1));
    auto eq = [](__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); };
    const __m128i hits = _mm_or_si128(
        eq(v, '#'),
        _mm_or_si128(_mm_and_si128(eq(v, '-'), eq(w, '-')), _mm_and_si128(eq(v, '/'), eq(w, '*'))));
    if (const int mask = _mm_movemask_epi8(hits)) return i + std::countr_zero(unsigned(mask));
  }
#endif
  for (; i + 9 <= n; i += 8) {
    uint64_t word, next;
    std::memcpy(&word, s.data() + i, 8);
    std::memcpy(&next, s.data() + i + 1, 8);
    const uint64_t hits = equal(word, '#') | (equal(word, '-') & equal(next, '-')) |
                          (equal(word, '/') & equal(next, '*'));
    if (hits) {
      if constexpr (std::endian::native == std::endian::little) {
        return i + std::countr_zero(hits) / 8;
      } else {
        return i + std::countl_zero(hits) / 8;
      }
    }
  }
  for (; i < n; ++i) {
    if (s[i] == '#') return i;
    if (i + 1 < n && ((s[i] == '-' && s[i + 1] == '-') || (s[i] == '/' && s[i + 1] == '*'))) {
      return i;
    }
  }
  return n;
}

// The next occurrence of the two bytes `pair` in [begin, end), or nullptr.
const char* find2(const char* begin, const char* end, const char* pair) {
  while (end - begin >= 2) {
    const void* hit = std::memchr(begin, pair[0], end - begin - 1);
    if (!hit) return nullptr;
    begin = static_cast<const char*>(hit);
    if (begin[1] == pair[1]) return begin;
    ++begin;
  }
  return nullptr;
}

constexpr std::string_view kMysqldump = "SELECT /*!40001 SQL_NO_CACHE */ * FROM `";

// m#/\*\w+\.\w+:[0-9]/[0-9]\*/#: the marker percona-toolkit tools put in their queries.
bool has_toolkit_marker(std::string_view q) {
  const char* end = q.data() + q.size();
  for (const char* p = q.data(); (p = find2(p, end, "/*")) != nullptr; ++p) {
    const char* k = p + 2;
    while (k < end && is_word(*k)) ++k;
    if (k == p + 2 || k == end || *k != '.') continue;
    const char* m = k + 1;
    while (m < end && is_word(*m)) ++m;
    if (m == k + 1 || end - m < 6) continue;
    if (m[0] == ':' && is_digit(m[1]) && m[2] == '/' && is_digit(m[3]) && m[4] == '*' &&
        m[5] == '/')
      return true;
  }
  return false;
}

// m/\A\s*(call\s+\S+)\(/i: $1 as a view of q, or an empty view when it does not match.
std::string_view call_head(std::string_view q) {
  size_t start = skip_spaces(q, 0);
  if (!ci_at(q, start, "call")) return {};
  size_t name = skip_spaces(q, start + 4);
  if (name == start + 4) return {};
  size_t token_end = name;
  while (token_end < q.size() && !is_space(q[token_end])) ++token_end;
  // \S+ is greedy, so the '(' is the last one in the token that has something before it.
  for (size_t paren = token_end; paren > name + 1; --paren) {
    if (q[paren - 1] == '(') return q.substr(start, paren - 1 - start);
  }
  return {};
}

// m/\A((?:INSERT|REPLACE)(?: IGNORE)?\s+INTO.+?VALUES\s*\(.*?\))\s*,\s*\(/is: the length
// of $1, i.e. a multi-row INSERT cut after its first row, or npos.
size_t first_row_end(std::string_view q) {
  constexpr size_t npos = std::string_view::npos;
  size_t p;
  if (ci_at(q, 0, "insert")) {
    p = 6;
  } else if (ci_at(q, 0, "replace")) {
    p = 7;
  } else {
    return npos;
  }
  auto into_after = [&](size_t k) -> size_t {
    size_t s = skip_spaces(q, k);
    return s > k && ci_at(q, s, "into") ? s + 4 : npos;
  };
  size_t into_end = ci_at(q, p, " ignore") ? into_after(p + 7) : npos;
  if (into_end == npos) into_end = into_after(p);
  if (into_end == npos) return npos;
  // The first VALUES( decides: a later one could only find a subset of its row ends.
  size_t paren = npos;
  for (size_t v = into_end + 1; (v = ci_find(q, "values", v)) != npos; ++v) {
    size_t s = skip_spaces(q, v + 6);
    if (s < q.size() && q[s] == '(') {
      paren = s;
      break;
    }
  }
  if (paren == npos) return npos;
  for (size_t r = paren + 1; (r = q.find(')', r)) != npos; ++r) {
    size_t s = skip_spaces(q, r + 1);
    if (s < q.size() && q[s] == ',') {
      s = skip_spaces(q, s + 1);
      if (s < q.size() && q[s] == '(') return r + 1;
    }
  }
  return npos;
}

}  // namespace

char* Fingerprinter::Buffer::reserve(size_t size) {
  if (size > capacity_) {
    size_t grown = capacity_ * 2;
    capacity_ = grown > size ? grown : size;
    if (capacity_ < 256) capacity_ = 256;
    data_ = std::make_unique_for_overwrite<char[]>(capacity_);
  }
  return data_.get();
}

Fingerprinter::Fingerprinter(FingerprintOptions options) : options_(options) {}

bool Fingerprinter::Buffer::holds(const char* p) const {
  std::less_equal<const char*> le;
  return data_ && le(data_.get(), p) && le(p, data_.get() + capacity_);
}

Fingerprinter::Buffer& Fingerprinter::other_than(std::string_view in) {
  return a_.holds(in.data()) ? b_ : a_;
}

std::string_view Fingerprinter::copy_out(std::string_view text) {
  char* out = other_than(text).reserve(text.size());
  if (!text.empty()) std::memcpy(out, text.data(), text.size());
  return {out, text.size()};
}

std::string_view Fingerprinter::fingerprint(std::string_view query) {
  std::string_view q = query;
  if (q.starts_with(kMysqldump)) return "mysqldump";
  if (has_toolkit_marker(q)) return "percona-toolkit";
  if (q.starts_with("administrator command: ")) return copy_out(q);
  if (std::string_view head = call_head(q); !head.empty()) {
    char* out = other_than(q).reserve(head.size());
    // pt's name is everything before the last '(' of the first word, quotes included.
    const bool keep_quotes = options_.match_pt_on_misquoted_text;
    for (size_t i = 0; i < head.size(); ++i) {
      const bool quote = head[i] == '\'' || head[i] == '"';
      out[i] = quote && !keep_quotes ? '_' : lower(head[i]);
    }
    return {out, head.size()};
  }
  if (size_t end = first_row_end(q); end != std::string_view::npos) q = q.substr(0, end);

  if (!options_.match_pt_on_misquoted_text) q = neutralize_misread_quotes(q);
  q = strip_comments(q);
  // s/\Ause \S+\Z/use ?/i, returned as is: \Z also matches before a final newline.
  if (ci_at(q, 0, "use ")) {
    size_t e = 4;
    while (e < q.size() && !is_space(q[e])) ++e;
    if (e > 4 && e == q.size()) return "use ?";
    if (e > 4 && e + 1 == q.size() && q[e] == '\n') return "use ?\n";
  }
  q = replace_quoted(q);
  q = normalize(q);
  // The last passes key on words, which normalize noted: a pass whose word is not in the
  // text has nothing to do (none of them makes one of the later passes' words).
  if (words_ & kListWord) q = collapse_lists(q);
  if ((words_ & (kSelectWord | kUnionWord)) == (kSelectWord | kUnionWord)) q = collapse_unions(q);
  if (words_ & kLimitWord) q = shorten_limit(q);
  if (words_ & kOrderWord) q = drop_order_by_asc(q);
  return q;
}

// pt finds literals with regexes run one after the other over the whole text: comments
// are removed, then \" and \', then "..." strings, then '...' ones. Where a quote sits
// inside something else, a stage pairs it with a quote beyond the literal's end and the
// rest of the literal stays in the fingerprint: `a"b` ... 'se"cret' gives "`a?cret'".
// This pass reads the quoting as MySQL does and rewrites to '_' the bytes pt would
// misread: quotes, backslashes and "/*" inside backtick identifiers and line comments,
// '"' and "/*" inside '...' strings, escaped backslashes in strings, quotes inside a
// comment the text ends in; a string the text ends inside gets its closing quote. Inside
// a string the rewritten bytes vanish with it. Each stage then pairs exactly MySQL's
// string delimiters. Text with nothing to rewrite comes back as it is, uncopied.
std::string_view Fingerprinter::neutralize_misread_quotes(std::string_view in) {
  const size_t n = in.size();
  if (find_any<'\'', '"'>(in, 0) == n) return in;
  char* out = nullptr;  // the copy, made at the first byte to rewrite
  auto copy = [&] {
    if (out == nullptr) {
      out = other_than(in).reserve(n + 1);
      std::memcpy(out, in.data(), n);
    }
  };
  auto rewrite = [&](size_t i) {
    copy();
    out[i] = '_';
  };
  auto is_quote = [](char c) { return c == '\'' || c == '"' || c == '\\'; };
  // "/*" at j inside something that is not code: pt's comment rule would start there.
  auto comment_opener = [&](size_t j) {
    if (j + 1 < n && in[j + 1] == '*') rewrite(j + 1);
  };
  char unclosed = 0;  // the quote of a string the text ends inside
  size_t i = 0;
  while ((i = find_any<'\'', '"', '`', '\\', '/', '#', '-'>(in, i)) < n) {
    const char c = in[i];
    if (c == '\\') {
      // Outside a string pt drops \' and \" before pairing: the quote pairs with nothing.
      // It does so after removing comments, so a backslash before one would take the
      // quote after it.
      if (i + 2 < n && in[i + 1] == '/' && in[i + 2] == '*') rewrite(i);
      i += i + 1 < n && (in[i + 1] == '\'' || in[i + 1] == '"') ? 2 : 1;
    } else if (c == '\'' || c == '"') {
      // A '' or "" inside a string closes it and opens the next, for MySQL's reading as
      // for pt's: the same delimiters pair.
      size_t j = i + 1;
      for (;;) {
        j = c == '\'' ? find_any<'\'', '"', '\\', '/'>(in, j) : find_any<'"', '\\', '/'>(in, j);
        if (j >= n) {
          unclosed = c;
          break;
        }
        if (in[j] == c) break;
        if (in[j] == '\\') {
          // \' and \" are escaped quotes for both readings; an escaped backslash is not
          // for pt, which would drop the closing quote after it.
          if (j + 1 >= n || in[j + 1] == '\\') {
            rewrite(j);
            if (j + 1 < n) rewrite(j + 1);
            j += 2;
          } else {
            j += in[j + 1] == '\'' || in[j + 1] == '"' ? 2 : 1;
          }
        } else if (in[j] == '/') {
          comment_opener(j);
          ++j;
        } else {
          rewrite(j);  // '"' in a '...' string; the "..." stage runs first
          ++j;
        }
      }
      i = j + 1;
    } else if (c == '`') {
      size_t j = i + 1;
      while ((j = find_any<'`', '\'', '"', '\\', '/'>(in, j)) < n && in[j] != '`') {
        if (in[j] == '/') {
          comment_opener(j);
        } else {
          rewrite(j);
        }
        ++j;
      }
      i = j + 1;
    } else if (c == '/') {
      // pt's comment: "/*", one byte that is not '!', then up to the first "*/"; its
      // text goes before any quote is paired. One the text ends inside stays.
      if (i + 2 < n && in[i + 1] == '*' && in[i + 2] != '!') {
        const size_t end = in.find("*/", i + 3);
        if (end != std::string_view::npos) {
          i = end + 2;
          continue;
        }
        for (size_t j = i + 2; j < n; ++j) {
          if (is_quote(in[j])) rewrite(j);
        }
        break;
      }
      ++i;
    } else if (c == '#' || (i + 2 <= n && in[i + 1] == '-' &&
                            (i + 2 == n || static_cast<unsigned char>(in[i + 2]) <= ' '))) {
      // MySQL's line comments: '#', or "--" and a blank or control byte. Without a quote
      // in it, pt's rule removes one before pairing quotes.
      size_t j = i + 1;
      for (; j < n && in[j] != '\n' && in[j] != '\r'; ++j) {
        if (is_quote(in[j])) {
          rewrite(j);
        } else if (in[j] == '/') {
          comment_opener(j);
        }
      }
      i = j;
    } else {
      ++i;
    }
  }
  if (unclosed == 0) return out == nullptr ? in : std::string_view(out, n);
  copy();
  out[n] = unclosed;
  return {out, n + 1};
}

// s#/\*[^!].*?\*/##sg, then s/(?:--|#)[^'"\r\n]*(?=[\r\n]|\Z)//g on the result.
std::string_view Fingerprinter::strip_comments(std::string_view in) {
  const size_t n = in.size();
  const size_t first = find_comment_start(in, 0);
  if (first >= n) return in;

  char* out = other_than(in).reserve(n);
  std::memcpy(out, in.data(), first);
  size_t o = first;
  // Output position of the first "--" or "#" since the last quote or line break: the
  // one-line comment that starts there is dropped if the line ends before a quote does.
  size_t marker = SIZE_MAX;
  bool no_closer = false;  // once a "*/" search fails, every later one would too
  const char* end = in.data() + n;
  for (size_t i = first; i < n;) {
    char c = in[i];
    switch (c) {
      case '/':
        if (!no_closer && i + 2 < n && in[i + 1] == '*' && in[i + 2] != '!') {
          // [^!] takes the byte after "/*", so "/**/" does not close itself.
          if (const char* close = find2(in.data() + i + 3, end, "*/")) {
            i = close - in.data() + 2;
            continue;
          }
          no_closer = true;
        }
        break;
      case '\'':
      case '"':
        marker = SIZE_MAX;
        break;
      case '\r':
      case '\n':
        if (marker != SIZE_MAX) {
          o = marker;
          marker = SIZE_MAX;
        }
        break;
      case '#':
        if (marker == SIZE_MAX) marker = o;
        break;
      case '-':
        if (marker == SIZE_MAX && o > 0 && out[o - 1] == '-') marker = o - 1;
        break;
      default:
        break;
    }
    out[o++] = c;
    ++i;
  }
  if (marker != SIZE_MAX) o = marker;
  return {out, o};
}

// s/\\["']//g, then s/".*?"/?/sg, then s/'.*?'/?/sg, as three stages over one scan. A
// quote with no closing partner is literal for its stage; the scan then restarts at it
// with that stage disarmed from there on, which happens at most once per stage.
std::string_view Fingerprinter::replace_quoted(std::string_view in) {
  const size_t n = in.size();
  size_t first = find_any<'\\', '"', '\''>(in, 0);
  if (first == n) return in;

  char* out = other_than(in).reserve(n);
  std::memcpy(out, in.data(), first);
  size_t o = first;
  size_t dq_literal_from = SIZE_MAX;  // '"' at or after this never opens a string
  size_t sq_literal_from = SIZE_MAX;
  bool dq_open = false;
  bool sq_open = false;
  size_t dq_start = 0;
  size_t sq_start = 0;
  size_t i = first;
  for (;;) {
    while (i < n) {
      // Only \\, " and ' change anything: copy or skip the bytes in between in bulk.
      if (!is(in[i], kQuoting)) {
        size_t j = find_any<'\\', '"', '\''>(in, i + 1);
        if (!dq_open && !sq_open) {
          std::memcpy(out + o, in.data() + i, j - i);
          o += j - i;
        }
        i = j;
        continue;
      }
      char c = in[i];
      if (c == '\\' && i + 1 < n && (in[i + 1] == '"' || in[i + 1] == '\'')) {
        i += 2;
        continue;
      }
      char passed;  // what the double-quote stage hands to the single-quote stage
      if (dq_open) {
        ++i;
        if (c != '"') continue;
        dq_open = false;
        passed = '?';
      } else if (c == '"' && i < dq_literal_from) {
        dq_open = true;
        dq_start = i++;
        continue;
      } else {
        passed = c;
        ++i;
      }
      if (sq_open) {
        if (passed == '\'') {
          sq_open = false;
          out[o++] = '?';
        }
        continue;
      }
      if (passed == '\'' && i - 1 < sq_literal_from) {
        sq_open = true;
        sq_start = i - 1;
        continue;
      }
      out[o++] = passed;
    }
    // While a stage is open it emits nothing, so `o` and the other stage's state are what
    // they were at its opening quote.
    if (dq_open) {
      dq_open = false;
      dq_literal_from = i = dq_start;
    } else if (sq_open) {
      sq_open = false;
      sq_literal_from = i = sq_start;
    } else {
      break;
    }
  }
  return {out, o};
}

namespace {

// What normalize does at a byte outside a number.
enum : uint8_t {
  kCopy = 0,  // copied as it is
  kLetter,    // [A-Za-z_]: starts a run of them
  kNumber,    // [0-9+-]: starts a number
  kBlank,     // [ \n\t\r\f]: starts a run to squeeze
  kDot,       // '.': dropped before a '?'
};

constexpr std::array<uint8_t, 256> make_actions() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
      t[c] = kLetter;
    } else if ((c >= '0' && c <= '9') || c == '+' || c == '-') {
      t[c] = kNumber;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      t[c] = kBlank;
    } else if (c == '.') {
      t[c] = kDot;
    }
  }
  return t;
}
constexpr std::array<uint8_t, 256> kAction = make_actions();

// Bytes after which an 'x', 'b' or '.' is dropped: the number or '?' that starts there
// is a '?' once the number rule has run.
inline bool makes_placeholder(char c) {
  return kAction[static_cast<unsigned char>(c)] == kNumber || c == '?';
}

// \btrue\b or \bfalse\b at s[i], s[i] starting a word: its length, else 0.
size_t bool_literal_at(std::string_view s, size_t i) {
  const char l = lower(s[i]);
  const size_t len = l == 't' ? (ci_at(s, i, "true") ? 4 : 0) : (ci_at(s, i, "false") ? 5 : 0);
  return len && (i + len == s.size() || !is_word(s[i + len])) ? len : 0;
}

}  // namespace

uint8_t Fingerprinter::keyword_bits(const char* word, size_t len) {
  auto is = [&](const char(&w)[7]) { return std::memcmp(word, w, len) == 0; };
  switch (len) {
    case 2:
      return word[0] == 'i' && word[1] == 'n' ? kListWord : 0;
    case 5:
      return is("value\0")   ? kListWord
             : is("union\0") ? kUnionWord
             : is("limit\0") ? kLimitWord
             : is("order\0") ? kOrderWord
                             : 0;
    case 6:
      return is("values") ? kListWord : is("select") ? kSelectWord : 0;
    default:
      return 0;
  }
}

// normalize for the default number rule, a number starting at any [0-9+-]. Then a digit
// never reaches the output, which makes the stages local:
//  - a word of the output is a run of [A-Za-z_] of the input (its neighbours become '?',
//    ' ' or stay non-word bytes), so NULL is a run that lowercases to "null";
//  - [xb.]\? drops a byte right before a number or a '?' of the input, or a '.' right
//    before TRUE or FALSE ('+' and '-' always start numbers);
//  - the number rule, the boolean rule and \A\s+ apply to the input as it is (\A\s+ can
//    only meet bytes no earlier stage changes).
// So it runs over the input once, a run of letters, digits or blanks at a time; the
// letters sixteen at a time with SSE2. Sets words_ to the keywords among the words.
std::string_view Fingerprinter::normalize(std::string_view in) {
  if (options_.preserve_embedded_numbers) {
    words_ = kAllWords;
    return normalize_bytewise(in);
  }
  words_ = 0;
  const size_t n = in.size();
  const char* s = in.data();
  char* out = other_than(in).reserve(n);  // no stage ever makes the text longer
  size_t o = 0;                           // o <= i throughout: nothing emits more than it consumes
  size_t i = 0;
  while (i < n && is_space(s[i])) ++i;  // s/\A\s+//
  while (i < n) {
    const char c = s[i];
    switch (kAction[static_cast<unsigned char>(c)]) {
      case kLetter: {
        const char l = static_cast<char>(c | 0x20);
        if ((l == 't' || l == 'f') && (i == 0 || !is_word(s[i - 1]))) {
          if (const size_t len = bool_literal_at(in, i)) {
            out[o++] = '?';
            i += len;
            break;
          }
        }
        const size_t word = o;
#if defined(__SSE2__)
        for (;;) {
          if (i + 16 > n) {
            while (i < n && kAction[static_cast<unsigned char>(s[i])] == kLetter)
              out[o++] = lower(s[i++]);
            break;
          }
          const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
          // (v | 0x20) in 'a'..'z', shifted so that the range starts at -128.
          const __m128i shifted = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
                                               _mm_set1_epi8(static_cast<char>(128 - 'a')));
          const __m128i letter =
              _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + 26)));
          const __m128i in_word = _mm_or_si128(letter, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
          _mm_storeu_si128(reinterpret_cast<__m128i*>(out + o),
                           _mm_or_si128(v, _mm_and_si128(letter, _mm_set1_epi8(0x20))));
          const unsigned stop = ~static_cast<unsigned>(_mm_movemask_epi8(in_word)) & 0xFFFFu;
          if (stop) {
            const unsigned k = static_cast<unsigned>(std::countr_zero(stop));
            o += k;
            i += k;
            break;
          }
          o += 16;
          i += 16;
        }
#else
        do {
          out[o++] = lower(s[i++]);
        } while (i < n && kAction[static_cast<unsigned char>(s[i])] == kLetter);
#endif
        if (i < n && (s[i - 1] == 'x' || s[i - 1] == 'b') && makes_placeholder(s[i])) --o;
        if (o - word == 4 && std::memcmp(out + word, "null", 4) == 0) {
          o = word;
          out[o++] = '?';
        } else if (o - word - 2 <= 4) {
          words_ |= keyword_bits(out + word, o - word);
        }
        break;
      }
      case kNumber:
        // [0-9+-][0-9a-f.xb+-]*, except that an 'f' after a non-word byte may start
        // FALSE, which the boolean rule took first.
        for (++i; i < n && is(s[i], kNumCont); ++i) {
          if (s[i] == 'f' && !is_word(s[i - 1]) && bool_literal_at(in, i)) break;
        }
        out[o++] = '?';
        break;
      case kBlank: {
        size_t j = i + 1;
        while (j < n && is(s[j], kSqueezed)) ++j;
        // chomp takes one final "\n"; the rest of a final run still squeezes into a space.
        if (!(j == n && j - i == 1 && c == '\n')) out[o++] = ' ';
        i = j;
        break;
      }
      case kDot:
        ++i;
        if (i < n && (makes_placeholder(s[i]) ||
                      (((s[i] | 0x20) == 't' || (s[i] | 0x20) == 'f') && bool_literal_at(in, i)))) {
          break;
        }
        out[o++] = '.';
        break;
      default:
        out[o++] = c;
        ++i;
        break;
    }
  }
  return {out, o};
}

// In order: s/\bfalse\b|\btrue\b/?/ig; s/[0-9+-][0-9a-f.xb+-]*/?/g (with a leading \b when
// preserving embedded numbers); s/[xb.+-]\?/?/g; s/\A\s+//; chomp; tr[ \n\t\r\f][ ]s; lc;
// s/\bnull\b/?/g. Each stage feeds the next one byte at a time.
std::string_view Fingerprinter::normalize_bytewise(std::string_view in) {
  const size_t n = in.size();
  char* out = other_than(in).reserve(n);  // no stage ever makes the text longer
  size_t o = 0;
  const bool preserve = options_.preserve_embedded_numbers;

  // s/\bnull\b/?/: called before a non-word byte is appended and at the end. The byte
  // before a candidate can never be an earlier replacement's '?', since that one was
  // followed by a non-word byte.
  auto check_null = [&]() SLOWSCOPE_STAGE {
    if (o >= 4 && std::memcmp(out + o - 4, "null", 4) == 0 && (o == 4 || !is_word(out[o - 5]))) {
      o -= 3;
      out[o - 1] = '?';
    }
  };
  bool started = false;  // s/\A\s+//
  size_t blank_run = 0;  // pending bytes of a tr-squeezed whitespace run
  char blank_last = 0;
  auto sink = [&](char c) SLOWSCOPE_STAGE {
    if (!started) {
      if (is_space(c)) return;
      started = true;
    }
    if (is(c, kSqueezed)) {
      ++blank_run;
      blank_last = c;
      return;
    }
    if (blank_run) {
      check_null();
      out[o++] = ' ';
      blank_run = 0;
    }
    c = lower(c);
    if (!is_word(c)) check_null();
    out[o++] = c;
  };
  int held = -1;  // a [xb.+-] byte waiting to see whether a '?' follows
  auto drop_before_placeholder = [&](char c) SLOWSCOPE_STAGE {
    if (held >= 0) {
      char h = static_cast<char>(held);
      held = -1;
      if (c != '?') sink(h);
    }
    if (is(c, kDropBefore)) {
      held = static_cast<unsigned char>(c);
    } else {
      sink(c);
    }
  };
  bool in_number = false;
  char prev = ' ';  // the byte before, as the number stage sees it; start is a non-word
  auto numbers = [&](char c) SLOWSCOPE_STAGE {
    if (in_number) {
      if (is(c, kNumCont)) {
        prev = c;
        return;
      }
      in_number = false;
      drop_before_placeholder('?');
    }
    if (is(c, kNumStart) && (!preserve || is_word(prev) != is_word(c))) {
      in_number = true;
    } else {
      drop_before_placeholder(c);
    }
    prev = c;
  };

  for (size_t i = 0; i < n;) {
    // Fast path: inside a number, the bytes that continue it are dropped (an 'f' may
    // start FALSE after a '.', '+' or '-', so it takes the slow path).
    if (in_number) {
      size_t j = i;
      while (j < n && is(in[j], kNumCont) && in[j] != 'f') ++j;
      if (j > i) {
        prev = in[j - 1];
        i = j;
        continue;
      }
    }
    // Fast path: with no stage holding anything, a run of letters other than x and b only
    // gets lowercased (except a t or f that starts a word: it may start TRUE or FALSE).
    if (!in_number && held < 0 && started && is(in[i], kPlain)) {
      size_t j = i;
      char l = lower(in[j]);
      if (!((l == 't' || l == 'f') && word_start(in, j))) {
        if (blank_run) {
          check_null();
          out[o++] = ' ';
          blank_run = 0;
        }
        do {
          out[o++] = lower(in[j++]);
        } while (j < n && is(in[j], kPlain));
        prev = in[j - 1];
        i = j;
        continue;
      }
    }
    char c = in[i];
    char l = lower(c);
    if ((l == 't' || l == 'f') && word_start(in, i)) {
      size_t len = l == 't' ? (ci_at(in, i, "true") ? 4 : 0) : (ci_at(in, i, "false") ? 5 : 0);
      if (len && (i + len == n || !is_word(in[i + len]))) {
        numbers('?');
        i += len;
        continue;
      }
    }
    numbers(c);
    ++i;
  }
  if (in_number) drop_before_placeholder('?');
  if (held >= 0) sink(static_cast<char>(held));
  // chomp takes one final "\n"; the rest of a final run still squeezes into a space.
  if (blank_run && !(blank_run == 1 && blank_last == '\n')) {
    check_null();
    out[o++] = ' ';
  }
  check_null();
  return {out, o};
}

namespace {

// (?:[\s,]*\([\s?,]*\))+ at i: where the longest run of such groups ends, or npos.
size_t value_lists_end(std::string_view s, size_t i) {
  size_t end = std::string_view::npos;
  for (;;) {
    size_t k = i;
    while (k < s.size() && (is_space(s[k]) || s[k] == ',')) ++k;
    if (k >= s.size() || s[k] != '(') return end;
    ++k;
    while (k < s.size() && (is_space(s[k]) || s[k] == '?' || s[k] == ',')) ++k;
    if (k >= s.size() || s[k] != ')') return end;
    end = i = k + 1;
  }
}

// The keyword of \b(in|values?) at i and where its lists end, if the lists are there.
bool list_at(std::string_view s, size_t i, size_t* keyword, size_t* end) {
  if (!word_start(s, i)) return false;
  if (at(s, i, "in")) {
    *keyword = 2;
  } else if (at(s, i, "value")) {
    // "values" before "value"; after "value" an 's' could never start a list anyway.
    *keyword = at(s, i, "values") ? 6 : 5;
  } else {
    return false;
  }
  *end = value_lists_end(s, i + *keyword);
  return *end != std::string_view::npos;
}

}  // namespace

// s/\b(in|values?)(?:[\s,]*\([\s?,]*\))+/$1(?+)/g
std::string_view Fingerprinter::collapse_lists(std::string_view in) {
  const size_t n = in.size();
  size_t keyword = 0;
  size_t end = 0;
  size_t i = 0;
  for (; (i = find_any<'i', 'v'>(in, i)) < n; ++i) {
    if (list_at(in, i, &keyword, &end)) break;
  }
  if (i >= n) return in;

  // A match is at least 4 bytes ("in()") and grows by at most 2 ("in(?+)").
  char* out = other_than(in).reserve(n + n / 2 + 8);
  std::memcpy(out, in.data(), i);
  size_t o = i;
  for (;;) {
    std::memcpy(out + o, in.data() + i, keyword);
    o += keyword;
    std::memcpy(out + o, "(?+)", 4);
    o += 4;
    i = end;
    for (;;) {
      size_t next = find_any<'i', 'v'>(in, i);
      std::memcpy(out + o, in.data() + i, next - i);
      o += next - i;
      i = next;
      if (i >= n || list_at(in, i, &keyword, &end)) break;
      out[o++] = in[i++];
    }
    if (i >= n) break;
  }
  return {out, o};
}

namespace {

// \sunion(?:\sall)?\s at p. Sets where the repeated SELECT would start (with and without
// "all"); false when there is no UNION there.
bool union_at(std::string_view s, size_t p, size_t* body_all, size_t* body) {
  if (p >= s.size() || !is_space(s[p]) || !at(s, p + 1, "union") || p + 6 >= s.size() ||
      !is_space(s[p + 6]))
    return false;
  *body = p + 7;
  *body_all = at(s, p + 7, "all") && p + 10 < s.size() && is_space(s[p + 10]) ? p + 11 : 0;
  return true;
}

uint64_t hash_bytes(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL ^ s.size();
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return h;
}

}  // namespace

// s/\b(select\s.*?)(?:(\sunion(?:\sall)?)\s\1)+/$1 \/*repeat$2*\//g
//
// For a SELECT at i, pt tries each later UNION p as the end of $1 = in[i, p) and checks
// that a copy of $1 follows it. Call p1 the first "\sunion" at or after i + 7. Either
// p == p1, or $1 contains p1's "\sunion", and then the copy has a "\sunion" at the same
// offset and none before it: the copy starts with the same "first branch" in[i, p1). So
// besides p1 only UNIONs whose following SELECT has that same first branch (found by
// hash in a sorted table) are candidates. Adversarial input (many equal first branches
// followed by different ones) could still make that quadratic, so the work shares a
// budget proportional to the statement's length; past it the remaining UNIONs are left
// as they are.
std::string_view Fingerprinter::collapse_unions(std::string_view in) {
  const size_t n = in.size();
  if (n < 20 || in.find("union") == std::string_view::npos ||
      in.find("select") == std::string_view::npos)
    return in;
  unions_.clear();  // every "\sunion", the boundaries of branches
  for (size_t p = in.find("union"); p != std::string_view::npos; p = in.find("union", p + 5)) {
    if (p > 0 && is_space(in[p - 1])) unions_.push_back(p - 1);
  }
  if (unions_.empty()) return in;
  auto first_boundary = [&](size_t from) -> size_t {  // first "\sunion" at or after from
    auto it = std::lower_bound(unions_.begin(), unions_.end(), from);
    return it == unions_.end() ? SIZE_MAX : *it;
  };
  // Where the copy of $1 after the UNION at p would start, or 0 when no SELECT is there.
  auto body_of = [&](size_t p) -> size_t {
    size_t body_all, body;
    if (!union_at(in, p, &body_all, &body)) return 0;
    size_t q = body_all ? body_all : body;
    return at(in, q, "select") && q + 6 < n && is_space(in[q + 6]) ? q : 0;
  };
  // (hash of the first branch of the SELECT after a UNION, that UNION's position)
  branches_.clear();
  for (size_t p : unions_) {
    size_t q = body_of(p);
    if (!q) continue;
    size_t end = first_boundary(q + 7);
    if (end == SIZE_MAX) continue;
    branches_.push_back({hash_bytes(in.substr(q, end - q)), p});
  }
  std::sort(branches_.begin(), branches_.end());

  uint64_t budget = 8 * static_cast<uint64_t>(n) + 4096;
  // Does the text at q repeat $1 = in[i, i + len)?
  auto repeats = [&](size_t q, size_t i, size_t len) {
    if (q > n || n - q < len) return false;
    for (size_t k = 0; k < len; k += 64) {
      if (budget == 0) return false;
      --budget;
      if (std::memcmp(in.data() + q + k, in.data() + i + k, std::min<size_t>(64, len - k)) != 0)
        return false;
    }
    return true;
  };
  // One more "\sunion(\sall)?\s$1" at p: its end, and $2's end in *keyword_end; 0 if none.
  auto repeat_at = [&](size_t p, size_t i, size_t len, size_t* keyword_end) -> size_t {
    size_t body_all, body;
    if (!union_at(in, p, &body_all, &body)) return 0;
    if (body_all && repeats(body_all, i, len)) {
      *keyword_end = body_all - 1;
      return body_all + len;
    }
    if (repeats(body, i, len)) {
      *keyword_end = body - 1;
      return body + len;
    }
    return 0;
  };

  char* out = nullptr;
  size_t o = 0;
  size_t copied = 0;  // in[copied, i) still has to be copied to out
  for (size_t i = 0; i + 7 < n && budget > 0; ++i) {
    if (in[i] != 's' || !at(in, i, "select") || !is_space(in[i + 6]) || !word_start(in, i))
      continue;
    size_t p1 = first_boundary(i + 7);
    if (p1 == SIZE_MAX) break;  // no UNION after this SELECT, nor after any later one
    size_t keyword_end = 0;
    size_t union_pos = p1;
    size_t end = repeat_at(p1, i, p1 - i, &keyword_end);
    if (!end) {
      uint64_t cost = (p1 - i) / 64 + 1;
      if (budget < cost) break;
      budget -= cost;
      uint64_t key = hash_bytes(in.substr(i, p1 - i));
      auto it = std::lower_bound(branches_.begin(), branches_.end(),
                                 std::pair<uint64_t, size_t>{key, p1 + 1});
      for (; it != branches_.end() && it->first == key && budget > 0; ++it) {
        --budget;
        end = repeat_at(it->second, i, it->second - i, &keyword_end);
        if (end) {
          union_pos = it->second;
          break;
        }
      }
      if (!end) continue;
    }
    const size_t len = union_pos - i;
    size_t keyword_start = union_pos;
    for (size_t more; (more = repeat_at(end, i, len, &keyword_end)) != 0; end = more)
      keyword_start = end;
    if (!out) out = other_than(in).reserve(n + n / 2 + 16);
    // $1 is at least 7 bytes, so a replacement grows the text by at most 3 bytes.
    std::memcpy(out + o, in.data() + copied, i + len - copied);
    o += i + len - copied;
    std::memcpy(out + o, " /*repeat", 9);
    o += 9;
    std::memcpy(out + o, in.data() + keyword_start, keyword_end - keyword_start);
    o += keyword_end - keyword_start;
    std::memcpy(out + o, "*/", 2);
    o += 2;
    copied = end;
    i = end - 1;
  }
  if (!out) return in;
  std::memcpy(out + o, in.data() + copied, n - copied);
  o += n - copied;
  return {out, o};
}

// s/\blimit \?(?:, ?\?| offset \?)?/limit ?/, first match only. Works in place: the text
// is in one of our buffers by now.
std::string_view Fingerprinter::shorten_limit(std::string_view in) {
  size_t i = 0;
  while ((i = in.find("limit ?", i)) != std::string_view::npos && !word_start(in, i)) ++i;
  if (i == std::string_view::npos) return in;
  size_t j = i + 7;
  size_t end = j;
  if (j < in.size() && in[j] == ',') {
    size_t k = j + 1;
    if (k < in.size() && in[k] == ' ') ++k;
    if (k < in.size() && in[k] == '?') end = k + 1;
  } else if (at(in, j, " offset ?")) {
    end = j + 9;
  }
  if (end == j) return in;
  char* text = const_cast<char*>(in.data());
  std::memmove(text + j, text + end, in.size() - end);
  return {text, in.size() - (end - j)};
}

// if (m/\bORDER BY /gi) { s/\G(.+?)\s+ASC/$1/gi }: from the first ORDER BY on, removes
// each whitespace run followed by "asc", each at least one byte after the previous one.
// In place, like shorten_limit.
std::string_view Fingerprinter::drop_order_by_asc(std::string_view in) {
  size_t i = 0;
  while ((i = in.find("order by ", i)) != std::string_view::npos && !word_start(in, i)) ++i;
  if (i == std::string_view::npos) return in;
  const size_t n = in.size();
  char* text = const_cast<char*>(in.data());
  size_t pos = i + 9;  // \G: where the previous match ended
  size_t o = pos;
  size_t r = pos;  // read position
  for (;;) {
    size_t w = pos + 1;
    size_t run_end = 0;
    for (; w < n; ++w) {
      if (!is_space(in[w])) continue;
      run_end = w;
      while (run_end < n && is_space(in[run_end])) ++run_end;
      if (at(in, run_end, "asc")) break;
      w = run_end;
    }
    if (w >= n) break;
    std::memmove(text + o, text + r, w - r);
    o += w - r;
    r = pos = run_end + 3;
  }
  std::memmove(text + o, text + r, n - r);
  return {text, o + (n - r)};
}

void close_cut_statement(std::string& cut) {
  // What fingerprint() leaves of an open literal or comment is the tell: every quote it
  // pairs is gone (rules 9-11) and every "/*" it closes (rule 6), so a quote or a "/*"
  // not followed by "!" in the result was left open, with the text after it. The probe
  // starts with "x " so that no rule anchored at the start (1, 3, 4, 5: a multi-row
  // INSERT is cut after its first row) hides the rest of the text.
  // pt's own reading: its fingerprint of the cut text shows what the cut left open.
  Fingerprinter fingerprinter({.match_pt_on_misquoted_text = true});
  std::string probe;
  for (int round = 0; round < 8; ++round) {
    probe.assign("x ");
    probe += cut;
    const std::string_view fp = fingerprinter.fingerprint(probe);
    size_t comment = fp.find("/*");
    while (comment != std::string_view::npos && comment + 2 < fp.size() && fp[comment + 2] == '!')
      comment = fp.find("/*", comment + 1);
    const bool double_quote = fp.find('"') != std::string_view::npos;
    const bool single_quote = fp.find('\'') != std::string_view::npos;
    if (comment == std::string_view::npos && !double_quote && !single_quote) {
      // Then the parentheses, so that a cut list still folds: "in (?,?,?" becomes
      // "in(?+)", the class of the whole statement.
      const auto open =
          std::count(fp.begin(), fp.end(), '(') - std::count(fp.begin(), fp.end(), ')');
      if (open > 0) cut.append(static_cast<size_t>(open), ')');
      return;
    }
    // A trailing backslash would turn the closing quote into an escaped one.
    while (!cut.empty() && cut.back() == '\\') cut.pop_back();
    // The comment first: quotes inside it are its text. Then the double-quote stage,
    // which runs before the single-quote one.
    cut += comment != std::string_view::npos ? " */" : double_quote ? "\"" : "'";
  }
  // Not settled (text no real statement ends in): keep only what comes before the first
  // quote or comment.
  size_t keep = cut.find_first_of("'\"");
  keep = std::min({keep, cut.find("/*"), cut.find("--"), cut.find('#')});
  if (keep != std::string::npos) cut.resize(keep);
}

}  // namespace slowscope

#undef SLOWSCOPE_STAGE
