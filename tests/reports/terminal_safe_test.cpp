// terminal_safe: hostile text (statement text, release names) printed on a terminal shows
// as what it is; nothing in it reaches the terminal as a command or reorders the line.
#include <gtest/gtest.h>

#include <string>

#include "reports/text/digest_text.h"

namespace slowscope {
namespace {

using namespace std::string_literals;

TEST(TerminalSafe, EscapesWhatATerminalWouldObeyOrHide) {
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"select 1", "select 1"},
      {"a\nb\t\tc\r\nd", "a b c d"},
      {"red\x1b[31m bell\x07 del\x7f nul\0"s, "red\\x1b[31m bell\\x07 del\\x7f nul\\x00"},
      {"csi \xc2\x9b"
       "2J",
       "csi \\xc2\\x9b2J"},                            // U+009B, the C1 CSI
      {"lone \x9b\xff byte", "lone \\x9b\\xff byte"},  // not UTF-8
      {"cut \xe2\x80", "cut \\xe2\\x80"},
      // Bidi overrides would show "exe.gnp" as "png.exe"; invisible characters hide text.
      {"from \u202Egnp.exe", "from \\u202Egnp.exe"},
      {"a\u2066b\u2069c\u200Bd\uFEFFe\u2028f", "a\\u2066b\\u2069c\\u200Bd\\uFEFFe\\u2028f"},
      {"tag \U000E0041", "tag \\u{E0041}"},
      // Text a reader can read stays as it is, U+FFFD written as such too.
      {"caf\u00e9 \u65e5\u672c \U0001F600 \uFFFD", "caf\u00e9 \u65e5\u672c \U0001F600 \uFFFD"},
  };
  for (const Case& c : cases) EXPECT_EQ(terminal_safe(c.in, 200), c.out) << c.in;
}

TEST(TerminalSafe, CutsAtTheWidthInCharactersNotBytes) {
  EXPECT_EQ(terminal_safe("abcdef", 4), "abcd...");
  EXPECT_EQ(terminal_safe("\u00e9\u00e9\u00e9\u00e9\u00e9", 3), "\u00e9\u00e9\u00e9...");
  EXPECT_EQ(terminal_safe("abc", 3), "abc");
  // An escape counts as the columns it takes.
  EXPECT_EQ(terminal_safe("\u202Eabcdef", 8), "\\u202Eab...");
}

}  // namespace
}  // namespace slowscope
