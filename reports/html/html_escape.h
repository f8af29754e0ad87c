// Escaping for the HTML report. Every string that comes from a database or a log (SQL text,
// table, user, host and release names, series labels) is hostile: it reaches the page only
// through one of these functions, which turn it into text a browser shows as text and never
// as markup, script or reordered characters.
//
// What each function guarantees of its output:
//   - & < > " ' are character references, so the text can neither open a tag nor leave a
//     quoted attribute value;
//   - the output is valid UTF-8: each maximal ill-formed subsequence of the input (a bad
//     byte, or a lead byte and the continuation bytes that fit it) becomes one U+FFFD, as
//     the WHATWG decoder reads it;
//   - characters a reader cannot see or that reorder what a reader sees
//     (is_hidden_or_reordering in reports/visible_text.h: controls, bidi controls, zero-width
//     and invisible formatting characters, U+2028/U+2029, tag characters) are written as
//     visible escapes, "\u" and four upper-case hex digits ("\u202E"; "\u{E0041}" above
//     U+FFFF).
// The escapes make text safe as text. They do not make a URL safe: the report never puts a
// hostile string in href, src, style or an on* attribute.
//
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace slowscope::html {

// `text` for the content of an element. TAB, LF and CR stay as they are (a browser reads CR
// and CR LF as a line break).
std::string html_text(std::string_view text);

// `text` for an attribute value that the caller writes between double quotes; TAB, CR and LF
// become &#9; &#13; &#10; so that the value keeps them.
std::string html_attribute(std::string_view text);

// `text` for a script to show through textContent, which never reads markup: the visible
// escapes and U+FFFD replacements of html_text, but & < > " ' and TAB, LF, CR as they are.
// html_text(visible_text(t)) == html_text(t).
std::string visible_text(std::string_view text);

// `value` as JSON for the content of <script type="application/json">: < > & become \u003c
// \u003e \u0026 and U+2028/U+2029 become \u2028 \u2029, so that neither "</script" nor
// "<!--" can occur; invalid UTF-8 in strings becomes U+FFFD. JSON.parse and
// nlohmann::json::parse read back the same value.
std::string script_json(const nlohmann::json& value);
std::string script_json(const nlohmann::ordered_json& value);

}  // namespace slowscope::html
