// Text helpers for every place a report shows hostile text (statement text, names from a
// database or a log): which characters a reader cannot see or that reorder what a reader
// sees, for the HTML escaping (reports/html/html_escape.h) and the terminal (reports/text) —
// one list, so a U+202E that a page shows as "\u202E" is also "\u202E" on a terminal — and
// cutting UTF-8 text by characters (pages, alert summaries).
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace slowscope {

// U+FFFD, what an ill-formed UTF-8 sequence decodes to.
inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// One code point of UTF-8 text and the number of bytes it took.
struct DecodedCodePoint {
  char32_t code_point;
  size_t length;
};

// The code point of `text` at byte `pos` (< text.size()). An ill-formed sequence yields
// U+FFFD for its maximal subpart (the lead byte and the continuation bytes that fit it),
// as the WHATWG decoder does, so one bad byte never swallows the good character after it.
DecodedCodePoint decode_utf8(std::string_view text, size_t pos);

// Whether `c` is invisible or reorders the characters around it: the C0 controls, DEL,
// the C1 controls, the bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E,
// U+2066–U+2069), the zero-width and invisible formatting characters (U+200B–U+200D,
// U+2060–U+2064, U+206A–U+206F, U+FEFF, U+FFF9–U+FFFB), U+2028/U+2029 and the tag
// characters U+E0000–U+E007F.
bool is_hidden_or_reordering(char32_t c);

// Appends the visible escape of `c`: "\u" and four upper-case hex digits ("\u202E"), or
// "\u{E0041}" above U+FFFF.
void append_visible_escape(std::string& out, char32_t c);

// Appends `c` encoded as UTF-8.
void append_utf8(std::string& out, char32_t c);

// The first `max_chars` characters of UTF-8 `text`, with "…" when cut (nothing escaped).
std::string cut_text(std::string_view text, size_t max_chars);

// `text` cut to at most `max_bytes` bytes at a character boundary (for limits in bytes,
// such as an alert summary's).
std::string cut_bytes(std::string text, size_t max_bytes);

}  // namespace slowscope
