#include "reports/html/html_escape.h"

#include <cstdint>

#include "reports/visible_text.h"

namespace slowscope::html {
namespace {

enum class Context {
  kText,       // element content
  kAttribute,  // a double-quoted attribute value
  kVisible,    // textContent: no markup to escape, only what a reader cannot see
};

std::string escape(std::string_view in, Context context) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (size_t pos = 0; pos < in.size();) {
    const DecodedCodePoint d = decode_utf8(in, pos);
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
        } else if (c == kReplacementCharacter) {
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
