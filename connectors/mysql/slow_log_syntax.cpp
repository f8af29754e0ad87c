#include "connectors/mysql/slow_log_syntax.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace slowscope::slow_log_syntax {
namespace {

constexpr std::string_view kUserHostTag = "# User@Host: ";
// A line can hold the User@Host tag many times only when it is junk; bounding the number
// of start positions tried keeps the matcher linear.
constexpr int kMaxUserHostAttempts = 8;

bool is_line_space(char c) {
  return is_space(c);
}

// `(?:started\swith:|embedded\slibrary)` anywhere in `s`.
bool has_startup_tail(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    std::string_view rest = s.substr(i);
    if (rest.size() >= 13 && rest.starts_with("started") && is_line_space(rest[7]) &&
        rest.substr(8).starts_with("with:")) {
      return true;
    }
    if (rest.size() >= 16 && rest.starts_with("embedded") && is_line_space(rest[8]) &&
        rest.substr(9).starts_with("library")) {
      return true;
    }
  }
  return false;
}

int digits(std::string_view s, size_t pos, size_t count) {
  if (pos + count > s.size()) return -1;
  int v = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (!is_digit(c)) return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> to_micros(int year, int month, int day, int hour, int minute, int second,
                                 int64_t micros, int64_t offset_seconds) {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return secs * 1000000 + micros;
}

// ".ffffff" at s[pos]: microseconds (extra digits truncated); advances pos.
int64_t fraction(std::string_view s, size_t& pos) {
  if (pos >= s.size() || s[pos] != '.') return 0;
  ++pos;
  int64_t micros = 0;
  int n = 0;
  while (pos < s.size() && is_digit(s[pos])) {
    if (n < 6) {
      micros = micros * 10 + (s[pos] - '0');
      ++n;
    }
    ++pos;
  }
  for (; n < 6; ++n) micros *= 10;
  return micros;
}

}  // namespace

LineEnd find_line_end(const char* p, size_t n) {
  size_t i = 0;
  bool plain = true;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i space = _mm_set1_epi8(' ');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const auto nl = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)));
    // Signed: below ' ' are the control bytes and, as negatives, the bytes >= 0x80.
    const __m128i odd = _mm_andnot_si128(_mm_cmpeq_epi8(v, tab), _mm_cmplt_epi8(v, space));
    const auto odd_bits = static_cast<unsigned>(_mm_movemask_epi8(odd));
    if (nl != 0) {
      const auto at = static_cast<unsigned>(__builtin_ctz(nl));
      return {i + at, true, plain && (odd_bits & ((1u << at) - 1)) == 0};
    }
    plain = plain && odd_bits == 0;
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c == '\n') return {i, true, plain};
    if ((c < 0x20 && c != '\t') || c >= 0x80) plain = false;
  }
  return {n, false, plain};
}

size_t count_newlines(const char* p, size_t n) {
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (n - i >= 16) {
    // Per-byte counters (0 - (-1) per hit) summed before they can overflow at 255.
    __m128i counters = _mm_setzero_si128();
    const size_t stop = i + std::min<size_t>((n - i) / 16, 255) * 16;
    for (; i < stop; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(v, newline));
    }
    const __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
    count += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<size_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n' ? 1 : 0;
  return count;
}

bool is_startup_header(std::string_view line) {
  if (line.empty()) return false;
  const char c0 = line[0];
  if (c0 == 'T') {
    // T[cC][pP]\s[pP]ort:\s+\d+
    if (line.size() >= 11 && (line[1] == 'c' || line[1] == 'C') &&
        (line[2] == 'p' || line[2] == 'P') && is_line_space(line[3]) &&
        (line[4] == 'p' || line[4] == 'P') && line.substr(5).starts_with("ort:")) {
      size_t i = 9;
      size_t spaces = 0;
      while (i < line.size() && is_line_space(line[i])) ++i, ++spaces;
      if (spaces > 0 && i < line.size() && is_digit(line[i])) return true;
    }
    // Time\s+Id\s+Command
    if (line.starts_with("Time")) {
      size_t i = 4;
      size_t n = 0;
      while (i < line.size() && is_line_space(line[i])) ++i, ++n;
      if (n > 0 && line.substr(i).starts_with("Id")) {
        i += 2;
        n = 0;
        while (i < line.size() && is_line_space(line[i])) ++i, ++n;
        if (n > 0 && line.substr(i).starts_with("Command")) return true;
      }
    }
  }
  // pt: [/A-Z].*mysqld,\sVersion.*(?:started\swith:|embedded\slibrary). Also taken: the
  // MariaDB "mariadbd" and Windows "mysqld.exe" banners and banners not starting with '/'
  // or a capital, which pt keeps and so glues the entries around them into one.
  // The daemon name ends right before a comma, and most lines have few commas or none:
  // stepping from comma to comma is quicker than searching for each name. A "mysqld"
  // banner is taken before a "mariadbd" one, whatever their order.
  const char* const begin = line.data();
  const char* const end = begin + line.size();
  std::optional<size_t> mariadbd;  // where the text after the first "mariadbd, Version" is
  for (const char* c = begin; c < end; ++c) {
    c = static_cast<const char*>(std::memchr(c, ',', static_cast<size_t>(end - c)));
    if (c == nullptr) break;
    const size_t comma = static_cast<size_t>(c - begin);
    if (comma + 9 > line.size() || !is_line_space(line[comma + 1]) ||
        line.substr(comma + 2, 7) != "Version") {
      continue;
    }
    std::string_view before = line.substr(0, comma);
    if (before.ends_with(".exe")) before.remove_suffix(4);
    if (before.ends_with("mysqld")) return has_startup_tail(line.substr(comma + 9));
    if (!mariadbd && before.ends_with("mariadbd")) mariadbd = comma + 9;
  }
  return mariadbd && has_startup_tail(line.substr(*mariadbd));
}

std::optional<std::string_view> match_time(std::string_view line) {
  if (!line.starts_with("# Time: ")) return std::nullopt;
  std::string_view s = line.substr(8);
  auto all_of = [&](size_t n, auto pred) {
    if (s.size() < n) return false;
    for (size_t i = 0; i < n; ++i) {
      if (!pred(s[i])) return false;
    }
    return true;
  };
  if (all_of(15, [](char c) { return is_digit(c) || c == ':' || c == ' '; }))
    return s.substr(0, 15);
  if (all_of(19,
             [](char c) { return is_digit(c) || c == ':' || c == ' ' || c == '-' || c == 'T'; })) {
    return s.substr(0, 19);
  }
  return std::nullopt;
}

std::optional<int64_t> parse_time(std::string_view s) {
  // ISO 8601 as MySQL 5.7+ writes it: YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+hh:mm|-hh:mm].
  if (s.size() >= 19 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == ' ') &&
      s[13] == ':' && s[16] == ':') {
    int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
    int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
      return std::nullopt;
    }
    size_t pos = 19;
    int64_t micros = fraction(s, pos);
    int64_t offset = 0;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int sign = s[pos] == '-' ? -1 : 1;
      int oh = digits(s, pos + 1, 2);
      int om = -1;
      if (oh >= 0) {
        om = (pos + 3 < s.size() && s[pos + 3] == ':') ? digits(s, pos + 4, 2)
                                                       : digits(s, pos + 3, 2);
      }
      if (oh < 0 || om < 0 || oh > 23 || om > 59) return std::nullopt;
      offset = sign * (oh * 3600 + om * 60);
    }
    return to_micros(year, month, day, hour, minute, second, micros, offset);
  }
  // Old style: YYMMDD H:MM:SS or YYMMDD HH:MM:SS, server local time (read as UTC).
  int yy = digits(s, 0, 2), month = digits(s, 2, 2), day = digits(s, 4, 2);
  if (yy < 0 || month < 0 || day < 0 || s.size() < 7 || s[6] != ' ') return std::nullopt;
  size_t pos = 6;
  while (pos < s.size() && s[pos] == ' ') ++pos;
  int hour = digits(s, pos, 2);
  if (hour >= 0 && pos + 2 < s.size() && s[pos + 2] == ':') {
    pos += 3;
  } else {
    hour = digits(s, pos, 1);
    if (hour < 0 || pos + 1 >= s.size() || s[pos + 1] != ':') return std::nullopt;
    pos += 2;
  }
  int minute = digits(s, pos, 2);
  if (minute < 0 || pos + 2 >= s.size() || s[pos + 2] != ':') return std::nullopt;
  int second = digits(s, pos + 3, 2);
  if (second < 0) return std::nullopt;
  pos += 5;
  int64_t micros = fraction(s, pos);
  int year = yy < 70 ? 2000 + yy : 1900 + yy;
  return to_micros(year, month, day, hour, minute, second, micros, 0);
}

namespace {

// After `host_begin`: `(\S*) \[` with a ']' still to come. Returns the host end.
std::optional<size_t> host_at(std::string_view line, size_t at, size_t last_rb) {
  // at: position of '@' of an "@ " pair.
  size_t h = at + 2;
  size_t he = h;
  while (he < line.size() && !is_space(line[he])) ++he;
  if (he + 1 < line.size() && line[he] == ' ' && line[he + 1] == '[' &&
      last_rb != std::string_view::npos && last_rb > he + 1) {
    return he;
  }
  return std::nullopt;
}

UserHost make_user_host(std::string_view line, size_t s, size_t user_end, size_t at,
                        size_t host_end, size_t last_rb) {
  const size_t n = line.size();
  UserHost m;
  m.user = line.substr(s, user_end - s);
  m.host = line.substr(at + 2, host_end - (at + 2));
  m.ip = line.substr(host_end + 2, last_rb - (host_end + 2));
  size_t p = last_rb + 1;
  while (p < n && is_space(line[p])) ++p;
  if (line.substr(p).starts_with("Id:")) {
    size_t tag = p;
    p += 3;
    while (p < n && is_space(line[p])) ++p;
    size_t d = p;
    while (d < n && is_digit(line[d])) ++d;
    if (d > p) {
      m.id_name = line.substr(tag, 2);
      m.id = line.substr(p, d - p);
    }
  }
  return m;
}

// The first "@ " at or after `from` that a host and " [...]" follow.
std::optional<std::pair<size_t, size_t>> first_at(std::string_view line, size_t from,
                                                  size_t last_rb) {
  for (size_t a = from; a + 1 < line.size(); ++a) {
    if (line[a] != '@' || line[a + 1] != ' ') continue;
    if (auto he = host_at(line, a, last_rb)) return std::make_pair(a, *he);
  }
  return std::nullopt;
}

// The last such "@ " in [from, to).
std::optional<std::pair<size_t, size_t>> last_at(std::string_view line, size_t from, size_t to,
                                                 size_t last_rb) {
  std::optional<std::pair<size_t, size_t>> found;
  for (size_t a = from; a < to && a + 1 < line.size(); ++a) {
    if (line[a] != '@' || line[a + 1] != ' ') continue;
    if (auto he = host_at(line, a, last_rb)) found = std::make_pair(a, *he);
  }
  return found;
}

// The pattern tried at user start `s`. Perl backtracks the greedy user part from its
// longest; the longest user that still leaves an "@ host [...]" after it wins.
std::optional<UserHost> match_user_host_at(std::string_view line, size_t s) {
  const size_t n = line.size();
  if (s >= n) return std::nullopt;
  const size_t last_rb = line.rfind(']');
  if (last_rb == std::string_view::npos || last_rb < s) return std::nullopt;
  if (line[s] != '[') {
    // ([^\[]+): at most up to the first '['.
    size_t lb = line.find('[', s);
    if (lb == std::string_view::npos) lb = n;
    if (auto at = first_at(line, lb, last_rb)) {
      return make_user_host(line, s, lb, at->first, at->second, last_rb);
    }
    if (auto at = last_at(line, s + 1, lb, last_rb)) {
      return make_user_host(line, s, at->first, at->first, at->second, last_rb);
    }
    return std::nullopt;
  }
  // (\[[^[]+\]): ends at a ']' before the next '['; the last one that works.
  size_t nb = line.find('[', s + 1);
  if (nb == std::string_view::npos) nb = n;
  auto last = last_at(line, s + 3, n, last_rb);
  if (!last) return std::nullopt;
  const size_t limit = std::min(nb, last->first);  // the ']' comes before both
  if (limit < s + 3) return std::nullopt;
  size_t q = line.rfind(']', limit - 1);
  if (q == std::string_view::npos || q < s + 2) return std::nullopt;
  auto at = first_at(line, q + 1, last_rb);
  if (!at) return std::nullopt;
  return make_user_host(line, s, q + 1, at->first, at->second, last_rb);
}

}  // namespace

std::optional<UserHost> match_user_host(std::string_view line) {
  size_t from = 0;
  for (int attempt = 0; attempt < kMaxUserHostAttempts; ++attempt) {
    size_t pos = line.find(kUserHostTag, from);
    if (pos == std::string_view::npos) return std::nullopt;
    if (auto m = match_user_host_at(line, pos + kUserHostTag.size())) return m;
    from = pos + 1;
  }
  return std::nullopt;
}

bool is_property_line(std::string_view line) {
  if (line.size() < 2 || line[0] != '#' || line[1] != ' ') return false;
  size_t i = 1;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i >= line.size() || !is_upper(line[i])) return false;
  ++i;
  size_t run = i;
  while (i < line.size() && (is_upper(line[i]) || is_lower(line[i]) || line[i] == '_')) ++i;
  return i > run && i + 2 < line.size() && line[i] == ':' && line[i + 1] == ' ' &&
         !is_space(line[i + 2]);
}

std::optional<Range> find_empty_schema(std::string_view line) {
  // Most attribute lines hold no capital S at all, so looking for those is quicker than
  // for the whole word.
  const char* const begin = line.data();
  const char* const end = begin + line.size();
  std::optional<Range> first_spaced;  // the first `Schema:\s+`, the one pt deletes
  for (const char* c = begin; end - c >= 7; ++c) {
    c = static_cast<const char*>(std::memchr(c, 'S', static_cast<size_t>(end - c) - 6));
    if (c == nullptr) break;
    if (std::memcmp(c + 1, "chema:", 6) != 0) continue;
    const size_t p = static_cast<size_t>(c - begin);
    size_t i = p + 7;
    while (i < line.size() && is_space(line[i])) ++i;
    if (i == p + 7) continue;
    if (!first_spaced) first_spaced = Range{p, i};
    const size_t w = i;
    while (i < line.size() && is_word(line[i])) ++i;
    if (i > w && i + 1 < line.size() && line[i] == ':' && line[i + 1] == ' ') return first_spaced;
  }
  return std::nullopt;
}

PropertyLine read_property_line(std::string_view line, PropertyPairs& out) {
  out.count = 0;
  const size_t n = line.size();
  const char* const b = line.data();
  // `^# +[A-Z][A-Za-z_]+: \S`, as in is_property_line.
  if (n < 2 || b[0] != '#' || b[1] != ' ') return PropertyLine::kNotProperty;
  size_t i = 2;
  while (i < n && b[i] == ' ') ++i;
  if (i >= n || !is_upper(b[i])) return PropertyLine::kNotProperty;
  size_t j = i + 1;
  while (j < n && (is_upper(b[j]) || is_lower(b[j]) || b[j] == '_')) ++j;
  if (!(j > i + 1 && j + 2 < n && b[j] == ':' && b[j + 1] == ' ' && !is_space(b[j + 2]))) {
    return PropertyLine::kNotProperty;
  }
  if (n > PropertyPairs::kMaxBytes) return PropertyLine::kOther;

  // A \w run and ": " at b[t].
  auto word_then_colon_space_at = [&](size_t t) {
    if (t >= n || !is_word(b[t])) return false;
    const auto w = static_cast<size_t>(skip_word(b + t, b + n) - b);
    return w + 1 < n && b[w] == ':' && b[w + 1] == ' ';
  };
  // for_each_pair from the first pair on, which the test above found: b[name, colon) and
  // a \s after the colon. Byte loops: the runs are short and a chain of vector searches
  // has the longer latency.
  size_t name = i;
  size_t colon = j;
  for (;;) {
    size_t v0 = colon + 2;
    while (v0 < n && is_space(b[v0])) ++v0;
    size_t v1 = v0;
    while (v1 < n && !is_space(b[v1])) ++v1;
    // pt deletes the first "Schema:\s+" when a "Schema:\s+\w+: " is anywhere. A
    // "Schema:\s" ends either a pair name (with its colon) or a value.
    if (colon - name >= 6 && b[colon - 1] == 'a' && std::memcmp(b + colon - 6, "Schema", 6) == 0 &&
        word_then_colon_space_at(v0)) {
      return PropertyLine::kOther;  // "Schema:  QC_hit: No"
    }
    if (v1 < n && v1 - v0 >= 7 && b[v1 - 1] == ':' && std::memcmp(b + v1 - 7, "Schema:", 7) == 0) {
      size_t t = v1;
      while (t < n && is_space(b[t])) ++t;
      if (word_then_colon_space_at(t)) return PropertyLine::kOther;
    }
    if (out.count == PropertyPairs::kMaxPairs) return PropertyLine::kOther;
    out.pairs[out.count++] = {static_cast<uint8_t>(name), static_cast<uint8_t>(colon - name),
                              static_cast<uint8_t>(v0), static_cast<uint8_t>(v1 - v0)};
    // The next \w run that ":\s" follows.
    size_t p = v1;
    for (;;) {
      while (p < n && !is_word(b[p])) ++p;
      if (p >= n) return PropertyLine::kPairs;
      name = p;
      p = static_cast<size_t>(skip_word(b + p, b + n) - b);
      if (n - p >= 2 && b[p] == ':' && is_space(b[p + 1])) break;
    }
    colon = p;
  }
}

std::optional<std::string_view> match_use(std::string_view line) {
  if (!line.starts_with("use ")) return std::nullopt;
  std::string_view rest = line.substr(4);
  size_t n = rest.find(';');
  if (n == std::string_view::npos) n = rest.size();
  if (n == 0) return std::nullopt;
  return rest.substr(0, n);
}

bool match_set(std::string_view line) {
  return line.size() > 3 && line.starts_with("SET") && is_space(line[3]);
}

void assign_typed_value(std::string_view v, AttributeValue& out) {
  const size_t n = v.size();
  if (n == 0) {
    out = v;
    return;
  }
  if (v[0] == 'Y' && v == "Yes") {
    out = true;
    return;
  }
  if (v[0] == 'N' && v == "No") {
    out = false;
    return;
  }
  // pt's numbers: \d+ | [+-]?\d+\.\d*(?:E[+-]?\d+)?  (case-insensitive E). One pass
  // checks the form and, for the usual "0.000412" / "154223" of at most 15 digits,
  // computes the value: a mantissa below 2^53 divided by an exact power of ten is
  // correctly rounded, so it equals what strtod gives. (With more digits the mantissa
  // may wrap; it is not used then.)
  static constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                      1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = 0;
  const bool sign = v[0] == '+' || v[0] == '-';
  if (sign) ++i;
  uint64_t mantissa = 0;
  const size_t int_begin = i;
  while (i < n && is_digit(v[i])) mantissa = mantissa * 10 + static_cast<uint64_t>(v[i++] - '0');
  const size_t int_digits = i - int_begin;
  size_t fraction = 0;
  bool point = false;
  if (int_digits > 0 && i < n && v[i] == '.') {
    point = true;
    const size_t fraction_begin = ++i;
    while (i < n && is_digit(v[i])) mantissa = mantissa * 10 + static_cast<uint64_t>(v[i++] - '0');
    fraction = i - fraction_begin;
  }
  if (int_digits == 0 || (sign && !point)) {
    out = v;
    return;
  }
  if (i == n && int_digits + fraction <= 15) {
    double d = static_cast<double>(mantissa);
    if (fraction > 0) d /= kPow10[fraction];
    out = v[0] == '-' ? -d : d;
    return;
  }
  if (i < n) {
    // Only an exponent may follow, and only after a point.
    if (!point || (v[i] != 'e' && v[i] != 'E')) {
      out = v;
      return;
    }
    ++i;
    if (i < n && (v[i] == '+' || v[i] == '-')) ++i;
    const size_t exp_begin = i;
    while (i < n && is_digit(v[i])) ++i;
    if (i == exp_begin || i != n) {
      out = v;
      return;
    }
  }
  // from_chars takes no leading '+'.
  std::string_view digits = v[0] == '+' ? v.substr(1) : v;
  double d = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
  if (ec == std::errc::result_out_of_range) {
    // Keep pt's notion of "number" and saturate like strtod: huge magnitudes become
    // infinite, tiny ones zero.
    size_t epos = digits.find_first_of("eE");
    bool tiny =
        epos != std::string_view::npos && epos + 1 < digits.size() && digits[epos + 1] == '-';
    bool negative = digits[0] == '-';
    d = tiny ? (negative ? -0.0 : 0.0) : (negative ? -HUGE_VAL : HUGE_VAL);
  } else if (ec != std::errc() || ptr != digits.data() + digits.size()) {
    out = v;
    return;
  }
  out = d;
}

bool is_binary(std::string_view line) {
  bool high = false;
  for (unsigned char c : line) {
    if (c < 0x20 && c != '\t' && c != '\v' && c != '\f' && c != '\r') return true;
    high |= c >= 0x80;
  }
  if (!high || line[0] == '#') return false;
  // UTF-8 validation (no overlongs, no surrogates, at most U+10FFFF).
  const auto* p = reinterpret_cast<const unsigned char*>(line.data());
  const auto* end = p + line.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return true;
    }
    if (end - p < len) return true;
    if (p[1] < lo || p[1] > hi) return true;
    for (int k = 2; k < len; ++k) {
      if (p[k] < 0x80 || p[k] > 0xBF) return true;
    }
    p += len;
  }
  return false;
}

bool is_resync_line(std::string_view line) {
  if (line.empty() || line[0] != '#') return false;
  return match_time(line).has_value() || line.starts_with(kUserHostTag) || is_property_line(line) ||
         is_admin_command(line);
}

}  // namespace slowscope::slow_log_syntax
