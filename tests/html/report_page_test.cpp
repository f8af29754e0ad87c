// The acceptance tests of the HTML report: the page `slowscope report --html` writes, opened
// in a real headless Chromium the way a reader opens it.
//
// ReportPageOfPostgresAndMariadb fills one store from both real servers — a PostgreSQL
// target collected from pg_stat_statements by `collect` with continuous detection, where a
// dropped index after a release opens a finding, and a MariaDB target followed through its
// slow-log file with `examples: true` — with hostile identifiers in the statements, hostile
// literals in the MariaDB statements and hostile release names and metadata, then runs the
// real binary's report over it (once as usual, once with --examples). Its tests read the
// page with JavaScript on and off, take screenshots, and check that no hostile string turns
// into markup or script. The store is built once per test process (about 25 s).
//
// ReportPageSynthetic writes stores directly: 5,000 shapes for the page's size budget and
// paging, and what only a store written by something else can hold (a hostile target name,
// invalid UTF-8, control characters).
//
// The corpus avoids digits in identifiers because MySQL fingerprints turn them into '?';
// alert(origin) would run as well as alert(1).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/store/store.h"
#include "analyzer/time/utc_time.h"
#include "tests/digest/digest_cli.h"
#include "tests/support/headless_chromium.h"
#include "tests/support/mariadb_server.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The hostile strings. Each would open a tag, leave an attribute or script element, run a
// URL, or reorder what a reader sees, were it written into the page as it is.
constexpr const char* kScriptBreakout = "</script><script>alert(origin)</script>";
constexpr const char* kImgOnerror = "<img src=x onerror=alert(origin)>";
constexpr const char* kSvgAttributeBreakout = "\"><svg onload=alert(origin)>";
constexpr const char* kJavascriptUrl = "javascript:alert(origin)";
// A right-to-left override and a line separator: shown as the visible escapes "\u202E" and
// "\u2028" (reports/html/html_escape.h).
constexpr const char* kBidi = "rtl\u202Eevil\u2028sep";
constexpr const char* kBidiShown = "rtl\\u202Eevil\\u2028sep";
// What the MariaDB statements hold in string literals, and the JSON report and the page
// without --examples must never show. Each literal is its own statement: pt-query-digest's
// fingerprint pairs double quotes across literals.
constexpr const char* kLiteralMarker = "lit-secret";
const std::vector<std::string>& literal_statements() {
  static const std::vector<std::string> statements = {
      "SELECT id FROM report.items WHERE note = '</script><script>alert(\"lit-secret\")</script>'",
      "SELECT id FROM report.items WHERE note <> '\"><svg onload=alert(origin)> lit-secret'",
      "SELECT id FROM report.items WHERE note LIKE 'javascript:alert(origin)// lit-secret'",
      "SELECT id FROM report.items WHERE note >= 'rtl\u202E lit-secret\u2028 <img src=x "
      "onerror=alert(origin)>'"};
  return statements;
}
// The literals as the --examples page shows them.
const std::vector<std::string>& literals_shown() {
  static const std::vector<std::string> shown = {
      "</script><script>alert(\"lit-secret\")</script>", "\"><svg onload=alert(origin)> lit-secret",
      "javascript:alert(origin)// lit-secret",
      "rtl\\u202E lit-secret\\u2028 <img src=x onerror=alert(origin)>"};
  return shown;
}

// What the PostgreSQL shapes that use the index the test drops hold.
constexpr const char* kIndexedShape = "report_items WHERE grp";
// The release the index is dropped after: the finding's release.
constexpr const char* kReleaseBeforeDrop = kScriptBreakout;
const std::vector<std::string>& earlier_releases() {
  static const std::vector<std::string> names = {
      kJavascriptUrl, std::string("quotes 'single' \"double\" ") + kBidi, kSvgAttributeBreakout};
  return names;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A JavaScript string literal of `text` (JSON is one).
std::string js(const std::string& text) {
  return json(text).dump();
}

// `text` with its U+202E and U+2028 as the page shows them.
std::string shown(std::string text) {
  for (const auto& [raw, escape] :
       {std::pair<std::string, std::string>{"\u202E", "\\u202E"}, {"\u2028", "\\u2028"}}) {
    for (size_t at = text.find(raw); at != std::string::npos; at = text.find(raw, at)) {
      text.replace(at, raw.size(), escape);
      at += escape.size();
    }
  }
  return text;
}

std::string utc(std::chrono::system_clock::time_point t) {
  return format_utc(std::chrono::time_point_cast<std::chrono::seconds>(t));
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

int count(Page& page, const std::string& selector) {
  return page.evaluate("document.querySelectorAll(" + js(selector) + ").length").get<int>();
}

std::string inner_text(Page& page, const std::string& selector) {
  return page.evaluate("document.querySelector(" + js(selector) + ").innerText").get<std::string>();
}

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in:\n" << text;
}

// The shapes table's rows as shown: each row's cell texts.
std::vector<std::vector<std::string>> shown_rows(Page& page) {
  return page
      .evaluate(
          "[...document.querySelectorAll('#shapes-table tbody tr')]"
          ".map(tr => [...tr.cells].map(td => td.textContent))")
      .get<std::vector<std::vector<std::string>>>();
}

// For each shown row of the shapes table, the index of its shape in the report (the rows of
// the page's data block are the report's shapes in order); -1 for a row found nowhere.
std::vector<int> shown_shape_indexes(Page& page) {
  return page
      .evaluate(R"js((() => {
        const data = JSON.parse(document.getElementById('shapes-data').textContent);
        const texts = data.rows.map(r => JSON.stringify(r.texts));
        return [...document.querySelectorAll('#shapes-table tbody tr')].map(
            tr => texts.indexOf(JSON.stringify([...tr.cells].map(td => td.textContent))));
      })())js")
      .get<std::vector<int>>();
}

// Types `text` into the shapes filter as a reader would (the input event the script hears).
void filter_shapes(Page& page, const std::string& text) {
  page.evaluate("(() => { const f = document.getElementById('shape-filter'); f.value = " +
                js(text) + "; f.dispatchEvent(new Event('input', {bubbles: true})); })()");
}

// What markup an injection would have made, counted: the page itself has two scripts (its
// JSON data and its own script), SVG only as charts, links only within the page, and no
// event handler attribute.
json injected_markup(Page& page) {
  return page.evaluate(R"js(({
    img: document.querySelectorAll('img').length,
    scripts: document.querySelectorAll('script').length,
    untyped_scripts: document.querySelectorAll('script:not([type])').length,
    svg_outside_charts: [...document.querySelectorAll('svg')]
        .filter(s => !s.parentElement.classList.contains('charts')).length,
    svg_onload: document.querySelectorAll('svg[onload]').length,
    handler_attributes: [...document.querySelectorAll('*')]
        .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on'))).length,
    links_leaving_the_page: [...document.querySelectorAll('[href]')]
        .filter(e => !e.getAttribute('href').startsWith('#')).length,
    embeds: document.querySelectorAll('iframe,object,embed,form,base,link,style:not(:first-of-type)').length,
    http_equiv: document.querySelectorAll('meta[http-equiv]').length,
  }))js");
}

void expect_no_injected_markup(Page& page) {
  const json found = injected_markup(page);
  const json expected = {{"img", 0},
                         {"scripts", 2},
                         {"untyped_scripts", 1},
                         {"svg_outside_charts", 0},
                         {"svg_onload", 0},
                         {"handler_attributes", 0},
                         {"links_leaving_the_page", 0},
                         {"embeds", 0},
                         {"http_equiv", 1}};
  EXPECT_EQ(found, expected) << page.url();
}

// ---------------------------------------------------------------------------------------
// One store filled by the real servers.

struct RealReports {
  TempDir dir;
  fs::path html, examples_html;
  json report, examples_report;  // the JSON documents of the two runs
  std::string json_text;         // the first JSON document as written
};

class RealReportBuilder {
 public:
  RealReportBuilder(PostgresServer& postgres, MariadbServer& mariadb, RealReports& out)
      : postgres_(postgres), mariadb_(mariadb), out_(out) {}

  void build() {
    write_config();
    set_up_postgres();
    set_up_mariadb();
    const auto from = std::chrono::system_clock::now() - std::chrono::seconds(2);
    SlowscopeProcess collect(
        "collect --from-end --detect-window 5s --detect-baseline 2m --resolve-after 1000" + config_,
        out_.dir.file("collect.log"));
    std::atomic<bool> stop{false};
    std::thread postgres_load([&] { postgres_workload(stop); });
    std::thread mariadb_load([&] { mariadb_workload(stop); });
    std::string failure;
    try {
      std::this_thread::sleep_for(std::chrono::seconds(15));  // the detection's baseline
      add_releases();
      pqxx::connection c(postgres_.conninfo());
      pqxx::nontransaction(c).exec("DROP INDEX report_items_grp");
      wait_for_a_finding();
      std::this_thread::sleep_for(std::chrono::seconds(3));  // slower points after it
    } catch (const std::exception& e) {
      failure = e.what();
    }
    stop = true;
    postgres_load.join();
    mariadb_load.join();
    if (!workload_error_.empty()) failure += " workload: " + workload_error_;
    std::this_thread::sleep_for(std::chrono::seconds(3));  // read to the end of the log
    collect.stop(SIGTERM);
    if (!failure.empty()) {
      throw std::runtime_error(failure + "\n" + read_file(out_.dir.file("collect.log")));
    }
    const auto until = std::chrono::system_clock::now() + std::chrono::seconds(2);
    const std::string period = " --from " + utc(from) + " --until " + utc(until);
    out_.html = out_.dir.file("report.html");
    out_.examples_html = out_.dir.file("examples.html");
    run("report" + period + " --html '" + out_.html.string() + "' --json '" +
        out_.dir.file("report.json") + "'" + config_);
    run("report" + period + " --examples --limit 1000 --html '" + out_.examples_html.string() +
        "' --json '" + out_.dir.file("examples.json") + "'" + config_);
    out_.json_text = read_file(out_.dir.file("report.json"));
    out_.report = json::parse(out_.json_text);
    out_.examples_report = json::parse(read_file(out_.dir.file("examples.json")));
  }

 private:
  void write_config() {
    std::ofstream(out_.dir.file("slowscope.yaml"))
        << "store: sqlite:" << out_.dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
        << "  - name: orders\n    engine: postgres\n    dsn: \"" << postgres_.conninfo() << "\"\n"
        << "  - name: shop\n    engine: mysql\n    source: slow_log_file\n    slow_log: "
        << mariadb_.slow_log().string() << "\n    examples: true\n";
    config_ = " --config '" + out_.dir.file("slowscope.yaml") + "'";
  }

  static std::string pg_name(const std::string& identifier) {
    std::string out = "\"";
    for (const char c : identifier) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  }
  static std::string my_name(const std::string& identifier) { return "`" + identifier + "`"; }

  void set_up_postgres() {
    pqxx::connection c(postgres_.conninfo());
    pqxx::nontransaction tx(c);
    tx.exec(
        "DROP TABLE IF EXISTS report_items; "
        "CREATE TABLE report_items (id int PRIMARY KEY, grp int NOT NULL, v int NOT NULL); "
        "INSERT INTO report_items SELECT g, g % 5000, g % 97 FROM generate_series(1, 200000) g; "
        "CREATE INDEX report_items_grp ON report_items (grp); ANALYZE report_items;");
    tx.exec("DROP TABLE IF EXISTS " + pg_name(kImgOnerror) + ", " + pg_name(kSvgAttributeBreakout) +
            ", " + pg_name(kBidi));
    tx.exec("CREATE TABLE " + pg_name(kImgOnerror) + " (id int PRIMARY KEY, " +
            pg_name(kScriptBreakout) + " int); INSERT INTO " + pg_name(kImgOnerror) +
            " VALUES (1, 1)");
    tx.exec("CREATE TABLE " + pg_name(kSvgAttributeBreakout) + " (id int, " +
            pg_name(kJavascriptUrl) + " text)");
    tx.exec("CREATE TABLE " + pg_name(kBidi) + " (id int)");
  }

  void set_up_mariadb() {
    mariadb_.sql(
        "CREATE DATABASE IF NOT EXISTS report; USE report; DROP TABLE IF EXISTS report.items; "
        "CREATE TABLE report.items (id INT PRIMARY KEY, v INT, note VARCHAR(200)) "
        "CHARACTER SET utf8mb4; "
        "INSERT INTO report.items SELECT seq, seq % 97, 'n' FROM seq_1_to_1000; "
        "DROP TABLE IF EXISTS report." +
        my_name(kImgOnerror) + ", report." + my_name(kSvgAttributeBreakout) + ", report." +
        my_name(kBidi) + "; CREATE TABLE report." + my_name(kImgOnerror) +
        " (id INT PRIMARY KEY, " + my_name(kScriptBreakout) + " INT); INSERT INTO report." +
        my_name(kImgOnerror) + " VALUES (1, 1); CREATE TABLE report." +
        my_name(kSvgAttributeBreakout) + " (id INT, " + my_name(kJavascriptUrl) +
        " TEXT); CREATE TABLE report." + my_name(kBidi) + " (id INT);");
  }

  // The statements of the lifecycle shapes (two use the index the release drops) and of the
  // hostile tables, in a loop until told to stop.
  void postgres_workload(std::atomic<bool>& stop) {
    try {
      pqxx::connection c(postgres_.conninfo());
      const std::string hostile_select =
          "SELECT " + pg_name(kScriptBreakout) + " FROM " + pg_name(kImgOnerror) + " WHERE id = $1";
      const std::string url_select = "SELECT " + pg_name(kJavascriptUrl) + " FROM " +
                                     pg_name(kSvgAttributeBreakout) + " WHERE id = $1";
      const std::string bidi_select = "SELECT count(*) FROM " + pg_name(kBidi) + " WHERE id = $1";
      for (int i = 1; !stop; ++i) {
        pqxx::nontransaction tx(c);
        tx.exec_params("SELECT count(*) FROM report_items WHERE grp = $1", i % 5000);
        tx.exec_params("SELECT sum(v) FROM report_items WHERE grp = $1 AND v > $2", i % 5000, 10);
        tx.exec_params("SELECT v FROM report_items WHERE id = $1", i % 200000 + 1);
        if (i % 4 == 0) {
          tx.exec_params(hostile_select, 1);
          tx.exec_params(url_select, 2);
          tx.exec_params(bidi_select, 3);
        }
      }
    } catch (const std::exception& e) {
      workload_error_ = std::string("postgres: ") + e.what();
    }
  }

  // Point selects, the hostile tables and the literal corpus, in batches.
  void mariadb_workload(std::atomic<bool>& stop) {
    try {
      for (int i = 0; !stop;) {
        std::string script;
        for (int k = 0; k < 20; ++k, ++i) {
          script += "SELECT v FROM report.items WHERE id = " + std::to_string(i % 1000 + 1) + ";\n";
          script += "SELECT count(*) FROM report.items WHERE v > " + std::to_string(i % 97) + ";\n";
        }
        script += "SELECT " + my_name(kScriptBreakout) + " FROM report." + my_name(kImgOnerror) +
                  " WHERE id = 1;\nSELECT " + my_name(kJavascriptUrl) + " FROM report." +
                  my_name(kSvgAttributeBreakout) + " WHERE id = 2;\nSELECT count(*) FROM report." +
                  my_name(kBidi) + " WHERE id = 3;\n";
        for (const std::string& statement : literal_statements()) script += statement + ";\n";
        mariadb_.sql(script);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    } catch (const std::exception& e) {
      const std::string what = e.what();  // the client's output ends with its error
      workload_error_ = "mariadb: " + what.substr(what.size() > 600 ? what.size() - 600 : 0);
    }
  }

  void run(const std::string& args) {
    const RunResult r = run_slowscope(args);
    if (r.exit_code != 0) {
      throw std::runtime_error("slowscope " + args + " exited " + std::to_string(r.exit_code) +
                               ": " + r.err);
    }
  }

  // Releases a few seconds apart, the one the index is dropped after last, with metadata.
  void add_releases() {
    const auto now = std::chrono::system_clock::now();
    const auto& earlier = earlier_releases();
    for (size_t i = 0; i < earlier.size(); ++i) {
      const auto at = now - std::chrono::seconds(3 * (earlier.size() - i));
      run("release add " + shell_quote(earlier[i]) + " --at " + utc(at) + config_);
    }
    run("release add " + shell_quote(kReleaseBeforeDrop) + " --meta " +
        shell_quote(std::string("note=") + kImgOnerror) + " --meta " +
        shell_quote(std::string("link=") + kJavascriptUrl) + " --meta " +
        shell_quote(std::string(kSvgAttributeBreakout) + "=x") + config_);
  }

  void wait_for_a_finding() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
    while (std::chrono::steady_clock::now() < deadline) {
      const RunResult r = run_slowscope("findings --format json --target orders" + config_);
      if (r.exit_code == 0) {
        for (const auto& f : json::parse(r.out).value("findings", json::array())) {
          if (f["kind"] == "latency" && f["status"] == "open") return;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    throw std::runtime_error("no latency finding opened within 40 s of dropping the index");
  }

  PostgresServer& postgres_;
  MariadbServer& mariadb_;
  RealReports& out_;
  std::string config_;
  std::string workload_error_;
};

class ReportPageOfPostgresAndMariadb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PostgresServer* postgres = PostgresEnvironment::server();
    MariadbServer* mariadb = MariadbEnvironment::server();
    if (postgres == nullptr || !postgres->ok()) {
      setup_error_ =
          "no PostgreSQL: " + (postgres ? postgres->error() : std::string("not started"));
      return;
    }
    if (mariadb == nullptr || !mariadb->ok()) {
      setup_error_ = "no MariaDB: " + (mariadb ? mariadb->error() : std::string("not started"));
      return;
    }
    const auto started = std::chrono::steady_clock::now();
    reports_ = std::make_unique<RealReports>();
    try {
      RealReportBuilder(*postgres, *mariadb, *reports_).build();
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
    std::cout << "store filled and reported in "
              << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                  started)
                     .count()
              << " s\n";
  }
  static void TearDownTestSuite() {
    browser_.reset();
    reports_.reset();
  }

  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
    // A browser broken by an earlier test is replaced, so that one failure stays one.
    if (browser_ == nullptr || !browser_->ok()) browser_ = std::make_unique<HeadlessChromium>();
    ASSERT_TRUE(browser_->ok()) << browser_->error();
  }

  static HeadlessChromium& browser() { return *browser_; }
  static const json& report() { return reports_->report; }
  static const json& shapes() { return reports_->report["shapes"]; }

  // The report's latency finding on a PostgreSQL shape that used the dropped index.
  static std::optional<json> latency_finding() {
    for (const auto& f : report()["findings"]) {
      if (f["target"] == "orders" && f["kind"] == "latency" &&
          f["fingerprint"].get<std::string>().find(kIndexedShape) != std::string::npos) {
        return f;
      }
    }
    return std::nullopt;
  }

  // The report's shape of `target` whose fingerprint holds `part`.
  static std::optional<json> shape_holding(const std::string& target, const std::string& part) {
    for (const auto& s : shapes()) {
      if (s["target"] == target &&
          s["fingerprint"].get<std::string>().find(part) != std::string::npos) {
        return s;
      }
    }
    return std::nullopt;
  }

  // What the page checks rely on: both targets' shapes, the finding after the release, and
  // both JSON documents valid.
  void expect_both_targets_a_finding_and_the_releases();
  // With JavaScript: no error, request or dialog; summary, findings, details with charts and the
  // release marked where the finding is, every shape in the table.
  void expect_a_clean_and_complete_page();
  // A column button sorts the shapes table by that column, a second click reverses it.
  void expect_sorting_by_a_column_and_back();
  // The filter input narrows the table to the shapes whose target, query id or text holds
  // what was typed, in any case.
  void expect_the_filter_to_narrow_the_table();
  // Without JavaScript: the server-rendered page reads, and the controls the script drives stay
  // hidden.
  void expect_the_static_page_to_read();
  // Screenshots, kept as artifacts: desktop light and dark, a phone 390 px wide; on each, the
  // page fits its width.
  void expect_desktop_and_phone_layouts_to_fit();
  // The hostile identifiers and release names and metadata: no markup made, no dialog,
  // shown literally, with JavaScript on and off.
  void expect_hostile_names_as_text();
  // The literals in statements: in neither file without --examples; with it, shown as text.
  void expect_literals_as_text_and_only_with_examples();

  static inline std::unique_ptr<RealReports> reports_;
  static inline std::string setup_error_;
  static inline std::unique_ptr<HeadlessChromium> browser_;
};

void ReportPageOfPostgresAndMariadb::expect_both_targets_a_finding_and_the_releases() {
  EXPECT_TRUE(shape_holding("orders", kIndexedShape).has_value()) << report().dump(1);
  EXPECT_TRUE(shape_holding("shop", "report.items where id").has_value()) << report().dump(1);
  const auto finding = latency_finding();
  ASSERT_TRUE(finding.has_value()) << report()["findings"].dump(2);
  EXPECT_EQ((*finding)["release"], kReleaseBeforeDrop);
  EXPECT_EQ(report()["releases"].size(), earlier_releases().size() + 1);
  EXPECT_TRUE(matches_schema(report(), "reports/json/schemas/report-1.schema.json"));
  EXPECT_TRUE(
      matches_schema(reports_->examples_report, "reports/json/schemas/report-1.schema.json"));
}

void ReportPageOfPostgresAndMariadb::expect_a_clean_and_complete_page() {
  Page page = browser().open(reports_->html);
  std::cout << "report page dom interactive after " << page.dom_interactive_ms() << " ms ("
            << fs::file_size(reports_->html) << " bytes, " << shapes().size() << " shapes)\n";
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
  EXPECT_EQ(page.requests(), std::vector<std::string>{}) << joined(page.requests());
  EXPECT_EQ(page.dialogs(), std::vector<std::string>{}) << joined(page.dialogs());

  // The summary: seven cards, the calls and database time of both targets.
  EXPECT_EQ(count(page, "#summary .card"), 7);
  const std::string summary = inner_text(page, "#summary");
  EXPECT_TRUE(Contains(summary, "DATABASE TIME")) << summary;  // labels are upper-cased by CSS
  EXPECT_TRUE(Contains(summary, "By target"));
  EXPECT_TRUE(Contains(inner_text(page, "header.top"), "orders (PostgreSQL), shop (MySQL)"));

  // The findings, one row each, the latency finding with its release.
  EXPECT_EQ(count(page, "#findings tbody tr"), static_cast<int>(report()["findings"].size()));
  const std::string findings = inner_text(page, "#findings");
  EXPECT_TRUE(Contains(findings, "latency"));
  EXPECT_TRUE(Contains(findings, kIndexedShape));
  EXPECT_TRUE(Contains(findings, kReleaseBeforeDrop));

  // The top shapes in detail, the costliest first with its charts.
  EXPECT_EQ(count(page, "#details article.shape"), static_cast<int>(report()["details"].size()));
  EXPECT_EQ(page.evaluate("document.querySelector('#details article.shape').id"), "shape-1");
  EXPECT_TRUE(
      Contains(page.text("#shape-1 pre.sql"), shapes()[0]["fingerprint"].get<std::string>()));
  EXPECT_GE(count(page, "#shape-1 .charts svg.ss-chart"), 2);

  // The shape with the finding: its detail, linked from the finding, marks the release.
  const json link = page.evaluate(R"js((() => {
    const row = [...document.querySelectorAll('#findings tbody tr')]
        .find(tr => tr.cells[1].textContent === 'latency' && tr.cells[2].textContent === 'orders' &&
                    tr.cells[3].textContent.includes('report_items WHERE grp'));
    const a = row && row.querySelector('a[href^="#shape-"]');
    return a ? a.getAttribute('href').slice(1) : null;
  })())js");
  ASSERT_TRUE(link.is_string()) << findings;
  const std::string article = "#" + link.get<std::string>();
  EXPECT_TRUE(Contains(page.text(article + " pre.sql"), kIndexedShape));
  EXPECT_GE(count(page, article + " svg .ss-release"), 1);
  EXPECT_TRUE(Contains(page.text(article + " svg .ss-release"),
                       std::string("Release ") + kReleaseBeforeDrop));
  EXPECT_TRUE(Contains(page.text(article), std::string("since release ") + kReleaseBeforeDrop));

  // The shapes table: every shape (fewer than a page), in the report's order.
  const std::vector<int> order = shown_shape_indexes(page);
  ASSERT_EQ(order.size(), std::min<size_t>(shapes().size(), 100));
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], static_cast<int>(i));
  EXPECT_FALSE(page.evaluate("document.getElementById('shape-controls').hidden").get<bool>());
  EXPECT_EQ(page.text("#shape-page-info"), "1\u2013" + std::to_string(order.size()) + " of " +
                                               std::to_string(shapes().size()) + " shapes");
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
}

void ReportPageOfPostgresAndMariadb::expect_sorting_by_a_column_and_back() {
  Page page = browser().open(reports_->html);
  const auto calls_of = [&](const std::vector<int>& order) {
    std::vector<int64_t> calls;
    for (const int i : order) {
      EXPECT_GE(i, 0) << "a row shows no shape of the report";
      calls.push_back(i < 0 ? -1 : shapes()[i]["calls"].get<int64_t>());
    }
    return calls;
  };
  int64_t most = 0, fewest = std::numeric_limits<int64_t>::max();
  for (const auto& s : shapes()) {
    most = std::max(most, s["calls"].get<int64_t>());
    fewest = std::min(fewest, s["calls"].get<int64_t>());
  }
  ASSERT_LT(fewest, most);
  const auto by_total_time = shown_rows(page);

  page.click("#shapes-table th button[data-col='3']");  // Calls: the most first
  const auto most_first = calls_of(shown_shape_indexes(page));
  ASSERT_FALSE(most_first.empty());
  EXPECT_EQ(most_first.front(), most);
  EXPECT_TRUE(std::is_sorted(most_first.rbegin(), most_first.rend()));
  EXPECT_EQ(
      page.evaluate("document.querySelectorAll('#shapes-table th')[3].getAttribute('aria-sort')"),
      "descending");
  EXPECT_EQ(
      page.evaluate("document.querySelectorAll('#shapes-table th')[2].getAttribute('aria-sort')"),
      nullptr);
  const auto first_most = shown_rows(page).front();

  page.click("#shapes-table th button[data-col='3']");  // again: the fewest first
  const auto fewest_first = calls_of(shown_shape_indexes(page));
  EXPECT_EQ(fewest_first.front(), fewest);
  EXPECT_TRUE(std::is_sorted(fewest_first.begin(), fewest_first.end()));
  EXPECT_EQ(
      page.evaluate("document.querySelectorAll('#shapes-table th')[3].getAttribute('aria-sort')"),
      "ascending");
  EXPECT_NE(shown_rows(page).front(), first_most);
  EXPECT_NE(shown_rows(page).front(), by_total_time.front());

  // A text column sorts A to Z first: the PostgreSQL target's rows, then the MariaDB one's.
  page.click("#shapes-table th button[data-col='0']");
  EXPECT_EQ(shown_rows(page).front()[0], "orders");
  EXPECT_EQ(shown_rows(page).back()[0], "shop");
  page.click("#shapes-table th button[data-col='0']");
  EXPECT_EQ(shown_rows(page).front()[0], "shop");
  EXPECT_EQ(shown_rows(page).back()[0], "orders");
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
}

void ReportPageOfPostgresAndMariadb::expect_the_filter_to_narrow_the_table() {
  Page page = browser().open(reports_->html);
  const size_t all = shown_rows(page).size();
  // By text, in any case: the shapes of the lifecycle table, and only those.
  size_t expected = 0;
  for (const auto& s : shapes()) {
    expected += s["fingerprint"].get<std::string>().find("report_items") != std::string::npos;
  }
  ASSERT_GT(expected, 0u);
  ASSERT_LT(expected, all);
  filter_shapes(page, "REPORT_items");
  auto rows = shown_rows(page);
  EXPECT_EQ(rows.size(), expected);
  for (const auto& row : rows) EXPECT_TRUE(Contains(row[1], "report_items"));
  EXPECT_EQ(page.text("#shape-page-info"), "1\u2013" + std::to_string(expected) + " of " +
                                               std::to_string(expected) + " matching shapes (" +
                                               std::to_string(shapes().size()) + " in all)");

  // By query id: that shape alone.
  const auto hostile = shape_holding("shop", kImgOnerror);
  ASSERT_TRUE(hostile.has_value());
  filter_shapes(page, (*hostile)["query_id"].get<std::string>());
  rows = shown_rows(page);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "shop");
  EXPECT_EQ(rows[0][1], (*hostile)["fingerprint"].get<std::string>());

  // By a hostile text: the shapes that hold it, as text.
  filter_shapes(page, kImgOnerror);
  rows = shown_rows(page);
  EXPECT_GE(rows.size(), 2u);  // both targets' selects from that table
  for (const auto& row : rows) EXPECT_TRUE(Contains(row[1], kImgOnerror));
  expect_no_injected_markup(page);

  filter_shapes(page, "no shape has this text");
  EXPECT_EQ(shown_rows(page).size(), 0u);
  EXPECT_EQ(page.text("#shape-page-info"), "No shape matches.");
  filter_shapes(page, "");
  EXPECT_EQ(shown_rows(page).size(), all);
  EXPECT_EQ(page.dialogs(), std::vector<std::string>{});
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
}

void ReportPageOfPostgresAndMariadb::expect_the_static_page_to_read() {
  Page page = browser().open(reports_->html, {.javascript = false});
  EXPECT_EQ(count(page, "#summary .card"), 7);
  EXPECT_TRUE(Contains(inner_text(page, "#summary"), "DATABASE TIME"));
  EXPECT_EQ(count(page, "#findings tbody tr"), static_cast<int>(report()["findings"].size()));
  const std::string findings = inner_text(page, "#findings");
  EXPECT_TRUE(Contains(findings, "latency"));
  EXPECT_TRUE(Contains(findings, kIndexedShape));
  EXPECT_EQ(count(page, "#details article.shape"), static_cast<int>(report()["details"].size()));
  EXPECT_GE(count(page, "#shape-1 .charts svg.ss-chart"), 2);

  // The server-rendered rows: the report's shapes in order, their texts readable.
  const auto rows = shown_rows(page);
  ASSERT_EQ(rows.size(), std::min<size_t>(shapes().size(), 100));
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], shapes()[i]["target"]) << i;
    EXPECT_EQ(rows[i][1], shown(shapes()[i]["fingerprint"].get<std::string>())) << i;
    EXPECT_FALSE(rows[i][2].empty()) << i;
  }
  const std::string table = inner_text(page, "#shapes-table");
  EXPECT_TRUE(Contains(table, kIndexedShape));

  // The controls the script drives stay hidden, and take no room.
  EXPECT_TRUE(page.evaluate("document.getElementById('shape-controls').hidden").get<bool>());
  EXPECT_EQ(page.evaluate("getComputedStyle(document.getElementById('shape-controls')).display"),
            "none");
  EXPECT_EQ(page.evaluate("document.getElementById('shape-filter').offsetParent"), nullptr);
  EXPECT_EQ(page.text("#shape-page-info"), "");
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
}

void ReportPageOfPostgresAndMariadb::expect_desktop_and_phone_layouts_to_fit() {
  Page page = browser().open(reports_->html);
  const fs::path folder = test_artifacts_dir() / "report_page";
  const std::string background = "getComputedStyle(document.body).backgroundColor";
  // The widest the page lays out, the elements that stick out of the viewport, charts that
  // stick out of their shape's box, the narrowest chart and the narrowest statement text in
  // a table (which scrolls in its own box rather than squeeze it).
  const std::string layout = R"js((() => {
    const width = document.documentElement.clientWidth;
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (typeof e.className === 'string' && e.className ? '.' + e.className : '');
    const out = [...document.querySelectorAll('body *')].filter(e => {
      if (e.closest('.table-wrap')) return false;  // scrolls inside its own box
      const r = e.getBoundingClientRect();
      return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5);
    }).map(name);
    const charts = [...document.querySelectorAll('.charts svg')];
    const outside_their_shape = charts.filter(svg =>
        svg.getBoundingClientRect().right > svg.closest('.shape').getBoundingClientRect().right + 0.5);
    const widths = sel => [...document.querySelectorAll(sel)].map(e => e.getBoundingClientRect().width);
    return {scroll_width: document.documentElement.scrollWidth, width, out: out.slice(0, 10),
            charts_outside_their_shape: outside_their_shape.length,
            narrowest_chart: Math.round(Math.min(...widths('.charts svg'))),
            narrowest_sql_in_tables: Math.round(Math.min(...widths('td .sql')))};
  })())js";
  const auto expect_fits = [&](int viewport, int narrowest_chart) {
    const json fit = page.evaluate(layout);
    EXPECT_LE(fit["scroll_width"].get<int>(), viewport) << fit.dump();
    EXPECT_EQ(fit["out"], json::array()) << fit.dump();
    EXPECT_EQ(fit["charts_outside_their_shape"], 0) << fit.dump();
    EXPECT_GE(fit["narrowest_chart"].get<int>(), narrowest_chart) << fit.dump();
    EXPECT_GE(fit["narrowest_sql_in_tables"].get<int>(), 150) << fit.dump();
  };

  page.set_viewport(1280, 900, false);
  page.emulate_color_scheme(ColorScheme::kLight);
  EXPECT_EQ(page.evaluate(background), "rgb(255, 255, 255)");
  // Charts 480 px wide or more, two to a row: their labels stay legible.
  expect_fits(1280, 480);
  page.screenshot(folder / "desktop-light.png");

  page.emulate_color_scheme(ColorScheme::kDark);
  EXPECT_EQ(page.evaluate(background), "rgb(20, 23, 28)");
  // Text stays light on the dark ground, in the charts too.
  EXPECT_EQ(page.evaluate("getComputedStyle(document.body).color"), "rgb(227, 230, 235)");
  EXPECT_EQ(page.evaluate("getComputedStyle(document.querySelector('svg.ss-chart')).color"),
            "rgb(230, 237, 243)");
  page.screenshot(folder / "desktop-dark.png");

  page.emulate_color_scheme(ColorScheme::kLight);
  page.set_viewport(390, 844, true);
  EXPECT_EQ(page.evaluate("window.innerWidth"), 390);
  expect_fits(390, 300);
  page.screenshot(folder / "phone-390.png");
  std::cout << "screenshots in " << folder.string() << "\n";
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
}

void ReportPageOfPostgresAndMariadb::expect_hostile_names_as_text() {
  // The corpus reached the report: in fingerprints of both targets, tables, release names
  // and metadata.
  for (const std::string target : {"orders", "shop"}) {
    for (std::string part :
         {kImgOnerror, kScriptBreakout, kSvgAttributeBreakout, kJavascriptUrl, "rtl\u202Eevil"}) {
      // A MySQL fingerprint shows a quote inside an identifier as '_' (docs/FINGERPRINT.md).
      if (target == "shop") std::replace(part.begin(), part.end(), '"', '_');
      EXPECT_TRUE(shape_holding(target, part).has_value()) << target << ": " << part;
    }
  }
  // The shape's tables keep the name as it is.
  bool table_named = false;
  for (const auto& d : report()["details"]) {
    for (const auto& table : d["tables"]) {
      table_named |= d["target"] == "shop" &&
                     table.get<std::string>().find(kSvgAttributeBreakout) != std::string::npos;
    }
  }
  EXPECT_TRUE(table_named) << report()["details"].dump(1);
  for (const bool javascript : {true, false}) {
    SCOPED_TRACE(javascript ? "JavaScript on" : "JavaScript off");
    Page page = browser().open(reports_->html, {.javascript = javascript});
    if (javascript) {
      // The script's own rendering of the rows, after a sort and a filter.
      page.click("#shapes-table th button[data-col='1']");
      filter_shapes(page, "alert(origin)");
      EXPECT_GE(shown_rows(page).size(), 4u);  // two selects on each target
      expect_no_injected_markup(page);
      filter_shapes(page, "");
    }
    EXPECT_EQ(page.dialogs(), std::vector<std::string>{});
    expect_no_injected_markup(page);

    // Shown literally: each hostile fingerprint in the table, bidi controls as escapes and
    // never as themselves in the rendered text.
    const std::string table = inner_text(page, "#shapes-table");
    for (const auto& s : shapes()) {
      const std::string fingerprint = s["fingerprint"].get<std::string>();
      if (fingerprint.find("alert(origin)") == std::string::npos &&
          fingerprint.find("rtl\u202E") == std::string::npos) {
        continue;
      }
      EXPECT_TRUE(Contains(table, shown(fingerprint)));
    }
    EXPECT_TRUE(Contains(table, kBidiShown));
    EXPECT_EQ(page.evaluate("document.body.innerText.includes('\\u202E')"), false);
    EXPECT_EQ(page.evaluate("document.body.innerText.includes('\\u2028')"), false);

    // Release names and metadata: in the releases table, the findings and the charts.
    const std::string releases = inner_text(page, "#releases");
    for (const std::string& name : earlier_releases()) EXPECT_TRUE(Contains(releases, shown(name)));
    EXPECT_TRUE(Contains(releases, kReleaseBeforeDrop));
    EXPECT_TRUE(Contains(releases, std::string("note=") + kImgOnerror));
    EXPECT_TRUE(Contains(releases, std::string("link=") + kJavascriptUrl));
    EXPECT_TRUE(Contains(releases, std::string(kSvgAttributeBreakout) + "=x"));
    EXPECT_TRUE(Contains(inner_text(page, "#findings"), kReleaseBeforeDrop));
    const std::string chart_titles = page.evaluate(
                                             "[...document.querySelectorAll('.ss-release title')]"
                                             ".map(t => t.textContent).join('\\n')")
                                         .get<std::string>();
    EXPECT_TRUE(Contains(chart_titles, std::string("Release ") + kReleaseBeforeDrop));
    EXPECT_TRUE(Contains(chart_titles, std::string("Release ") + shown(earlier_releases()[1])));
    EXPECT_EQ(page.dialogs(), std::vector<std::string>{});
    EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
  }
}

void ReportPageOfPostgresAndMariadb::expect_literals_as_text_and_only_with_examples() {
  // Without --examples the literals reach neither file, in any encoding of the marker.
  EXPECT_EQ(reports_->json_text.find(kLiteralMarker), std::string::npos);
  EXPECT_EQ(read_file(reports_->html).find(kLiteralMarker), std::string::npos);
  // With it, each literal statement is the example of its shape.
  EXPECT_NE(reports_->examples_report.dump().find(kLiteralMarker), std::string::npos);

  Page page = browser().open(reports_->examples_html);
  EXPECT_EQ(page.dialogs(), std::vector<std::string>{});
  expect_no_injected_markup(page);
  const std::string details = inner_text(page, "#details");
  for (const std::string& literal : literals_shown()) EXPECT_TRUE(Contains(details, literal));
  // Every shape is in detail here (--limit 1000): the hostile ones' texts and tables too.
  EXPECT_TRUE(Contains(details, kImgOnerror));
  EXPECT_TRUE(Contains(details, kBidiShown));
  EXPECT_EQ(page.evaluate("document.body.innerText.includes('\\u202E')"), false);
  // The PostgreSQL target keeps none, and says so.
  EXPECT_TRUE(Contains(details, "None kept: the target stores examples only with examples: true."));
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
  EXPECT_EQ(page.requests(), std::vector<std::string>{});

  Page without_scripts = browser().open(reports_->examples_html, {.javascript = false});
  expect_no_injected_markup(without_scripts);
  const std::string static_details = inner_text(without_scripts, "#details");
  for (const std::string& literal : literals_shown()) {
    EXPECT_TRUE(Contains(static_details, literal));
  }
}

// Under ctest each test runs in a process of its own, which fills its own store: hence three
// tests, each a group of the checks above.
TEST_F(ReportPageOfPostgresAndMariadb, WithJavascriptThePageIsCleanCompleteSortsAndFilters) {
  expect_both_targets_a_finding_and_the_releases();
  {
    SCOPED_TRACE("the page");
    expect_a_clean_and_complete_page();
  }
  {
    SCOPED_TRACE("sorting");
    expect_sorting_by_a_column_and_back();
  }
  {
    SCOPED_TRACE("filtering");
    expect_the_filter_to_narrow_the_table();
  }
}

TEST_F(ReportPageOfPostgresAndMariadb, WithoutJavascriptItReadsAndOnDesktopAndPhoneItFits) {
  {
    SCOPED_TRACE("without JavaScript");
    expect_the_static_page_to_read();
  }
  {
    SCOPED_TRACE("layouts");
    expect_desktop_and_phone_layouts_to_fit();
  }
}

TEST_F(ReportPageOfPostgresAndMariadb, HostileNamesAndLiteralsAreShownAsTextAndRunNothing) {
  {
    SCOPED_TRACE("names");
    expect_hostile_names_as_text();
  }
  {
    SCOPED_TRACE("literals");
    expect_literals_as_text_and_only_with_examples();
  }
}

// ---------------------------------------------------------------------------------------
// Stores written directly.

class ReportPageSynthetic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { browser_ = std::make_unique<HeadlessChromium>(); }
  static void TearDownTestSuite() { browser_.reset(); }
  void SetUp() override {
    if (!browser_->ok()) browser_ = std::make_unique<HeadlessChromium>();
    ASSERT_TRUE(browser_->ok()) << browser_->error();
  }

  // 2026-11-25T12:00:00Z, where the synthetic stores' samples start.
  static constexpr int64_t kStart = 1'795'608'000;
  static constexpr const char* kPeriod =
      " --from 2026-11-25T12:00:00Z --until 2026-11-25T13:00:00Z";

  // Writes `fingerprints.size()` shapes of `target`, each with a sample in each of `buckets`
  // minutes from kStart, their costs spread so that every column sorts differently.
  static void write_shapes(Store& store, const std::string& target,
                           const std::vector<std::string>& fingerprints, int buckets) {
    store.ensure_target(target, Engine::kPostgres);
    const ServerIdentity server{"7300000000000000002", "15"};
    std::mt19937 random(7);
    for (int b = 0; b < buckets; ++b) {
      CycleWrite cycle{
          target, server, StoreTime(std::chrono::seconds(kStart + 60 * (b + 1))), {}, {}, {}, {}};
      for (size_t i = 0; i < fingerprints.size(); ++i) {
        char id[24];
        snprintf(id, sizeof id, "%016zx", i + 1);
        const StatementKey key{"1", "10", id, true};
        if (b == 0) cycle.new_statements.push_back({key, ShapeInfo{id, fingerprints[i], {}}, ""});
        Sample s;
        s.key = key;
        s.bucket_start = StoreTime(std::chrono::seconds(kStart + 60 * b));
        s.interval = std::chrono::seconds(60);
        s.measures.calls = 1 + static_cast<int64_t>(random() % 5000);
        const double mean = 0.0001 * (1 + random() % 20000);
        s.measures.total_time = mean * static_cast<double>(s.measures.calls);
        s.measures.sum_sq = mean * mean * static_cast<double>(s.measures.calls) * 1.1;
        s.measures.row_count = static_cast<int64_t>(random() % 100000);
        cycle.samples.push_back(std::move(s));
      }
      store.write_cycle(cycle);
    }
  }

  static inline std::unique_ptr<HeadlessChromium> browser_;
};

// A shape text of 100 to 300 characters, different for each `index`, as an ORM writes them.
std::string generated_fingerprint(size_t index, std::mt19937& random) {
  static const char* const kWords[] = {"account", "order",    "invoice", "customer", "line",
                                       "payment", "shipment", "stock",   "price",    "region"};
  std::string letters;
  for (size_t n = index; letters.size() < 4; n /= 10) letters += static_cast<char>('a' + n % 10);
  const std::string table = std::string(kWords[index % 10]) + "_" + letters;
  std::string text = "select " + table + ".id";
  const size_t length = 100 + random() % 201;
  while (text.size() + 40 < length) {
    text += ", " + table + "." + kWords[random() % 10] + "_" + kWords[random() % 10];
  }
  text += " from " + table + " where " + table + ".id = $1";
  return text;
}

TEST_F(ReportPageSynthetic, FiveThousandShapesStayUnderTheSizeBudgetAndPage) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.file("store.db");
  {
    Store store = Store::open(StoreLocation::parse(url));
    std::mt19937 random(42);
    std::vector<std::string> fingerprints;
    for (size_t i = 0; i < 5000; ++i) fingerprints.push_back(generated_fingerprint(i, random));
    write_shapes(store, "fleet", fingerprints, 3);
  }
  const fs::path html = dir.file("report.html");
  const RunResult r =
      run_slowscope(std::string("report") + kPeriod + " --store " + url + " --html '" +
                    html.string() + "' --json '" + dir.file("report.json") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto html_bytes = fs::file_size(html);
  std::cout << "5,000 shapes: HTML " << html_bytes << " bytes, JSON "
            << fs::file_size(dir.file("report.json")) << " bytes\n";
  EXPECT_LE(html_bytes, 3u * 1024 * 1024);
  const json report = json::parse(read_file(dir.file("report.json")));
  EXPECT_EQ(report["shapes"].size(), 5000u);
  EXPECT_TRUE(matches_schema(report, "reports/json/schemas/report-1.schema.json"));

  browser_->set_timeout(std::chrono::seconds(30));  // a big page under sanitizers
  Page page = browser_->open(html);
  std::cout << "5,000-shape page dom interactive after " << page.dom_interactive_ms() << " ms\n";
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
  EXPECT_EQ(page.requests(), std::vector<std::string>{});
  const auto table_text = [&](size_t i) {  // cut as the table cuts it
    const std::string text = report["shapes"][i]["fingerprint"].get<std::string>();
    return text.size() > 240 ? text.substr(0, 240) + "\u2026" : text;
  };
  auto rows = shown_rows(page);
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_EQ(rows[0][1], table_text(0));
  EXPECT_EQ(page.text("#shape-page-info"), "1\u2013100 of 5000 shapes");
  EXPECT_TRUE(page.evaluate("document.getElementById('shape-prev').disabled").get<bool>());
  EXPECT_TRUE(page.evaluate("document.getElementById('shapes-static-note').hidden").get<bool>());

  page.click("#shape-next");
  rows = shown_rows(page);
  ASSERT_EQ(rows.size(), 100u);
  EXPECT_EQ(rows[0][1], table_text(100));
  EXPECT_EQ(page.text("#shape-page-info"), "101\u2013200 of 5000 shapes");
  EXPECT_FALSE(page.evaluate("document.getElementById('shape-prev').disabled").get<bool>());

  // To the last page: 50 pages of 100.
  int clicks = 1;
  while (!page.evaluate("document.getElementById('shape-next').disabled").get<bool>() &&
         clicks < 60) {
    page.click("#shape-next");
    ++clicks;
  }
  EXPECT_EQ(clicks, 49);
  EXPECT_EQ(shown_rows(page).size(), 100u);
  EXPECT_EQ(page.text("#shape-page-info"), "4901\u20135000 of 5000 shapes");
  EXPECT_EQ(shown_rows(page).back()[1], table_text(4999));

  // A filter pages within its matches, from its first page; a sort goes back to the first.
  filter_shapes(page, "invoice_");
  EXPECT_EQ(shown_rows(page).size(), 100u);
  EXPECT_TRUE(page.text("#shape-page-info").starts_with("1\u2013100 of "));
  EXPECT_TRUE(Contains(page.text("#shape-page-info"), "matching shapes (5000 in all)"));
  page.click("#shape-next");
  EXPECT_TRUE(page.text("#shape-page-info").starts_with("101\u2013200 of "));
  page.click("#shapes-table th button[data-col='3']");
  EXPECT_TRUE(page.text("#shape-page-info").starts_with("1\u2013100 of "));
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());

  // Without JavaScript: the 100 costliest, and a note saying so.
  Page static_page = browser_->open(html, {.javascript = false});
  EXPECT_EQ(shown_rows(static_page).size(), 100u);
  EXPECT_FALSE(
      static_page.evaluate("document.getElementById('shapes-static-note').hidden").get<bool>());
  EXPECT_TRUE(Contains(static_page.text("#shapes-static-note"), "100 costliest of 5000 shapes"));
  EXPECT_EQ(
      static_page.evaluate("getComputedStyle(document.getElementById('shape-controls')).display"),
      "none");
  browser_->set_timeout(std::chrono::seconds(10));
}

// What no collector writes but a store can hold: a hostile target name, invalid UTF-8,
// terminal escapes and bidi controls in a shape's text.
TEST_F(ReportPageSynthetic, HostileTargetNameAndBytesFromTheStoreAreShownAsText) {
  TempDir dir;
  const std::string url = "sqlite:" + dir.file("store.db");
  const std::string target = std::string(kImgOnerror) + kScriptBreakout;
  {
    Store store = Store::open(StoreLocation::parse(url));
    write_shapes(store, target,
                 {"select \xff\xfe from t where a = $1",
                  "select \x1b[31mred\x1b[0m from \u202Egnp.exe where b = $1",
                  std::string("select 1 from ") + kSvgAttributeBreakout + " where c = $1"},
                 2);
  }
  const fs::path html = dir.file("report.html");
  const RunResult r =
      run_slowscope(std::string("report") + kPeriod + " --store " + url + " --html '" +
                    html.string() + "' --json '" + dir.file("report.json") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const bool javascript : {true, false}) {
    SCOPED_TRACE(javascript ? "JavaScript on" : "JavaScript off");
    Page page = browser_->open(html, {.javascript = javascript});
    EXPECT_EQ(page.dialogs(), std::vector<std::string>{});
    expect_no_injected_markup(page);
    EXPECT_EQ(page.console_errors(), std::vector<std::string>{}) << joined(page.console_errors());
    EXPECT_TRUE(Contains(inner_text(page, "header.top"), target + " (PostgreSQL)"));
    const std::string table = inner_text(page, "#shapes-table");
    EXPECT_TRUE(Contains(table, target));
    EXPECT_TRUE(Contains(table, "select \uFFFD\uFFFD from t where a = $1"));
    EXPECT_TRUE(
        Contains(table, "select \\u001B[31mred\\u001B[0m from \\u202Egnp.exe where b = $1"));
    EXPECT_TRUE(Contains(table, std::string("select 1 from ") + kSvgAttributeBreakout));
    EXPECT_EQ(page.evaluate("document.body.innerText.includes('\\u202E')"), false);
    EXPECT_EQ(page.evaluate("document.body.innerText.includes('\\u001B')"), false);
  }
}

}  // namespace
}  // namespace slowscope::testing
