#include "analyzer/fingerprint/fingerprint.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include <unistd.h>

#include "analyzer/fingerprint/query_id.h"
#include "tests/support/counting_allocator.h"

namespace slowscope {
namespace {

struct CorpusCase {
  int line;
  std::string query;
  std::string fingerprint;
  std::string id;
};

std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char next = s[++i];
    if (next == 'n') {
      out += '\n';
    } else if (next == 't') {
      out += '\t';
    } else if (next == 'r') {
      out += '\r';
    } else if (next == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += next;
    }
  }
  return out;
}

// Reads a corpus written by scripts/refresh-fingerprint-corpus.
std::vector<CorpusCase> read_corpus(const std::string& name) {
  std::ifstream in(std::string(SLOWSCOPE_TEST_DATA) + "/fingerprint/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << name;
  std::vector<CorpusCase> cases;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab1 = line.find('\t');
    size_t tab2 = line.find('\t', tab1 + 1);
    EXPECT_NE(tab2, std::string::npos) << name << ":" << number << " is not query TAB fp TAB id";
    if (tab2 == std::string::npos) continue;
    cases.push_back({number, unescape(line.substr(0, tab1)),
                     unescape(line.substr(tab1 + 1, tab2 - tab1 - 1)), line.substr(tab2 + 1)});
  }
  return cases;
}

void check_corpus(const std::string& name, FingerprintOptions options) {
  std::vector<CorpusCase> cases = read_corpus(name);
  EXPECT_GE(cases.size(), 300u);
  Fingerprinter fingerprinter(options);
  int failures = 0;
  for (const CorpusCase& c : cases) {
    std::string_view got = fingerprinter.fingerprint(c.query);
    EXPECT_EQ(got, c.fingerprint) << name << ":" << c.line << " query: " << c.query;
    EXPECT_EQ(query_id(got), c.id) << name << ":" << c.line;
    failures += got != c.fingerprint;
  }
  std::printf("[ corpus   ] %s: %zu cases, %d differ from pt-query-digest\n", name.c_str(),
              cases.size(), failures);
}

TEST(Fingerprint, MatchesPtQueryDigestCorpus) {
  check_corpus("corpus.tsv", {.match_pt_on_misquoted_text = true});
}

TEST(Fingerprint, MatchesPtQueryDigestCorpusPreservingEmbeddedNumbers) {
  check_corpus("corpus-preserve-numbers.tsv",
               {.preserve_embedded_numbers = true, .match_pt_on_misquoted_text = true});
}

// Random statements from a small SQL-ish vocabulary, dense in the bytes and words pt's
// rules key on, so that the rules meet each other in odd ways.
class StatementGenerator {
 public:
  explicit StatementGenerator(uint64_t seed) : state_(seed) {}

  std::string next() {
    static const char* const kTokens[] = {"SELECT",
                                          "select",
                                          " ",
                                          "  ",
                                          "\t",
                                          "\n",
                                          "\r\n",
                                          "\v",
                                          "\f",
                                          "FROM",
                                          "where",
                                          "t",
                                          "t1",
                                          "sbtest1",
                                          "tab1",
                                          "x1",
                                          "b1",
                                          "db.tbl",
                                          "`t`",
                                          "`a b`",
                                          "(",
                                          ")",
                                          ",",
                                          "=",
                                          "-",
                                          "+",
                                          "--",
                                          "-- c",
                                          "#",
                                          "# c",
                                          "/*",
                                          "*/",
                                          "/* c */",
                                          "/*!40001 x */",
                                          "/**/",
                                          "/*!",
                                          "'",
                                          "\"",
                                          "\\",
                                          "\\'",
                                          "\\\"",
                                          "'a'",
                                          "\"b\"",
                                          "'it\\'s'",
                                          "''",
                                          "1",
                                          "-1",
                                          "+2",
                                          "0x1F",
                                          "0xff",
                                          "X'FF'",
                                          "x'ff'",
                                          "b'01'",
                                          "1.5",
                                          "1e5",
                                          "1E-3",
                                          ".5",
                                          "NULL",
                                          "null",
                                          "TRUE",
                                          "false",
                                          "IN",
                                          "in",
                                          "IN (1,2)",
                                          "in(?)",
                                          "VALUES",
                                          "values",
                                          "(1,2),(3,4)",
                                          "?",
                                          "x?",
                                          "b?",
                                          "UNION",
                                          "union",
                                          "UNION ALL",
                                          "select a",
                                          "LIMIT",
                                          "limit 1, 2",
                                          "LIMIT 5 OFFSET 10",
                                          "ORDER BY",
                                          "order by",
                                          "ASC",
                                          "asc",
                                          "DESC",
                                          "ascii",
                                          "INSERT",
                                          "INTO",
                                          "ON DUPLICATE KEY UPDATE",
                                          "CALL",
                                          "call",
                                          "use",
                                          "\xc3\xa9",
                                          "\xff",
                                          "a",
                                          "x",
                                          "f",
                                          "e",
                                          ";",
                                          "*",
                                          ".",
                                          "_"};
    static const char* const kStarts[] = {"INSERT INTO t VALUES(1,'a'),(2,'b')",
                                          "use ",
                                          "call p(",
                                          "INSERT IGNORE INTO t VALUES (",
                                          "select a from t order by ",
                                          "select a union select a union all select a ",
                                          "SELECT /*a.b:1/2*/ ",
                                          "administrator command: ",
                                          "SELECT /*!40001 SQL_NO_CACHE */ * FROM `"};
    std::string s;
    if (below(5) == 0) s = kStarts[below(std::size(kStarts))];
    const char* glue = below(2) ? " " : "";
    for (uint64_t k = below(30); k > 0; --k) {
      s += kTokens[below(std::size(kTokens))];
      s += glue;
    }
    if (below(8) == 0) s += " union " + s;
    return s.empty() ? "x" : s;
  }

 private:
  uint64_t below(uint64_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state_ >> 33) % n;
  }
  uint64_t state_;
};

std::string escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c >= 0x7f || (c == '#' && out.empty())) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Differential test against the real thing, when percona-toolkit is installed: random
// statements through pt-query-digest's QueryRewriter (tests/data/fingerprint/
// pt-fingerprint.pl) and through Fingerprinter must agree.
void check_random_against_pt(FingerprintOptions options, uint64_t seed) {
  if (std::system("command -v perl >/dev/null 2>&1 && command -v pt-query-digest "
                  ">/dev/null 2>&1") != 0)
    GTEST_SKIP() << "perl or pt-query-digest not installed";
  // Unique names: ctest may run both variants at once.
  const std::string base = ::testing::TempDir() + "/fingerprint_random_" +
                           std::to_string(::getpid()) + "_" + std::to_string(seed);
  const std::string in_path = base + "_in.txt";
  const std::string out_path = base + "_out.txt";
  std::vector<std::string> statements;
  StatementGenerator generator(seed);
  {
    std::ofstream in(in_path, std::ios::binary);
    for (int i = 0; i < 20000; ++i) {
      statements.push_back(generator.next());
      in << escape(statements.back()) << '\n';
    }
  }
  const std::string command = std::string("perl ") + SLOWSCOPE_TEST_DATA +
                              "/fingerprint/pt-fingerprint.pl \"$(command -v pt-query-digest)\" " +
                              (options.preserve_embedded_numbers ? "1" : "0") + " < " + in_path +
                              " > " + out_path;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::ifstream out(out_path, std::ios::binary);
  Fingerprinter fingerprinter(options);
  std::string line;
  size_t count = 0;
  int failures = 0;
  for (; count < statements.size() && std::getline(out, line); ++count) {
    size_t tab1 = line.find('\t');
    size_t tab2 = line.find('\t', tab1 + 1);
    ASSERT_NE(tab2, std::string::npos) << line;
    std::string expected = unescape(line.substr(tab1 + 1, tab2 - tab1 - 1));
    std::string_view got = fingerprinter.fingerprint(statements[count]);
    if (got != expected && ++failures <= 20) {
      ADD_FAILURE() << "statement: " << escape(statements[count]) << "\n pt: " << escape(expected)
                    << "\n us: " << escape(got);
    }
  }
  EXPECT_EQ(count, statements.size());
  EXPECT_EQ(failures, 0);
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
}

TEST(Fingerprint, MatchesPtQueryDigestOnRandomStatements) {
  check_random_against_pt({.match_pt_on_misquoted_text = true}, 1);
}

TEST(Fingerprint, MatchesPtQueryDigestOnRandomStatementsPreservingEmbeddedNumbers) {
  check_random_against_pt({.preserve_embedded_numbers = true, .match_pt_on_misquoted_text = true},
                          2);
}

// The rules most readers want to see at a glance; the corpus has the odd edges.
TEST(Fingerprint, Table) {
  struct Case {
    const char* query;
    const char* fingerprint;
  } cases[] = {
      {"SELECT c FROM sbtest1 WHERE id=5012", "select c from sbtest? where id=?"},
      {"SELECT /*!40001 SQL_NO_CACHE */ * FROM `t`", "mysqldump"},
      {"SELECT /*db.t:1/3*/ 1", "percona-toolkit"},
      {"administrator command: Quit", "administrator command: Quit"},
      {"CALL Proc(1, 'a')", "call proc"},
      {"USE Shop", "use ?"},
      {"INSERT INTO t VALUES (1,'a'),(2,'b')", "insert into t values(?+)"},
      {"select 1 /* c */ -- d", "select ? "},
      {"SELECT 'it\\'s', \"x\"", "select ?, ?"},
      // pt's number rule runs before lowercasing and knows only lowercase hex digits.
      {"SELECT 0x1f, 0x1F, 0X1F, X'1F', b'01', -1.5e3", "select ?, ?f, ?x?f, x?, ?, ?"},
      {"SELECT TRUE, false, NULL", "select ?, ?, ?"},
      {"  SELECT\n\ta  FROM t\n", "select a from t"},
      {"SELECT * FROM t WHERE id IN (1, 2, 3)", "select * from t where id in(?+)"},
      {"SELECT a FROM t UNION ALL SELECT a FROM t", "select a from t /*repeat union all*/"},
      {"SELECT * FROM t LIMIT 10, 20", "select * from t limit ?"},
      {"SELECT * FROM t LIMIT 10 OFFSET 20", "select * from t limit ?"},
      {"SELECT * FROM t ORDER BY a ASC, b DESC", "select * from t order by a, b desc"},
      // The byte before a '?' goes only when the number or '?' follows it directly; NULL
      // is a whole word of the result, whatever became of its neighbours.
      {"SELECT nullx5, a.TRUE, 1-false, x.5, NULL_, _null, Null.5",
       "select ??, a?, ??, x?, null_, _null, ??"},
      {"select ab.?, X?, .5e+3, idx5 FROM t\n", "select ab?, x?, ?, id? from t"},
      {"\v SELECT\vnull\v \n", "select\v?\v "},
      {"", ""},
  };
  Fingerprinter fingerprinter;
  for (const auto& c : cases) EXPECT_EQ(fingerprinter.fingerprint(c.query), c.fingerprint);
}

TEST(Fingerprint, PreserveEmbeddedNumbers) {
  Fingerprinter fingerprinter({.preserve_embedded_numbers = true});
  EXPECT_EQ(fingerprinter.fingerprint("SELECT c FROM sbtest1 WHERE id=5012"),
            "select c from sbtest1 where id=?");
  EXPECT_EQ(fingerprinter.fingerprint("SELECT a-1, a - 1"), "select a?, a - ?");
}

TEST(Fingerprint, AcceptsItsOwnResult) {
  Fingerprinter fingerprinter;
  std::string_view first = fingerprinter.fingerprint("SELECT a FROM t WHERE b = 1");
  EXPECT_EQ(fingerprinter.fingerprint(first), "select a from t where b = ?");
  std::string_view admin = fingerprinter.fingerprint("administrator command: Quit");
  EXPECT_EQ(fingerprinter.fingerprint(admin), "administrator command: Quit");
  std::string_view tail = fingerprinter.fingerprint("SELECT x /* c */ FROM t").substr(9);
  EXPECT_EQ(fingerprinter.fingerprint(tail), "from t");
}

TEST(Fingerprint, ViewStaysValidUntilTheNextCall) {
  Fingerprinter fingerprinter;
  std::string query = "SELECT a FROM t WHERE b = 1";
  std::string_view first = fingerprinter.fingerprint(query);
  query.assign(query.size(), 'x');  // the result must not point into the caller's text
  EXPECT_EQ(first, "select a from t where b = ?");
}

TEST(Fingerprint, NoAllocationOnceWarmedUp) {
  const char* queries[] = {
      "SELECT c FROM sbtest1 WHERE id=5012",
      "INSERT INTO t VALUES (1, 'a /* b */'), (2, 'c')",
      "SELECT a FROM t WHERE x IN (1,2) UNION SELECT a FROM t WHERE x IN (3) ORDER BY a ASC",
      "CALL p(1)",
      "# c\nSELECT \"unterminated",
  };
  Fingerprinter fingerprinter;
  for (const char* q : queries) fingerprinter.fingerprint(q);
  uint64_t before = testing::allocation_count();
  size_t total = 0;
  for (int round = 0; round < 100; ++round) {
    for (const char* q : queries) total += fingerprinter.fingerprint(q).size();
  }
  EXPECT_EQ(testing::allocation_count(), before);
  EXPECT_GT(total, 0u);
}

// Garbage must come back as some fingerprint, quickly, never a crash or a hang.
TEST(Fingerprint, Garbage) {
  Fingerprinter fingerprinter;
  std::string with_nul("SELECT '\0' FROM t\0WHERE a = 1", 29);
  EXPECT_EQ(fingerprinter.fingerprint(with_nul), std::string("select ? from t\0where a = ?", 27));
  EXPECT_EQ(fingerprinter.fingerprint("SELECT \xff\xfe\x80 FROM t"), "select \xff\xfe\x80 from t");
  EXPECT_EQ(fingerprinter.fingerprint("SELECT 'abc"), "select ?");  // pt: "select 'abc"
  EXPECT_EQ(fingerprinter.fingerprint("SELECT \"abc"), "select ?");
  EXPECT_EQ(fingerprinter.fingerprint("SELECT /* abc"), "select /* abc");
  EXPECT_EQ(fingerprinter.fingerprint("\\"), "\\");
  EXPECT_EQ(fingerprinter.fingerprint("'"), "?");
  EXPECT_EQ(fingerprinter.fingerprint("/*"), "/*");
  EXPECT_EQ(fingerprinter.fingerprint("-"), "?");
  EXPECT_EQ(fingerprinter.fingerprint("#"), "");
  EXPECT_EQ(fingerprinter.fingerprint("\n"), "");
  EXPECT_EQ(fingerprinter.fingerprint(std::string(1000, '\0')), std::string(1000, '\0'));
}

// Where pt's regexes pair a quote across a literal's end, its fingerprint keeps the rest
// of the literal; by default the quoting is read as MySQL reads it, and no literal text
// is left. Each case: the statement, pt's fingerprint, slowscope's.
TEST(Fingerprint, LeavesNoLiteralTextWherePtMisreadsTheQuoting) {
  struct Case {
    const char* query;
    const char* pt;
    const char* ours;
  };
  const Case cases[] = {
      {"SELECT `a\"b` FROM t WHERE x = 'se\"cret'", "select `a?cret'",
       "select `a_b` from t where x = ?"},
      {"SELECT * FROM t WHERE a = 'x\"y' AND c = \"d'e\"", "select * from t where a = ?e\"",
       "select * from t where a = ? and c = ?"},
      {"SELECT 1 # it's\nFROM t WHERE x = 'secret'", "select ? # it?secret'",
       "select ? from t where x = ?"},
      {"SELECT 1 -- don't\nFROM t WHERE x = 'secret'", "select ? ? don?secret'",
       "select ? from t where x = ?"},
      {"SELECT * FROM t WHERE a = 'a\\\\' AND b = 'secret'", "select * from t where a = ?secret'",
       "select * from t where a = ? and b = ?"},
      {"SELECT * FROM t WHERE a = 'a/*b' AND y = 1 /* c */ AND z = 'secret'",
       "select * from t where a = ?secret'", "select * from t where a = ? and y = ? and z = ?"},
      {"SELECT * FROM t WHERE pw = 'secret", "select * from t where pw = 'secret",
       "select * from t where pw = ?"},
      {"SELECT * FROM t WHERE pw = 'secret\\", "select * from t where pw = 'secret\\",
       "select * from t where pw = ?"},
      // A comment the text ends in is kept (comment text, not a literal); its quotes pair
      // with nothing.
      {"SELECT 1 /* it's\n'secret", "select ? /* it?secret", "select ? /* it_s _secret"},
      // CALL keeps only the procedure's name: pt's name can hold a quote.
      {"CALL p'x'(1)", "call p'x'", "call p_x_"},
      {"SELECT 'a\\/* b', 'c', 1 /* d */, 'secret'", "select ?secret'", "select ?, ?, ? , ?"},
      {"SELECT 1, \\/* c */'secret'", "select ?, secret'", "select ?, _?"},
      // Quoting pt reads right is left as pt has it.
      {"SELECT 'it''s', \"a'b\", '{\"k\":1}' FROM `t`", "select ??, ?, ? from `t`",
       "select ??, ?, ? from `t`"},
      {"SELECT 'a\\'b', 'c' /* it's */", "select ?, ? ", "select ?, ? "},
      {"SELECT /*!40001 'x' */ 1", "select /*!? ? */ ?", "select /*!? ? */ ?"},
  };
  Fingerprinter ours;
  Fingerprinter pt({.match_pt_on_misquoted_text = true});
  for (const Case& c : cases) {
    EXPECT_EQ(pt.fingerprint(c.query), c.pt) << c.query;
    EXPECT_EQ(ours.fingerprint(c.query), c.ours) << c.query;
  }
}

// No quote character survives in the default fingerprint of a statement: every string
// is paired and replaced (over the corpus and random statements dense in quotes).
TEST(Fingerprint, NoQuoteSurvivesTheDefaultReading) {
  Fingerprinter fingerprinter;
  auto check = [&](const std::string& query) {
    const std::string_view fp = fingerprinter.fingerprint(query);
    if (query.starts_with("administrator command: ")) return;
    EXPECT_EQ(fp.find_first_of("'\""), std::string_view::npos)
        << "statement: " << escape(query) << "\n fingerprint: " << escape(fp);
  };
  int corpus_differs = 0;
  Fingerprinter pt({.match_pt_on_misquoted_text = true});
  for (const CorpusCase& c : read_corpus("corpus.tsv")) {
    check(c.query);
    corpus_differs += fingerprinter.fingerprint(c.query) != pt.fingerprint(c.query);
  }
  StatementGenerator generator(3);
  for (int i = 0; i < 20000 && !HasFailure(); ++i) check(generator.next());
  std::printf("[ corpus   ] corpus.tsv: %d statements read differently from pt\n", corpus_differs);
}

// A statement cut at a length limit: whatever the cut left open is closed, so that the
// fingerprint shows no literal text; complete text is left alone.
TEST(Fingerprint, CloseCutStatement) {
  struct Case {
    const char* cut;
    const char* closed;
    const char* fingerprint;
  };
  const Case cases[] = {
      {"UPDATE t SET a = 'secret value", "UPDATE t SET a = 'secret value'", "update t set a = ?"},
      {"UPDATE t SET a = \"secret", "UPDATE t SET a = \"secret\"", "update t set a = ?"},
      {"SELECT 'it''s a se", "SELECT 'it''s a se'", "select ??"},
      {"SELECT 'a\\'b se", "SELECT 'a\\'b se'", "select ?"},
      {"SELECT 'secret\\", "SELECT 'secret'", "select ?"},
      {"SELECT 'a', \"b 'c", "SELECT 'a', \"b 'c\"", "select ?, ?"},
      // The double-quote stage runs first: it closes "b, then the single-quote one 'a ?.
      {"SELECT 'a \"b", "SELECT 'a \"b\"'", "select ?"},
      {"SELECT 1 /* a secret note", "SELECT 1 /* a secret note */", "select ? "},
      {"SELECT 1 /* it's", "SELECT 1 /* it's */", "select ? "},
      {"SELECT /*!40001 'x", "SELECT /*!40001 'x'", "select /*!? ?"},
      // A multi-row INSERT fingerprints from its first row (rule 5), but its text, shown
      // with --examples and read for table names, is closed too.
      {"INSERT INTO t VALUES (1, 'a'), (2, 'secret", "INSERT INTO t VALUES (1, 'a'), (2, 'secret')",
       "insert into t values(?+)"},
      // Open parentheses are closed too, so that cut lists fold as whole ones do.
      {"SELECT * FROM t WHERE id IN (1, 2, 3", "SELECT * FROM t WHERE id IN (1, 2, 3)",
       "select * from t where id in(?+)"},
      {"INSERT t VALUES (1,'a'),(2,'b", "INSERT t VALUES (1,'a'),(2,'b')", "insert t values(?+)"},
      {"SELECT f(g('(", "SELECT f(g('('))", "select f(g(?))"},  // not the ( in the literal
      // Nothing open: unchanged.
      {"SELECT 'a' FROM t WHERE b = \"c\"", "SELECT 'a' FROM t WHERE b = \"c\"",
       "select ? from t where b = ?"},
      {"SELECT 1 -- a comment runs to the cut", "SELECT 1 -- a comment runs to the cut",
       "select ? "},
      {"INSERT INTO t VALUES (1, 'a'), (2, 'b')", "INSERT INTO t VALUES (1, 'a'), (2, 'b')",
       "insert into t values(?+)"},
      {"", "", ""},
  };
  Fingerprinter fingerprinter;
  for (const Case& c : cases) {
    std::string text = c.cut;
    close_cut_statement(text);
    EXPECT_EQ(text, c.closed) << c.cut;
    EXPECT_EQ(fingerprinter.fingerprint(text), c.fingerprint) << c.cut;
  }
  // Long text cut in a literal: closed in one round, and quickly.
  std::string big = "INSERT INTO t VALUES ('" + std::string(8 << 20, 'x');
  close_cut_statement(big);
  EXPECT_EQ(big.size(), 23u + (8 << 20) + 2);
  EXPECT_TRUE(big.ends_with("x')"));
}

// Statements built to hit each pass's worst case (4 MB each, to keep sanitizer builds
// quick) and 10 MB of random bytes: every one must finish in time linear in its length;
// ctest's timeout catches a quadratic pass.
TEST(Fingerprint, HugeStatements) {
  const size_t size = 4 << 20;
  auto repeat = [&](std::string_view prefix, std::string_view unit) {
    std::string s(prefix);
    while (s.size() < size) s += unit;
    return s;
  };
  std::string distinct_unions = "select a0 from t";
  for (int i = 0; distinct_unions.size() < size; ++i) {
    distinct_unions += " union select a";
    for (int k = i; k > 0; k /= 26) distinct_unions += static_cast<char>('a' + k % 26);
    distinct_unions += " from t";
  }
  std::string random_bytes(10 << 20, '\0');
  uint64_t state = 42;
  for (char& c : random_bytes) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>(state >> 56);
  }
  const std::string inputs[] = {
      repeat("SELECT ", "a"),
      repeat("SELECT ", "'"),
      repeat("SELECT ", "\""),
      repeat("SELECT ", "'\""),
      repeat("SELECT ", "\\'"),
      repeat("SELECT ", "/*"),
      repeat("SELECT ", "*/"),
      repeat("SELECT ", "--'"),
      repeat("SELECT ", "#\n"),
      repeat("SELECT ", "-- x"),
      repeat("SELECT ", "/*a.b"),
      repeat("SELECT ", "1"),
      repeat("SELECT ", "x?"),
      repeat("SELECT ", " "),
      repeat("SELECT ", "null "),
      repeat("SELECT ", "true,"),
      repeat("SELECT ", "in (?, "),
      repeat("SELECT * FROM t WHERE a IN ", "(?,?),"),
      repeat("SELECT ", "select a union "),
      repeat("SELECT ", "select a union select a union "),
      repeat("SELECT ", "select a union select b union "),
      repeat("SELECT a FROM t ORDER BY ", "a asc "),
      repeat("SELECT a FROM t ORDER BY ", "a "),
      repeat("SELECT ", "limit ? "),
      repeat("INSERT INTO t VALUES (", ")"),
      repeat("INSERT INTO t VALUES (", "values "),
      repeat("INSERT INTO t ", "values ("),
      repeat("CALL ", "p("),
      repeat("USE ", "d"),
      distinct_unions,
      random_bytes,
  };
  Fingerprinter fingerprinter;
  for (const std::string& input : inputs) {
    auto start = std::chrono::steady_clock::now();
    std::string_view fp = fingerprinter.fingerprint(input);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LE(fp.size(), input.size() + input.size() / 2);
    std::string label = input.substr(0, 24);
    for (char& c : label) c = (c >= ' ' && c < 0x7f) ? c : '.';
    std::printf("[ huge     ] %5.1f MB %-24s... %5.2f s\n", input.size() / 1e6, label.c_str(),
                seconds);
  }
}

// Informational: throughput on sysbench-like statements. Meaningful only in a Release
// build; docs/FINGERPRINT.md has the reference numbers.
TEST(Fingerprint, Throughput) {
  const std::string queries[] = {
      "SELECT c FROM sbtest1 WHERE id=5012",
      "SELECT c FROM sbtest3 WHERE id BETWEEN 4927 AND 5026",
      "SELECT SUM(k) FROM sbtest2 WHERE id BETWEEN 5001 AND 5100",
      "SELECT c FROM sbtest1 WHERE id BETWEEN 5001 AND 5100 ORDER BY c",
      "SELECT DISTINCT c FROM sbtest4 WHERE id BETWEEN 5001 AND 5100 ORDER BY c",
      "UPDATE sbtest1 SET k=k+1 WHERE id=4999",
      "UPDATE sbtest2 SET c='83868641912-28773972837-60736120486-75162659906-27563526494-"
      "20381887404-41576422241-93426793964-56405065102-33518432330' WHERE id=5017",
      "DELETE FROM sbtest1 WHERE id=5003",
      "INSERT INTO sbtest1 (id, k, c, pad) VALUES (5003, 4987, '68487932199-96439406143-"
      "93774651418-41631865787-96406072701-20604855487-25459966574-28203206787-41238978918-"
      "19503783441', '22195207048-70116052123-74140395089-76317954521-98694025897')",
      "BEGIN",
      "COMMIT",
  };
  size_t bytes = 0;
  for (const std::string& q : queries) bytes += q.size();
  Fingerprinter fingerprinter;
  size_t sink = 0;
  uint64_t rounds = 0;
  double seconds = 0;
  auto start = std::chrono::steady_clock::now();
  while (seconds < 1.0) {
    for (int r = 0; r < 1000; ++r) {
      for (const std::string& q : queries) sink += fingerprinter.fingerprint(q).size();
    }
    rounds += 1000;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::printf("[ speed    ] %.1f MB/s, %.2f M statements/s (this build type)\n",
              static_cast<double>(bytes) * rounds / seconds / 1e6,
              static_cast<double>(std::size(queries)) * rounds / seconds / 1e6);
  EXPECT_GT(sink, 0u);
}

}  // namespace
}  // namespace slowscope
