// Slow-log line syntax: the line-level matchers of pt-query-digest's SlowLogParser
// (percona-toolkit 3.2.1), re-implemented without a regex engine so that the parser can
// split and read entries exactly the way pt-query-digest does, in linear time.
//
// Each matcher documents the Perl pattern it stands for. "Space" means Perl's \s
// ([ \t\n\r\f\v]) and "word" means Perl's \w on bytes ([A-Za-z0-9_]). Lines are passed
// without their line terminator.
//
// Stateless free functions; safe to call from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "analyzer/event/query_event.h"

namespace slowscope::slow_log_syntax {

namespace detail {
enum : uint8_t { kSpaceClass = 1, kWordClass = 2 };
// One table lookup instead of a chain of range tests in the per-byte loops.
inline constexpr std::array<uint8_t, 256> kCharClasses = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      t[c] |= kSpaceClass;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
      t[c] |= kWordClass;
    }
  }
  return t;
}();
}  // namespace detail

inline bool is_space(char c) {
  return detail::kCharClasses[static_cast<unsigned char>(c)] & detail::kSpaceClass;
}
inline bool is_word(char c) {
  return detail::kCharClasses[static_cast<unsigned char>(c)] & detail::kWordClass;
}
inline bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
inline bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Where the line starting at `p` ends within `n` bytes: `len` is the offset of its '\n'
// (or n when there is none, `found` false). `plain` is true when every byte before the
// '\n' is printable ASCII or TAB, so the line has no NUL and is not binary (is_binary).
// Looks at sixteen bytes at a time where SSE2 is available.
struct LineEnd {
  size_t len;
  bool found;
  bool plain;
};
LineEnd find_line_end(const char* p, size_t n);

// The number of '\n' bytes in [p, p + n); sixteen at a time where SSE2 is available.
size_t count_newlines(const char* p, size_t n);

// True when `line` ends with ';' (the terminator half of pt's ";\n#" record separator).
inline bool ends_with_semicolon(std::string_view line) {
  return !line.empty() && line.back() == ';';
}

// `^(?:#|use |SET (?:last_insert_id|insert_id|timestamp))`: lines that SlowLogParser reads
// as entry header rather than as the start of the statement text.
inline bool is_headerish(std::string_view line) {
  if (line.empty()) return false;
  if (line[0] == '#') return true;
  if (line.starts_with("use ")) return true;
  if (!line.starts_with("SET ")) return false;
  std::string_view rest = line.substr(4);
  return rest.starts_with("timestamp") || rest.starts_with("insert_id") ||
         rest.starts_with("last_insert_id");
}

// `$slow_log_hd_line`: a server start-up banner line ("/usr/sbin/mysqld, Version: ...
// started with:", "Tcp port: 3306  Unix socket: ...", "Time  Id Command  Argument").
// pt-query-digest deletes these wherever they appear (only when newline-terminated).
bool is_startup_header(std::string_view line);

// `^# Time: ((?:[0-9: ]{15})|(?:[-0-9: T]{19}))`: returns pt's captured `ts` text.
std::optional<std::string_view> match_time(std::string_view line);

// Microseconds since the epoch for the text after "# Time: " ("071015 21:43:52",
// "131128  1:05:31", "2019-03-01T12:00:00.123456Z", "...+01:00"). Old-style times carry
// no zone; they are read as UTC. nullopt when the text is not a valid time.
std::optional<int64_t> parse_time(std::string_view text);

// `# User\@Host: ([^\[]+|\[[^[]+\]).*?@ (\S*) \[(.*)\]\s*(?:Id:\s*(\d+))?`, unanchored.
struct UserHost {
  std::string_view user;
  std::string_view host;
  std::string_view ip;
  std::string_view id_name;  // the "Id" of "Id:", empty when absent
  std::string_view id;       // digits after "Id:", empty when absent
};
std::optional<UserHost> match_user_host(std::string_view line);

// `^# (?:administrator command:.*)$`
inline bool is_admin_command(std::string_view line) {
  return line.starts_with("# administrator command:");
}

// `^# +[A-Z][A-Za-z_]+: \S+`: a line of `Name: value` attributes.
bool is_property_line(std::string_view line);

// `Schema:\s+\w+: ` present (an empty MariaDB/Percona schema): returns the [begin, end)
// of the first `Schema:\s+` that pt deletes before reading the pairs; nullopt otherwise.
struct Range {
  size_t begin;
  size_t end;
};
std::optional<Range> find_empty_schema(std::string_view line);

// The end of the run of \w bytes that starts at `p` (at most `end`); sixteen bytes at a
// time where SSE2 is available, as attribute names are about that long.
inline const char* skip_word(const char* p, const char* end) {
#if defined(__SSE2__)
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Signed compares: bytes >= 0x80 are negative and so never in a range.
    const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    const __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                        _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i word =
        _mm_or_si128(_mm_or_si128(alpha, digit), _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
    const auto other = static_cast<unsigned>(~_mm_movemask_epi8(word)) & 0xFFFFu;
    if (other != 0) return p + __builtin_ctz(other);
    p += 16;
  }
#endif
  while (p < end && is_word(*p)) ++p;
  return p;
}

// `(\w+):\s+(\S+|\Z)` applied with /g: calls f(name, value) for each pair in order.
template <typename F>
void for_each_pair(std::string_view line, F&& f) {
  const char* p = line.data();
  const char* const end = p + line.size();
  while (p < end) {
    if (!is_word(*p)) {
      ++p;
      continue;
    }
    const char* name = p;
    p = skip_word(p, end);
    if (end - p < 2 || *p != ':' || !is_space(p[1])) continue;
    std::string_view name_view(name, static_cast<size_t>(p - name));
    p += 2;
    while (p < end && is_space(*p)) ++p;
    const char* value = p;
    while (p < end && !is_space(*p)) ++p;
    f(name_view, std::string_view(value, static_cast<size_t>(p - value)));
  }
}

// is_property_line, find_empty_schema and for_each_pair in one pass, for the usual short
// attribute line: kPairs when `line` is a property line without an empty Schema, with
// its pairs (what for_each_pair gives) in `out`; kNotProperty when it is no property
// line; kOther when it may be one that this does not read (longer than kMaxBytes, an
// empty Schema to delete first): the caller then takes the three steps.
struct PropertyPairs {
  static constexpr size_t kMaxBytes = 128;
  static constexpr size_t kMaxPairs = 32;
  // Offsets into the line; left uninitialised until read (the struct is made per line).
  struct Pair {
    uint8_t name;
    uint8_t name_len;
    uint8_t value;
    uint8_t value_len;
  };
  size_t count;
  Pair pairs[kMaxPairs];

  std::string_view name(std::string_view line, size_t i) const {
    return {line.data() + pairs[i].name, pairs[i].name_len};
  }
  std::string_view value(std::string_view line, size_t i) const {
    return {line.data() + pairs[i].value, pairs[i].value_len};
  }
};
enum class PropertyLine { kNotProperty, kPairs, kOther };
PropertyLine read_property_line(std::string_view line, PropertyPairs& out);

// `^use ([^;]+)`: the database of a `use db;` line.
std::optional<std::string_view> match_use(std::string_view line);

// `^SET\s+([^;]*)`
bool match_set(std::string_view line);

// pt's reading of the first SET line of an entry: `^SET\s+([^;]*)` split on "," and on
// "=" with optional spaces around it, taken as name/value pairs
// ("SET last_insert_id=5,insert_id=6,timestamp=1" -> three pairs). Calls f(name, value)
// for each complete pair.
template <typename F>
void for_each_set_pair(std::string_view line, F&& f) {
  size_t i = 3;
  while (i < line.size() && is_space(line[i])) ++i;
  std::string_view setting = line.substr(i);
  setting = setting.substr(0, setting.find(';'));
  std::string_view name;
  bool have_name = false;
  size_t start = 0;
  auto token = [&](size_t end) {
    std::string_view t = setting.substr(start, end - start);
    if (have_name) {
      f(name, t);
      have_name = false;
    } else {
      name = t;
      have_name = true;
    }
  };
  for (size_t k = 0; k < setting.size(); ++k) {
    if (setting[k] == ',') {
      token(k);
      start = k + 1;
    } else if (setting[k] == '=' || is_space(setting[k])) {
      // "\s*=\s*" separates only when an '=' is among the spaces.
      size_t j = k;
      while (j < setting.size() && is_space(setting[j])) ++j;
      if (j < setting.size() && setting[j] == '=') {
        token(k);
        ++j;
        while (j < setting.size() && is_space(setting[j])) ++j;
        start = j;
        k = j - 1;
      }
    }
  }
  if (start < setting.size()) token(setting.size());
}

// `^\s*[A-Z][a-z_]+: ` applied at `text` (already past any leading spaces): the test
// SlowLogParser uses to tell a following entry from an admin statement.
inline bool looks_like_named_value(std::string_view text) {
  if (text.empty() || !is_upper(text[0])) return false;
  size_t i = 1;
  while (i < text.size() && (is_lower(text[i]) || text[i] == '_')) ++i;
  return i > 1 && i + 1 < text.size() && text[i] == ':' && text[i + 1] == ' ';
}

// An attribute value typed the way pt-query-digest types it: `^(?:\d+|[+-]?\d+\.\d*
// (?:E[+-]?\d+)?)$`i is a number, exactly "Yes"/"No" a boolean, anything else text.
// Stores the typed value in `out` (in place: no temporary on the hot path).
void assign_typed_value(std::string_view value, AttributeValue& out);
inline AttributeValue typed_value(std::string_view value) {
  AttributeValue out;
  assign_typed_value(value, out);
  return out;
}

// A line that cannot be part of a slow log: control bytes other than TAB, VT, FF and CR,
// or (for lines not starting with '#') bytes that are not valid UTF-8.
bool is_binary(std::string_view line);

// A line where the parser may pick up again after junk: a Time, User@Host, attribute or
// administrator-command header line.
bool is_resync_line(std::string_view line);

}  // namespace slowscope::slow_log_syntax
