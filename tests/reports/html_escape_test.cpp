// Hostile strings from a database or a log, escaped for the HTML report: the exact output for
// an XSS corpus, bidi and control characters made visible (in markup and in text a script
// shows), invalid UTF-8 replaced, and script_json reading back as the same value with none of
// the bytes that could end a <script> element.
#include "reports/html/html_escape.h"

#include <gtest/gtest.h>

#include <string>

namespace slowscope::html {
namespace {

using namespace std::string_literals;

struct Case {
  std::string in;
  std::string text;       // html_text
  std::string attribute;  // html_attribute
};

const Case kCorpus[] = {
    {"</script>", "&lt;/script&gt;", "&lt;/script&gt;"},
    {"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;",
     "&lt;img src=x onerror=alert(1)&gt;"},
    {"\"><svg onload=alert(1)>", "&quot;&gt;&lt;svg onload=alert(1)&gt;",
     "&quot;&gt;&lt;svg onload=alert(1)&gt;"},
    {"' onmouseover='alert(1)", "&#39; onmouseover=&#39;alert(1)",
     "&#39; onmouseover=&#39;alert(1)"},
    // Harmless as text; the report never writes hostile text into a URL attribute.
    {"javascript:alert(1)", "javascript:alert(1)", "javascript:alert(1)"},
    {"a && b", "a &amp;&amp; b", "a &amp;&amp; b"},
    {"&lt;already escaped&gt;", "&amp;lt;already escaped&amp;gt;",
     "&amp;lt;already escaped&amp;gt;"},
    {"<!-- x -->", "&lt;!-- x --&gt;", "&lt;!-- x --&gt;"},
    {"select *\n\tfrom t\r\n", "select *\n\tfrom t\r\n", "select *&#10;&#9;from t&#13;&#10;"},
    // U+202E RIGHT-TO-LEFT OVERRIDE would show "users_admin" reversed after it.
    {"select 1 -- \u202Enimda_sresu", "select 1 -- \\u202Enimda_sresu",
     "select 1 -- \\u202Enimda_sresu"},
    {"\u2066x\u2069 \u202A\u202B\u202C\u202D", "\\u2066x\\u2069 \\u202A\\u202B\\u202C\\u202D",
     "\\u2066x\\u2069 \\u202A\\u202B\\u202C\\u202D"},
    {"\u200Ftab\u200E\u061C", "\\u200Ftab\\u200E\\u061C", "\\u200Ftab\\u200E\\u061C"},
    {"a\u2028b\u2029c", "a\\u2028b\\u2029c", "a\\u2028b\\u2029c"},
    {"zero\u200Bwidth\uFEFF", "zero\\u200Bwidth\\uFEFF", "zero\\u200Bwidth\\uFEFF"},
    // Tag characters spell invisible ASCII.
    {"x\U000E0041\U000E0042", "x\\u{E0041}\\u{E0042}", "x\\u{E0041}\\u{E0042}"},
    {"nul\0byte"s, "nul\\u0000byte", "nul\\u0000byte"},
    {"bell\x07 esc\x1b[31m del\x7f", "bell\\u0007 esc\\u001B[31m del\\u007F",
     "bell\\u0007 esc\\u001B[31m del\\u007F"},
    {"c1\u0085\u009b", "c1\\u0085\\u009B", "c1\\u0085\\u009B"},
    // Ill-formed UTF-8: one U+FFFD per maximal subpart, the next character kept.
    {"bad\xff", "bad\uFFFD", "bad\uFFFD"},
    {"\xc3(", "\uFFFD(", "\uFFFD("},
    {"\xe2\x82<", "\uFFFD&lt;", "\uFFFD&lt;"},                     // truncated 3-byte sequence
    {"\xc0\xaf", "\uFFFD\uFFFD", "\uFFFD\uFFFD"},                  // overlong '/'
    {"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD"},  // a surrogate
    {"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD\uFFFD"},  // above U+10FFFF
    {"\xf0\x9f\x98", "\uFFFD", "\uFFFD"},  // truncated at the end
    // Well-formed text of every length passes as it is.
    {"Gr\u00FC\u00DFe \u20AC \U0001F600 \u65E5\u672C",
     "Gr\u00FC\u00DFe \u20AC \U0001F600 \u65E5\u672C",
     "Gr\u00FC\u00DFe \u20AC \U0001F600 \u65E5\u672C"},
    {"", "", ""},
};

TEST(HtmlEscape, TextEscapesTheCorpusExactly) {
  for (const Case& c : kCorpus) EXPECT_EQ(html_text(c.in), c.text) << c.in;
}

TEST(HtmlEscape, AttributeEscapesTheCorpusExactly) {
  for (const Case& c : kCorpus) EXPECT_EQ(html_attribute(c.in), c.attribute) << c.in;
}

TEST(HtmlEscape, OutputNeverHoldsMarkupCharactersOrRawControls) {
  for (const Case& c : kCorpus) {
    for (const std::string& out : {html_text(c.in), html_attribute(c.in)}) {
      EXPECT_EQ(out.find_first_of("<>\"'"), std::string::npos) << out;
      EXPECT_EQ(out.find('\0'), std::string::npos) << out;
      EXPECT_EQ(out.find("\u202E"), std::string::npos) << out;
      EXPECT_EQ(out.find("\u2028"), std::string::npos) << out;
    }
  }
}

// What the report's script sets as textContent: the same characters made visible, markup
// characters as they are (textContent never reads them as markup).
TEST(HtmlEscape, VisibleTextShowsHiddenCharactersAndKeepsMarkupCharacters) {
  EXPECT_EQ(visible_text("<img src=x onerror=alert(1)> & \"q\" 'a'\t\r\n"),
            "<img src=x onerror=alert(1)> & \"q\" 'a'\t\r\n");
  EXPECT_EQ(visible_text("rtl\u202Eevil\u2028sep"), "rtl\\u202Eevil\\u2028sep");
  EXPECT_EQ(visible_text("bad\xff esc\x1b[0m nul\0"s), "bad\uFFFD esc\\u001B[0m nul\\u0000");
  for (const Case& c : kCorpus) {
    const std::string out = visible_text(c.in);
    EXPECT_EQ(html_text(out), c.text) << c.in;
    EXPECT_EQ(out.find('\0'), std::string::npos) << out;
    EXPECT_EQ(out.find("\u202E"), std::string::npos) << out;
    EXPECT_EQ(out.find("\u2028"), std::string::npos) << out;
    EXPECT_NO_THROW(nlohmann::json(out).dump()) << c.in;
  }
}

// Every two-byte sequence: the output is valid UTF-8, so the page is. nlohmann's dump, strict
// by default, is the independent check: it throws on invalid UTF-8.
TEST(HtmlEscape, OutputIsValidUtf8ForEveryPairOfBytes) {
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string in{static_cast<char>(a), static_cast<char>(b)};
      EXPECT_NO_THROW(nlohmann::json(html_text(in)).dump()) << a << " " << b;
      EXPECT_NO_THROW(nlohmann::json(html_attribute(in)).dump()) << a << " " << b;
    }
  }
}

TEST(ScriptJson, EscapesWhatCouldEndTheScriptElementAndReadsBackTheSame) {
  nlohmann::json value = {
      {"sql", "select '</script><script>alert(1)</script>' from t where a < b && c > d"},
      {"comment", "<!-- x --> \u2028 line \u2029 paragraph"},
      {"rtl", "\u202Eevil"},
      {"nested", {{"list", {"</SCRIPT>", "<img src=x onerror=alert(1)>", 1, 2.5, nullptr}}}},
      {"</script>", "a key too"},
  };
  const std::string out = script_json(value);
  EXPECT_EQ(out.find('<'), std::string::npos) << out;
  EXPECT_EQ(out.find('>'), std::string::npos) << out;
  EXPECT_EQ(out.find('&'), std::string::npos) << out;
  EXPECT_EQ(out.find("\u2028"), std::string::npos) << out;
  EXPECT_EQ(out.find("\u2029"), std::string::npos) << out;
  EXPECT_NE(out.find("\\u003c/script\\u003e"), std::string::npos) << out;
  EXPECT_NE(out.find("\\u2028"), std::string::npos) << out;
  EXPECT_NE(out.find("\\u0026\\u0026"), std::string::npos) << out;
  EXPECT_EQ(nlohmann::json::parse(out), value);
}

TEST(ScriptJson, OrderedJsonKeepsItsOrder) {
  nlohmann::ordered_json value;
  value["z"] = "</script>";
  value["a"] = 1;
  EXPECT_EQ(script_json(value), "{\"z\":\"\\u003c/script\\u003e\",\"a\":1}");
  EXPECT_EQ(nlohmann::ordered_json::parse(script_json(value)), value);
}

TEST(ScriptJson, InvalidUtf8InAStringBecomesReplacementCharacters) {
  const nlohmann::json value = {{"sql", "select '\xff\xfe'"}};
  const std::string out = script_json(value);
  EXPECT_EQ(nlohmann::json::parse(out)["sql"], "select '\uFFFD\uFFFD'");
}

}  // namespace
}  // namespace slowscope::html
