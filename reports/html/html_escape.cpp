#include "reports/html/html_escape.h"

#include <cstdint>

namespace slowscope::html {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// One code point of `in` at `pos`, and how many bytes it took. An ill-formed sequence yields
// U+FFFD for its maximal subpart (the lead byte and the continuation bytes that fit it), as
// the WHATWG decoder and Unicode's recommended practice do, so one bad byte never swallows
// the good character after it.
struct Decoded {
  char32_t code_point;
  size_t length;
};

Decoded decode(std::string_view in, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(in[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return {lead, 1};
  size_t needed;
  unsigned char lower = 0x80, upper = 0xBF;  // the range of the first continuation byte
  char32_t cp;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 2;
    cp = lead & 0x0F;
    if (lead == 0xE0) lower = 0xA0;  // no overlong forms
    if (lead == 0xED) upper = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 3;
    cp = lead & 0x07;
    if (lead == 0xF0) lower = 0x90;  // no overlong forms
    if (lead == 0xF4) upper = 0x8F;  // nothing above U+10FFFF
  } else {
    return {kReplacement, 1};
  }
  size_t length = 1;
  for (size_t k = 0; k < needed; ++k) {
    if (pos + length >= in.size()) return {kReplacement, length};
    const unsigned char c = byte(pos + length);
    if (c < lower || c > upper) return {kReplacement, length};
    lower = 0x80;
    upper = 0xBF;
    cp = (cp << 6) | (c & 0x3F);
    ++length;
  }
  return {cp, length};
}

// Characters a reader cannot see, or that reorder the characters around them.
bool is_hidden_or_reordering(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x061C ||
         (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206F) || c == 0xFEFF ||
         (c >= 0xFFF9 && c <= 0xFFFB) || (c >= 0xE0000 && c <= 0xE007F);
}

void append_hex(std::string& out, char32_t value, int digits) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += kHex[(value >> shift) & 0xF];
}

// "\u202E", or "\u{E0041}" above the Basic Multilingual Plane.
void append_visible_escape(std::string& out, char32_t c) {
  if (c <= 0xFFFF) {
    out += "\\u";
    append_hex(out, c, 4);
  } else {
    out += "\\u{";
    append_hex(out, c, 5);
    out += '}';
  }
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

enum class Context {
  kText,       // element content
  kAttribute,  // a double-quoted attribute value
  kVisible,    // textContent: no markup to escape, only what a reader cannot see
};

std::string escape(std::string_view in, Context context) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (size_t pos = 0; pos < in.size();) {
    const Decoded d = decode(in, pos);
    const char32_t c = d.code_point;
    if (context == Context::kVisible && (c == '&' || c == '<' || c == '>' || c == '"' ||
                                         c == '\'' || c == '\t' || c == '\n' || c == '\r')) {
      out += static_cast<char>(c);
      pos += d.length;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        if (context == Context::kText) {
          out += static_cast<char>(c);
        } else {
          out += "&#";
          out += std::to_string(static_cast<int>(c));
          out += ';';
        }
        break;
      default:
        if (is_hidden_or_reordering(c)) {
          append_visible_escape(out, c);
        } else if (c == kReplacement) {
          append_utf8(out, c);
        } else {
          out.append(in.substr(pos, d.length));
        }
    }
    pos += d.length;
  }
  return out;
}

// JSON text from nlohmann's dump (valid UTF-8) made safe for a <script> element. Each
// replaced character can only occur inside a JSON string, where its \u escape means the same.
std::string make_script_safe(const std::string& json) {
  std::string out;
  out.reserve(json.size() + 16);
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string html_text(std::string_view text) {
  return escape(text, Context::kText);
}

std::string html_attribute(std::string_view text) {
  return escape(text, Context::kAttribute);
}

std::string visible_text(std::string_view text) {
  return escape(text, Context::kVisible);
}

std::string script_json(const nlohmann::json& value) {
  return make_script_safe(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string script_json(const nlohmann::ordered_json& value) {
  return make_script_safe(
      value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace slowscope::html
