// `slowscope digest` as a user runs it: arguments, inputs, filters, outputs, exit codes.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <future>
#include <random>
#include <string>

#include "tests/digest/digest_cli.h"

namespace slowscope::testing {
namespace {

using nlohmann::json;

// Three shapes at three times, in the MySQL 5.7 format, with a secret in a literal.
constexpr const char* kSmallLog =
    "# Time: 2024-03-01T10:00:00.000000Z\n"
    "# User@Host: app[app] @ web1 [10.0.0.1]  Id: 11\n"
    "# Query_time: 0.500000  Lock_time: 0.000100 Rows_sent: 1  Rows_examined: 1000\n"
    "use shop;\n"
    "SET timestamp=1709287200;\n"
    "SELECT * FROM users WHERE email = 'alice@example.com';\n"
    "# Time: 2024-03-01T11:00:00.000000Z\n"
    "# User@Host: app[app] @ web2 [10.0.0.2]  Id: 12\n"
    "# Query_time: 0.100000  Lock_time: 0.000100 Rows_sent: 1  Rows_examined: 10\n"
    "SET timestamp=1709290800;\n"
    "SELECT * FROM users WHERE email = 'bob@example.com';\n"
    "# Time: 2024-03-01T12:00:00.000000Z\n"
    "# User@Host: batch[batch] @ cron [10.0.0.9]  Id: 13\n"
    "# Query_time: 2.000000  Lock_time: 0.000000 Rows_sent: 0  Rows_examined: 50000\n"
    "use billing;\n"
    "SET timestamp=1709294400;\n"
    "UPDATE invoices SET paid = 1 WHERE due < '2024-01-01';\n";

class DigestCli : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = dir_.file("small.log");
    std::ofstream(log_) << kSmallLog;
  }
  TempDir dir_;
  std::string log_;
};

TEST_F(DigestCli, TextReportRanksShapesAndHidesLiterals) {
  const RunResult r = run_slowscope("digest " + log_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Rank"), std::string::npos);
  EXPECT_NE(r.out.find("update invoices set paid = ? where due < ?"), std::string::npos);
  EXPECT_NE(r.out.find("Query_time distribution"), std::string::npos);
  // The UPDATE (2 s) outranks the SELECT (0.6 s in two calls).
  EXPECT_LT(r.out.find("update invoices"), r.out.find("select * from users"));
  EXPECT_EQ(r.out.find("alice@example.com"), std::string::npos) << "literal leaked";
}

TEST_F(DigestCli, ExamplesFlagShowsTheSlowestStatement) {
  const json doc = digest_json(log_ + " --examples");
  for (const auto& c : doc["classes"]) {
    if (c["fingerprint"] == "select * from users where email = ?") {
      EXPECT_EQ(c["example"]["query"], "SELECT * FROM users WHERE email = 'alice@example.com'");
      EXPECT_EQ(c["example"]["literal"], true);
      EXPECT_EQ(c["example"]["line"], 1);
    }
  }
  const json hidden = digest_json(log_);
  for (const auto& c : hidden["classes"]) {
    EXPECT_EQ(c["example"]["query"], c["fingerprint"]);
  }
}

TEST_F(DigestCli, HtmlIsOnePageOfTheRankedClassesWithoutLiterals) {
  const std::string page_path = dir_.file("digest.html");
  RunResult r = run_slowscope("digest " + log_ + " --format html --output " + page_path +
                              " --tz Europe/Berlin");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = read_file(page_path);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  EXPECT_LT(page.find("update invoices set paid = ? where due &lt; ?"),
            page.find("select * from users where email = ?"));
  EXPECT_NE(page.find("2024-03-01 11:00 CET"), std::string::npos) << "the first event, in CET";
  EXPECT_EQ(page.find("alice@example.com"), std::string::npos) << "literal leaked";
  EXPECT_EQ(page.find("http://"), std::string::npos);
  EXPECT_EQ(page.find("https://"), std::string::npos);
  // With --examples, the slowest statement as logged, escaped.
  r = run_slowscope("digest " + log_ + " --format html --examples --output " + page_path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(page_path).find("alice@example.com"), std::string::npos);
  // A zone that does not exist is refused before any log is read.
  r = run_slowscope("digest /nonexistent.log --format html --tz Nowhere/City");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Nowhere/City"), std::string::npos) << r.err;
}

TEST_F(DigestCli, JsonHasTheDocumentedShape) {
  const json doc = digest_json(log_);
  EXPECT_TRUE(matches_schema(doc, "reports/json/schemas/digest-1.schema.json"));
  EXPECT_EQ(doc["schema"], "slowscope.digest/1");
  EXPECT_EQ(doc["summary"]["events"], 3);
  EXPECT_EQ(doc["summary"]["classes"], 2);
  EXPECT_EQ(doc["summary"]["first_seen"], "2024-03-01T10:00:00Z");
  EXPECT_EQ(doc["summary"]["last_seen"], "2024-03-01T12:00:00Z");
  const json& select = doc["classes"][1];
  EXPECT_EQ(select["calls"], 2);
  EXPECT_DOUBLE_EQ(select["query_time"]["sum"].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(select["query_time"]["max"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(select["rows_examined"]["sum"].get<double>(), 1010);
  EXPECT_EQ(select["databases"], (json{{"shop", 2}}));
  EXPECT_EQ(select["hosts"].size(), 2u);
  EXPECT_EQ(select["tables"], (json{"users"}));
  EXPECT_NEAR(select["share"].get<double>(), 0.6 / 2.6, 1e-9);
}

TEST_F(DigestCli, TimeWindowAndFilters) {
  EXPECT_EQ(digest_json(log_ + " --since 2024-03-01T10:30:00Z")["summary"]["events"], 2);
  EXPECT_EQ(digest_json(log_ + " --until '2024-03-01 11:00'")["summary"]["events"], 1);
  const json both = digest_json(log_ + " --since 2024-03-01T10:30:00Z --until 2024-03-01T11:30:00Z");
  EXPECT_EQ(both["summary"]["events"], 1);
  EXPECT_EQ(both["summary"]["filtered"], 2);
  EXPECT_EQ(digest_json(log_ + " --filter db=billing")["summary"]["events"], 1);
  EXPECT_EQ(digest_json(log_ + " --filter user=app,host=web*")["summary"]["events"], 2);
  EXPECT_EQ(digest_json(log_ + " --filter db=nothing")["classes"].size(), 0u);
}

TEST_F(DigestCli, OrderByAndLimit) {
  const json by_calls = digest_json(log_ + " --order-by calls --limit 1");
  ASSERT_EQ(by_calls["classes"].size(), 1u);
  EXPECT_EQ(by_calls["classes"][0]["calls"], 2);
  EXPECT_EQ(by_calls["summary"]["classes"], 2);
  const json by_rows = digest_json(log_ + " --order-by rows_examined");
  EXPECT_EQ(by_rows["classes"][0]["fingerprint"], "update invoices set paid = ? where due < ?");
}

TEST_F(DigestCli, ReadsStandardInputAndSeveralFiles) {
  const RunResult r = run_slowscope("digest - --format json", log_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["summary"]["events"], 3);
  const json two = digest_json(log_ + " " + log_);
  EXPECT_EQ(two["summary"]["events"], 6);
  EXPECT_EQ(two["summary"]["inputs"].size(), 2u);
}

TEST_F(DigestCli, UsageErrorsExitTwoWithAClearMessage) {
  RunResult r = run_slowscope("digest " + dir_.file("missing.log"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.log"), std::string::npos) << r.err;
  r = run_slowscope("digest " + log_ + " --order-by speed");
  EXPECT_EQ(r.exit_code, 2);
  r = run_slowscope("digest " + log_ + " --since yesterday");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("30m"), std::string::npos) << r.err;
  r = run_slowscope("digest " + log_ + " --filter schema=x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("db, user, host"), std::string::npos) << r.err;
  r = run_slowscope("digest " + dir_.path().string());
  EXPECT_EQ(r.exit_code, 2);
  r = run_slowscope("");
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(DigestCli, HelpTeaches) {
  const RunResult r = run_slowscope("digest --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* text : {"--since", "--order-by", "--examples", "--threads", "Examples:", "zcat",
                           "--max-statement-bytes", "16MiB", "3 an input is not a MySQL slow log"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  }
}

TEST_F(DigestCli, OutputFileIsWrittenWhole) {
  const std::string out = dir_.file("report.json");
  std::ofstream(out) << "previous";
  const RunResult r = run_slowscope("digest " + log_ + " --format json --output " + out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(read_file(out))["summary"]["events"], 3);
  const RunResult bad =
      run_slowscope("digest " + log_ + " --output " + dir_.file("no/such/dir/report.json"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no/such/dir"), std::string::npos) << bad.err;
}

// A report holds what ran on the servers: a new one is its owner's alone, and a report
// written over an existing file keeps the mode its owner chose.
TEST_F(DigestCli, ANewReportIsPrivateAndAReplacedOneKeepsItsMode) {
  const auto mode = [](const std::string& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_mode & 0777;
  };
  const std::string fresh = dir_.file("fresh.json");
  ASSERT_EQ(run_slowscope("digest " + log_ + " --format json -o " + fresh).exit_code, 0);
  EXPECT_EQ(mode(fresh), 0600u);
  const std::string shared = dir_.file("shared.json");
  std::ofstream(shared) << "previous";
  ASSERT_EQ(::chmod(shared.c_str(), 0644), 0);
  ASSERT_EQ(run_slowscope("digest " + log_ + " --format json -o " + shared).exit_code, 0);
  EXPECT_EQ(mode(shared), 0644u);
  EXPECT_EQ(json::parse(read_file(shared))["summary"]["events"], 3);
}

TEST_F(DigestCli, AnOutputThatIsAnInputIsRefusedAndTheInputKept) {
  const std::string other = dir_.file("other.log");
  std::ofstream(other) << kSmallLog;
  const std::string link = dir_.file("hard.log");
  ASSERT_EQ(::link(log_.c_str(), link.c_str()), 0);
  std::filesystem::create_directory(dir_.file("sub"));
  // The same file by its name, another spelling, a hard link; alone or among inputs.
  for (const auto& [inputs, output] : std::vector<std::pair<std::string, std::string>>{
           {log_, log_},
           {log_, dir_.file("sub/../small.log")},
           {other + " " + log_, link},
       }) {
    const RunResult r = run_slowscope("digest " + inputs + " --format json -o " + output);
    EXPECT_EQ(r.exit_code, 2) << inputs << " -o " << output;
    EXPECT_NE(r.err.find("--output " + output + " is the input "), std::string::npos) << r.err;
    EXPECT_EQ(read_file(log_), kSmallLog) << "the input was replaced";
  }
  EXPECT_EQ(read_file(other), kSmallLog);
  // A new file, or standard output, is no input.
  const RunResult fresh = run_slowscope("digest " + log_ + " -o " + dir_.file("report.txt"));
  EXPECT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_EQ(run_slowscope("digest - -o -", log_).exit_code, 0);
}

TEST_F(DigestCli, DevicesAndPipesAreWrittenInPlaceNotReplaced) {
  const std::string fifo = dir_.file("report.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reader = std::async(std::launch::async, [&] { return read_file(fifo); });
  const RunResult r = run_slowscope("digest " + log_ + " --format json --output " + fifo);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(reader.get())["summary"]["events"], 3);
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO was replaced by a file";
  EXPECT_FALSE(std::filesystem::exists(fifo + ".tmp"));
}

TEST_F(DigestCli, GarbageIsSkippedCountedAndLocated) {
  // Binary junk between two good entries, then a half-written entry at the end.
  std::string log = kSmallLog;
  std::mt19937 rng(7);
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk += static_cast<char>(rng() % 256);
  const size_t second = log.find("# Time: 2024-03-01T11");
  log.insert(second, "\n" + junk + "\n");
  log += "# Time: 2024-03-01T13:00:00.000000Z\n# User@Host: app[app] @ web1 []\n# Query_ti";
  const std::string path = dir_.file("garbled.log");
  std::ofstream(path, std::ios::binary) << log;
  const RunResult r = run_slowscope("digest " + path + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_GE(doc["summary"]["skipped"].get<int>(), 1);
  EXPECT_GE(doc["summary"]["skipped_lines"].size(), 1u);
  EXPECT_EQ(doc["summary"]["skipped_lines"][0]["line"], 8);  // after the blank line 7
  EXPECT_NE(r.err.find("skipped"), std::string::npos);
  // The three good entries still count; the torn one is reported, not counted as a shape.
  EXPECT_GE(doc["summary"]["events"].get<int>(), 3);
  EXPECT_TRUE(matches_schema(doc, "reports/json/schemas/digest-1.schema.json"));
}

// The case: a 1.5 s statement of over 16 MiB vanished as an "unreadable stretch".
TEST_F(DigestCli, StatementsOverTheLimitAreCutAndTheirEntriesCounted) {
  const std::string path = dir_.file("big.log");
  {
    std::ofstream out(path, std::ios::binary);
    out << kSmallLog;
    out << "# Time: 2024-03-01T12:30:00.000000Z\n"
           "# User@Host: loader[loader] @ etl [10.0.0.5]  Id: 14\n"
           "# Query_time: 1.500000  Lock_time: 0.000200 Rows_sent: 0  Rows_examined: 0\n"
           "SET timestamp=1709296200;\n"
           "INSERT INTO events (id, payload) VALUES ";
    const std::string row = "(1234567, 'a payload of a few dozen bytes, secret-ish'),";
    for (size_t written = 0; written < (size_t{17} << 20); written += row.size()) out << row;
    out << "(1, 'last');\n" << kSmallLog;
  }
  const json doc = digest_json("'" + path + "' --threads 1");
  EXPECT_EQ(doc["summary"]["events"], 7);
  EXPECT_EQ(doc["summary"]["truncated_statements"], 1);
  EXPECT_EQ(doc["summary"]["max_statement_bytes"], 16 << 20);
  EXPECT_EQ(doc["summary"]["skipped"], 0);
  EXPECT_DOUBLE_EQ(doc["summary"]["query_time"].get<double>(), 2 * 2.6 + 1.5);
  bool found = false;
  for (const auto& c : doc["classes"]) {
    if (c["query_time"]["max"] != 1.5) continue;
    found = true;
    EXPECT_EQ(c["calls"], 1);
    EXPECT_EQ(c["users"]["loader"], 1);
    // The many VALUES rows of the cut text fold into one, as in the whole statement's.
    EXPECT_EQ(c["fingerprint"], "insert into events (id, payload) values(?+)");
  }
  EXPECT_TRUE(found) << "the 1.5 s entry is missing";
  EXPECT_TRUE(matches_schema(doc, "reports/json/schemas/digest-1.schema.json"));
  // Any thread count: the same report.
  EXPECT_EQ(digest_json("'" + path + "' --threads 3"), doc);

  const RunResult text = run_slowscope("digest '" + path + "'");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("statements longer than 16.0MiB, cut to that and counted: 1"),
            std::string::npos)
      << text.out.substr(0, 600);
  EXPECT_NE(text.err.find("--max-statement-bytes"), std::string::npos) << text.err;
}

TEST_F(DigestCli, MaxStatementBytesIsAnOption) {
  const std::string path = dir_.file("long.log");
  std::ofstream(path) << kSmallLog
                      << "# Time: 2024-03-01T12:30:00.000000Z\n"
                         "# Query_time: 0.250000  Lock_time: 0.000000 Rows_sent: 1\n"
                         "SELECT '" << std::string(5000, 'x') << "' FROM dual;\n";
  EXPECT_EQ(digest_json(path)["summary"]["truncated_statements"], 0);
  const json cut = digest_json(path + " --max-statement-bytes 2KiB");
  EXPECT_EQ(cut["summary"]["truncated_statements"], 1);
  EXPECT_EQ(cut["summary"]["max_statement_bytes"], 2048);
  EXPECT_EQ(cut["summary"]["events"], 4);
  EXPECT_EQ(digest_json(path + " --max-statement-bytes 2048")["summary"], cut["summary"]);
  for (const char* bad : {"100", "3GiB", "lots", "-1"}) {
    const RunResult r = run_slowscope("digest " + path + " --max-statement-bytes " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("max-statement-bytes"), std::string::npos) << r.err;
  }
  const RunResult store = run_slowscope("digest " + path + " --store sqlite:" +
                                        dir_.file("s.db") + " --target t --max-statement-bytes 4k");
  EXPECT_EQ(store.exit_code, 2);
  EXPECT_NE(store.err.find("--max-statement-bytes does not apply"), std::string::npos) << store.err;
}

// A cut inside a string literal must not put the literal's text into the fingerprint,
// which reports show without --examples.
TEST_F(DigestCli, CutStatementsKeepTheirLiteralsOutOfReports) {
  const std::string path = dir_.file("secret.log");
  std::string secret;
  while (secret.size() < 5000) secret += "hunter2-";
  std::ofstream(path) << kSmallLog
                      << "# Time: 2024-03-01T12:30:00.000000Z\n"
                         "# Query_time: 0.250000  Lock_time: 0.000000 Rows_sent: 1\n"
                         "UPDATE accounts SET note = '" << secret << "' WHERE id = 1;\n";
  const RunResult text = run_slowscope("digest " + path + " --max-statement-bytes 1KiB");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.find("hunter2"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("update accounts set note = ?"), std::string::npos) << text.out;
  const RunResult json_run =
      run_slowscope("digest " + path + " --max-statement-bytes 1KiB --format json");
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  EXPECT_EQ(json_run.out.find("hunter2"), std::string::npos);
  EXPECT_EQ(json::parse(json_run.out)["summary"]["truncated_statements"], 1);
}

// tests/data/malformed/bad-values.log: Query_time nan, -1, abc, -0.5, 1.0e999; Rows_examined
// 99999999999999999999999 and 18446744073709551615; statements without any header.
TEST_F(DigestCli, BadValuesAreSkippedOrSaturatedAndCounted) {
  const std::string path = data_path("malformed/bad-values.log");
  const json doc = digest_json("'" + path + "'");
  EXPECT_EQ(doc["summary"]["events"], 3);
  EXPECT_EQ(doc["summary"]["bad_query_time"], 5);
  EXPECT_EQ(doc["summary"]["headerless"], 2);
  EXPECT_EQ(doc["summary"]["saturated_values"], 2);
  ASSERT_EQ(doc["classes"].size(), 1u);  // no class from the bare statements
  const json& c = doc["classes"][0];
  EXPECT_EQ(c["fingerprint"], "select * from orders where id = ?");
  // Every counted call has its time: nothing half-counted.
  EXPECT_EQ(c["calls"], 3);
  EXPECT_EQ(c["query_time"]["count"], 3);
  EXPECT_DOUBLE_EQ(c["query_time"]["sum"].get<double>(), 0.103);
  // Saturated, not wrapped: sum, max and percentiles agree.
  EXPECT_EQ(c["rows_examined"]["max"], 9.2e12);
  EXPECT_DOUBLE_EQ(c["rows_examined"]["sum"].get<double>(), 2 * 9.2e12 + 1);
  EXPECT_EQ(c["rows_examined"]["p99"], 9.2e12);
  EXPECT_TRUE(matches_schema(doc, "reports/json/schemas/digest-1.schema.json"));

  const RunResult text = run_slowscope("digest '" + path + "'");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* said :
       {"entries skipped because their Query_time is not a number >= 0: 5, first at line 13",
        "statements without a slow-log header (bare SQL) skipped: 2, first at line 4",
        "attribute values beyond 9.2e12 (a corrupt log?) counted as 9.2e12: 2"}) {
    EXPECT_NE(text.out.find(said), std::string::npos) << said << "\n" << text.out.substr(0, 800);
  }
}

// tests/data/malformed/no-entries.log: two statements without any slow-log header, and one
// entry whose Query_time is not a number (18446744073708.796870.000036). pt-query-digest
// reports no class for it; neither does the digest.
TEST_F(DigestCli, AFileOfNoCountableEntryMakesNoClass) {
  const json doc = digest_json("'" + data_path("malformed/no-entries.log") + "'");
  EXPECT_EQ(doc["summary"]["events"], 0);
  EXPECT_EQ(doc["summary"]["bad_query_time"], 1);
  EXPECT_EQ(doc["summary"]["headerless"], 1);
  EXPECT_TRUE(doc["classes"].empty()) << doc["classes"].dump();

  // Bare statements alone: not a slow log at all, refused with no report.
  const std::string bare = dir_.file("bare.log");
  {
    std::ofstream out(bare, std::ios::binary);
    out << "SELECT 1;\nUPDATE t SET x = 1;\n";
  }
  const RunResult r = run_slowscope("digest " + bare);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("not a MySQL slow log"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

// On a terminal the text report's header names what was skipped; the log does not say it
// again right above. Anywhere else (stdout to a file here) the log still says it.
TEST_F(DigestCli, ATerminalGetsEachWarningOnce) {
  const std::string path = data_path("slowlogs/hand-garbage.log");
  const std::string screen = run_on_terminal("digest '" + path + "'");
  size_t said = 0;
  for (size_t at = screen.find("unreadable stretch"); at != std::string::npos;
       at = screen.find("unreadable stretch", at + 1)) {
    ++said;
  }
  EXPECT_EQ(said, 1u) << screen.substr(0, 800);
  EXPECT_NE(screen.find("# " + path + ": skipped 4 unreadable stretches"), std::string::npos)
      << screen.substr(0, 800);
  const RunResult piped = run_slowscope("digest '" + path + "'");
  EXPECT_NE(piped.err.find("skipped 4 unreadable stretch"), std::string::npos) << piped.err;
}

TEST_F(DigestCli, InputThatIsNotASlowLogExitsThree) {
  const std::string pg = dir_.file("postgresql.log");
  std::ofstream(pg) << "2024-03-01 12:00:00.123 UTC [123] LOG:  duration: 12.3 ms  statement: "
                       "SELECT 1\n2024-03-01 12:00:01.123 UTC [123] LOG:  duration: 1.3 ms  "
                       "statement: SELECT * FROM t WHERE a = 1;\n";
  const std::string junk = dir_.file("junk.bin");
  {
    std::mt19937 rng(3);
    std::ofstream out(junk, std::ios::binary);
    for (int i = 0; i < 20000; ++i) out << static_cast<char>(rng() % 256);
  }
  const std::string gz = dir_.file("slow.log.gz");
  ASSERT_EQ(std::system(("gzip -c " + log_ + " > " + gz).c_str()), 0);
  for (const std::string& input : {pg, junk}) {
    const RunResult r = run_slowscope("digest " + input);
    EXPECT_EQ(r.exit_code, 3) << input;
    EXPECT_NE(r.err.find("not a MySQL slow log"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  RunResult r = run_slowscope("digest " + gz);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("gzip-compressed: pipe it through zcat"), std::string::npos) << r.err;
  // Next to good logs too: no report from a mix that holds something else.
  r = run_slowscope("digest " + log_ + " " + pg);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  r = run_slowscope("digest -", gz);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("standard input is not a MySQL slow log"), std::string::npos) << r.err;
  // zcat as told: fine. A pipe given by name is read whole, not peeked at.
  EXPECT_EQ(std::system(("zcat " + gz + " | '" + SLOWSCOPE_BINARY + "' digest - >/dev/null").c_str()),
            0);
  const std::string fifo = dir_.file("slow.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto writer = std::async(std::launch::async, [&] {
    return std::system(("zcat " + gz + " > " + fifo).c_str());
  });
  const RunResult piped = run_slowscope("digest " + fifo + " --format json");
  EXPECT_EQ(writer.get(), 0);
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(json::parse(piped.out)["summary"]["events"], 3);
}

TEST_F(DigestCli, EmptyAndBannerOnlyLogsAreSlowLogsWithoutEntries) {
  const std::string empty = dir_.file("empty.log");
  std::ofstream(empty) << "";
  const std::string banner = dir_.file("rotated.log");
  std::ofstream(banner)
      << "/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\n"
         "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\n"
         "Time                 Id Command    Argument\n";
  for (const std::string& path : {empty, banner}) {
    const RunResult r = run_slowscope("digest " + path);
    EXPECT_EQ(r.exit_code, 0) << path << r.err;
    EXPECT_NE(r.out.find("No statements to report."), std::string::npos) << r.out;
    EXPECT_EQ(r.err, "") << path;
    EXPECT_EQ(digest_json(path)["summary"]["events"], 0);
  }
}

TEST_F(DigestCli, TerminalEscapesInStatementsAreNeutralised) {
  const std::string path = dir_.file("escape.log");
  std::ofstream(path) << "# Time: 2024-03-01T10:00:00Z\n# Query_time: 1.0  Lock_time: 0\n"
                         "SELECT 1 /* \x1b]0;owned\x07 */ FROM t WHERE a = '\x1b[2J';\n";
  const RunResult r = run_slowscope("digest " + path + " --examples");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("\\x1b"), std::string::npos);
}

}  // namespace
}  // namespace slowscope::testing
