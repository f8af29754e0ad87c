// Line matchers that stand in for pt-query-digest's SlowLogParser regexes.
#include "connectors/mysql/slow_log_syntax.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace slowscope::slow_log_syntax {
namespace {

constexpr int64_t kSecond = 1000000;

TEST(SlowLogSyntax, TimeLineCapturesWhatPtCaptures) {
  EXPECT_EQ(match_time("# Time: 071015 21:43:52"), "071015 21:43:52");
  EXPECT_EQ(match_time("# Time: 131128  1:05:31"), "131128  1:05:31");
  EXPECT_EQ(match_time("# Time: 2019-03-01T12:00:00.123456Z"), "2019-03-01T12:00:00");
  EXPECT_EQ(match_time("# Time: 071015 21:43:52# User@Host: a[a] @ h []"), "071015 21:43:52");
  EXPECT_FALSE(match_time("# Time: garbage here"));
  EXPECT_FALSE(match_time("#Time: 071015 21:43:52"));
  EXPECT_FALSE(match_time("# Time: 0710"));
}

TEST(SlowLogSyntax, ParsesEveryTimeStyle) {
  EXPECT_EQ(parse_time("071015 21:43:52"), 1192484632 * kSecond);
  EXPECT_EQ(parse_time("131128  1:05:31"), 1385600731 * kSecond);
  EXPECT_EQ(parse_time("131128 01:05:31"), 1385600731 * kSecond);
  EXPECT_EQ(parse_time("2019-03-01T12:00:00.123456Z"), 1551441600 * kSecond + 123456);
  EXPECT_EQ(parse_time("2019-03-01T12:00:00Z"), 1551441600 * kSecond);
  EXPECT_EQ(parse_time("2019-03-01T12:00:00.5"), 1551441600 * kSecond + 500000);
  EXPECT_EQ(parse_time("2019-03-01T13:00:00.000001+01:00"), 1551441600 * kSecond + 1);
  EXPECT_EQ(parse_time("2019-03-01T07:00:00-05:00"), 1551441600 * kSecond);
  EXPECT_EQ(parse_time("2019-03-01T07:00:00-0500"), 1551441600 * kSecond);
  EXPECT_EQ(parse_time("2019-03-01 12:00:00"), 1551441600 * kSecond);
  EXPECT_EQ(parse_time("1999-12-31T23:59:59.9999999Z"), 946684799 * kSecond + 999999);
  EXPECT_FALSE(parse_time("2019-13-01T12:00:00Z"));
  EXPECT_FALSE(parse_time("2019-03-01T25:00:00Z"));
  EXPECT_FALSE(parse_time("071015 21:43"));
  EXPECT_FALSE(parse_time("garbage"));
  EXPECT_FALSE(parse_time(""));
}

TEST(SlowLogSyntax, UserHostLikePt) {
  auto m = match_user_host("# User@Host: root[root] @ localhost []");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->user, "root");
  EXPECT_EQ(m->host, "localhost");
  EXPECT_EQ(m->ip, "");
  EXPECT_EQ(m->id, "");

  m = match_user_host("# User@Host: app[app] @ web1 [10.0.0.1]  Id:    13");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->user, "app");
  EXPECT_EQ(m->host, "web1");
  EXPECT_EQ(m->ip, "10.0.0.1");
  EXPECT_EQ(m->id_name, "Id");
  EXPECT_EQ(m->id, "13");

  m = match_user_host("# User@Host: [SQL_SLAVE] @  []");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->user, "[SQL_SLAVE]");
  EXPECT_EQ(m->host, "");

  // Without the bracketed user pt's greedy user part keeps the trailing space.
  m = match_user_host("# User@Host: root @ localhost [1.2.3.4]");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->user, "root ");
  EXPECT_EQ(m->host, "localhost");
  EXPECT_EQ(m->ip, "1.2.3.4");

  // Unanchored: found after a Time line on the same line.
  m = match_user_host("# Time: 071015 21:43:52# User@Host: cat[cat] @ box []");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->user, "cat");
  EXPECT_EQ(m->host, "box");

  EXPECT_FALSE(match_user_host("# User@Host: bad line"));
  EXPECT_FALSE(match_user_host("# User@Host: x[y] @ h"));
}

TEST(SlowLogSyntax, PropertyLines) {
  EXPECT_TRUE(is_property_line("# Query_time: 1.0  Lock_time: 0"));
  EXPECT_TRUE(is_property_line("#   InnoDB_IO_r_ops: 0"));
  EXPECT_FALSE(is_property_line("# Schema:  Last_errno: 0"));  // pt skips the whole line
  EXPECT_FALSE(is_property_line("#Query_time: 1"));
  EXPECT_FALSE(is_property_line("# explain: id select_type"));
  EXPECT_FALSE(is_property_line("# No InnoDB statistics available for this query"));
  EXPECT_FALSE(is_property_line("#"));

  std::vector<std::pair<std::string, std::string>> pairs;
  for_each_pair("# Query_time: 1.5  Lock_time: 0.0 Start: 2019-03-01T12:00:00Z End: x Schema: ",
                [&](std::string_view n, std::string_view v) { pairs.emplace_back(n, v); });
  std::vector<std::pair<std::string, std::string>> want = {{"Query_time", "1.5"},
                                                           {"Lock_time", "0.0"},
                                                           {"Start", "2019-03-01T12:00:00Z"},
                                                           {"End", "x"},
                                                           {"Schema", ""}};
  EXPECT_EQ(pairs, want);

  auto hole = find_empty_schema("# Thread_id: 13  Schema:   QC_hit: No");
  ASSERT_TRUE(hole);
  EXPECT_EQ(std::string("# Thread_id: 13  Schema:   QC_hit: No")
                .substr(hole->begin, hole->end - hole->begin),
            "Schema:   ");
  EXPECT_FALSE(find_empty_schema("# Thread_id: 13  Schema: sbtest  QC_hit: No"));
  // pt's pattern is unanchored: a later "Schema:" can be the one that matches, and then
  // the first spaced one is deleted.
  const std::string twice = "# A: xSchema: v  Schema:  QC_hit: No";
  hole = find_empty_schema(twice);
  ASSERT_TRUE(hole);
  EXPECT_EQ(hole->begin, twice.find("Schema:"));
  EXPECT_FALSE(find_empty_schema("# Schema:QC_hit: No"));
  EXPECT_FALSE(find_empty_schema("Schema"));
}

// read_property_line is is_property_line, find_empty_schema and for_each_pair in one
// pass: on random lines dense in what those key on, it must agree with them.
TEST(SlowLogSyntax, OnePassPropertyLineAgreesWithTheThreeSteps) {
  const char* const tokens[] = {"# ", "#", " ", "  ", "\t", "\v", "\r", "Schema", "Schema:", ": ",
                                ":", "QC_hit", "Query_time", "x", "1.5", "No", "Ab", "_", "S",
                                "chema", "a1", "\xc3\xa9", "\x80", "\x01", "Thread_id: 12",
                                "  Schema:   QC_hit: No", "Lock_time: 0.000001", "Schema: db"};
  uint64_t state = 7;
  auto below = [&](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;
  int kinds[3] = {0, 0, 0};
  for (int round = 0; round < 200000; ++round) {
    std::string line = below(4) == 0 ? "" : (below(2) ? "# " : "# Query_time: 1 ");
    for (uint64_t k = below(24); k > 0; --k) line += tokens[below(std::size(tokens))];
    PropertyPairs got;
    const PropertyLine kind = read_property_line(line, got);
    ++kinds[static_cast<int>(kind)];
    const bool property = is_property_line(line);
    if (kind == PropertyLine::kNotProperty) {
      ASSERT_FALSE(property) << line;
      continue;
    }
    ASSERT_TRUE(property) << line;
    if (kind == PropertyLine::kOther) {
      ASSERT_TRUE(find_empty_schema(line) || line.size() > PropertyPairs::kMaxBytes) << line;
      continue;
    }
    ASSERT_FALSE(find_empty_schema(line)) << line;
    Pairs want;
    for_each_pair(line, [&](std::string_view n, std::string_view v) { want.emplace_back(n, v); });
    Pairs have;
    for (size_t i = 0; i < got.count; ++i) have.emplace_back(got.name(line, i), got.value(line, i));
    ASSERT_EQ(have, want) << line;
  }
  // Every outcome came up often.
  for (int count : kinds) EXPECT_GT(count, 1000);
}

TEST(SlowLogSyntax, ValuesTypedLikePt) {
  EXPECT_EQ(typed_value("12"), AttributeValue(12.0));
  EXPECT_EQ(typed_value("0.000100"), AttributeValue(0.0001));
  EXPECT_EQ(typed_value("+2.5"), AttributeValue(2.5));
  EXPECT_EQ(typed_value("-1.5"), AttributeValue(-1.5));
  EXPECT_EQ(typed_value("1."), AttributeValue(1.0));
  EXPECT_EQ(typed_value("1.5e3"), AttributeValue(1500.0));
  EXPECT_EQ(typed_value("Yes"), AttributeValue(true));
  EXPECT_EQ(typed_value("No"), AttributeValue(false));
  // pt takes these for text.
  EXPECT_EQ(typed_value("-12"), AttributeValue(std::string_view("-12")));
  EXPECT_EQ(typed_value(".5"), AttributeValue(std::string_view(".5")));
  EXPECT_EQ(typed_value("1A2B"), AttributeValue(std::string_view("1A2B")));
  EXPECT_EQ(typed_value("yes"), AttributeValue(std::string_view("yes")));
  EXPECT_EQ(typed_value("nan"), AttributeValue(std::string_view("nan")));
  EXPECT_EQ(typed_value(""), AttributeValue(std::string_view("")));
}

TEST(SlowLogSyntax, StartupBanners) {
  EXPECT_TRUE(is_startup_header(
      "/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:"));
  EXPECT_TRUE(is_startup_header("Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock"));
  EXPECT_TRUE(is_startup_header("TCP Port: 0, Named Pipe: MySQL"));
  EXPECT_TRUE(is_startup_header("Time                 Id Command    Argument"));
  EXPECT_TRUE(is_startup_header("Time\t\t    Id Command\tArgument"));
  // Also taken, though pt keeps them (and glues the entries around them).
  EXPECT_TRUE(is_startup_header(
      "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-log (Debian 12). started with:"));
  EXPECT_TRUE(
      is_startup_header("mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:"));
  EXPECT_TRUE(is_startup_header(
      "C:\\Program Files\\MySQL\\bin\\mysqld.exe, Version: 8.0.36 (MySQL). started with:"));
  EXPECT_FALSE(is_startup_header("SELECT 'mysqld, Version: 1' FROM t;"));
  EXPECT_FALSE(is_startup_header("Time: 5"));
  EXPECT_FALSE(is_startup_header("Tcp port: none"));
  EXPECT_FALSE(is_startup_header("INSERT INTO t VALUES (1, 2), (3, 4);"));
  // A "mysqld" banner wins over an earlier "mariadbd" one, as in the matcher's order.
  EXPECT_TRUE(is_startup_header("mariadbd, Version: x mysqld, Version: 1 started with:"));
  EXPECT_FALSE(is_startup_header("mariadbd, Version: started with: mysqld, Version: 1"));
  EXPECT_TRUE(is_startup_header("mariadbd, Version: started with: mysqld.exe, Versio"));
}

TEST(SlowLogSyntax, SkipWordStopsAtTheFirstNonWordByte) {
  for (int c = 0; c < 256; ++c) {
    for (size_t at : {0, 5, 15, 16, 17, 31, 40}) {
      std::string s = std::string(at, 'a') + static_cast<char>(c) + std::string(20, 'Z');
      for (size_t i = 0; i < at; ++i) s[i] = "aZ09_mQ"[i % 7];
      const char* end = skip_word(s.data(), s.data() + s.size());
      const size_t want = is_word(static_cast<char>(c)) ? s.size() : at;
      EXPECT_EQ(static_cast<size_t>(end - s.data()), want) << c << " at " << at;
    }
  }
}

TEST(SlowLogSyntax, CountsNewlines) {
  std::string text;
  size_t want = 0;
  for (size_t i = 0; i < 10000; ++i) {
    const bool nl = i % 7 == 0 || (i > 4000 && i < 8200);  // long runs overflow a byte
    text.push_back(nl ? '\n' : 'x');
    want += nl ? 1 : 0;
  }
  EXPECT_EQ(count_newlines(text.data(), text.size()), want);
  for (size_t len = 0; len < 40; ++len) {
    EXPECT_EQ(count_newlines(text.data() + 4001, len), len);
  }
  EXPECT_EQ(count_newlines(text.data(), 0), 0u);
}

TEST(SlowLogSyntax, LineEndsAndPlainLines) {
  auto end_of = [](const std::string& s) { return find_line_end(s.data(), s.size()); };
  for (size_t len : {0, 1, 15, 16, 17, 40}) {
    std::string line(len, 'a');
    LineEnd e = end_of(line + "\nrest\x01");
    EXPECT_EQ(e.len, len);
    EXPECT_TRUE(e.found);
    EXPECT_TRUE(e.plain);
    e = end_of(line);
    EXPECT_EQ(e.len, len);
    EXPECT_FALSE(e.found);
    for (char odd : {'\0', '\r', '\x1f', '\x80', '\xff'}) {
      std::string bad = line + odd + line + "\n";
      e = end_of(bad);
      EXPECT_EQ(e.len, 2 * len + 1);
      EXPECT_TRUE(e.found);
      EXPECT_FALSE(e.plain) << len << " " << int(odd);
    }
    EXPECT_TRUE(end_of(line + "\t~ \n").plain);
  }
}

TEST(SlowLogSyntax, HeaderishAndBinary) {
  EXPECT_TRUE(is_headerish("# anything"));
  EXPECT_TRUE(is_headerish("use db;"));
  EXPECT_TRUE(is_headerish("SET timestamp=1;"));
  EXPECT_TRUE(is_headerish("SET insert_id=5,timestamp=7;"));
  EXPECT_FALSE(is_headerish("SET NAMES utf8;"));
  EXPECT_FALSE(is_headerish("USE db;"));
  EXPECT_FALSE(is_headerish(""));

  EXPECT_FALSE(is_binary("SELECT 'caf\xc3\xa9';"));
  EXPECT_TRUE(is_binary("SELECT 'caf\xe9';"));  // Latin-1: only junk where text is not expected
  EXPECT_FALSE(is_binary("# User@Host: j\xf6rg[j\xf6rg] @ h []"));
  EXPECT_TRUE(is_binary(std::string_view("a\0b", 3)));
  EXPECT_TRUE(
      is_binary("a\x01"
                "b"));
  EXPECT_FALSE(is_binary("tab\tand\rcr"));
  EXPECT_TRUE(is_binary("\xed\xa0\x80"));  // a UTF-16 surrogate
  EXPECT_TRUE(is_binary("\xc0\xaf"));      // overlong

  EXPECT_TRUE(looks_like_named_value("Time: 071015"));
  EXPECT_TRUE(looks_like_named_value("Query_time: 1"));
  EXPECT_FALSE(looks_like_named_value("User@Host: a"));
  EXPECT_FALSE(looks_like_named_value("InnoDB_IO_r_ops: 1"));
  EXPECT_FALSE(looks_like_named_value("administrator command: Quit;"));
}

TEST(SlowLogSyntax, SetLinePairsAsPtSplitsThem) {
  struct Case {
    const char* line;
    std::vector<std::pair<std::string, std::string>> pairs;
  } cases[] = {
      {"SET timestamp=1192484632;", {{"timestamp", "1192484632"}}},
      {"SET last_insert_id=5,insert_id=6,timestamp=1;",
       {{"last_insert_id", "5"}, {"insert_id", "6"}, {"timestamp", "1"}}},
      {"SET  insert_id = 7 ;", {{"insert_id", "7 "}}},
      {"SET timestamp;", {}},
  };
  for (const auto& c : cases) {
    std::vector<std::pair<std::string, std::string>> got;
    for_each_set_pair(c.line, [&](std::string_view n, std::string_view v) {
      got.emplace_back(std::string(n), std::string(v));
    });
    EXPECT_EQ(got, c.pairs) << c.line;
  }
}

}  // namespace
}  // namespace slowscope::slow_log_syntax
