// scripts/quickstart end to end, with this build's binary (--binary: no second build): it
// starts its own PostgreSQL and MariaDB, runs collect, a release that drops an index, check,
// report and a file alert sink. Checks what a newcomer is promised: every output is there
// and valid, the check's verdict is a regression of the query that lost its index, the alert
// file holds a trigger for that query, and nothing is left running or lying in /tmp.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

using testing::read_file;

// The shop's order-history query, whose index the demo's release drops.
constexpr const char* kSlowedFingerprint =
    "SELECT id, status, total, created_at FROM orders WHERE customer_id = $1";

// Command lines of the processes running now that mention `needle`.
std::vector<std::string> processes_mentioning(const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file(entry.path() / "cmdline");
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    if (cmdline.find(needle) != std::string::npos) found.push_back(name + ": " + cmdline);
  }
  return found;
}

struct QuickstartRun {
  int exit_code = -1;
  std::string out;  // standard output and error, as a user sees them
};

QuickstartRun run_quickstart(const std::string& out_dir, const std::string& log) {
  const std::string command = std::string("bash '") + SLOWSCOPE_SOURCE_DIR +
                              "/scripts/quickstart' --binary '" + SLOWSCOPE_BINARY +
                              "' --out '" + out_dir + "' >'" + log + "' 2>&1 </dev/null";
  const int status = std::system(command.c_str());
  QuickstartRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.out = read_file(log);
  return run;
}

TEST(QuickstartDemo, ShowsTheWholeMainJobAndCleansUp) {
  testing::TempDir dir;
  const std::filesystem::path out = dir.path() / "out";
  const QuickstartRun run = run_quickstart(out.string(), dir.file("quickstart.log"));
  ASSERT_EQ(run.exit_code, 0) << run.out;

  // Every output is there, not empty.
  for (const char* name : {"slowscope.yaml", "slowscope.db", "collect.log", "check.txt",
                           "check.json", "check.html", "report.html", "report.json",
                           "alerts.jsonl"}) {
    EXPECT_TRUE(std::filesystem::exists(out / name)) << name;
    EXPECT_GT(std::filesystem::exists(out / name) ? std::filesystem::file_size(out / name) : 0,
              0u)
        << name;
  }

  // The sections in the promised order: the collector's lines, the finding, the check with
  // its verdict, the report, the alerts, where everything is.
  const std::vector<std::string> in_order = {
      "collect | slowscope: info: collecting 2 target(s)",
      "finding opened: shop/",
      "== 3. The finding continuous detection opened",
      "$ slowscope findings",
      "== 4. The release check",
      "exit status 1: regression",
      "== 5. The report",
      "== 6. The alert events in the file sink",
      "== 7. Where everything is",
      "report.html"};
  size_t at = 0;
  for (const std::string& text : in_order) {
    const size_t found = run.out.find(text, at);
    ASSERT_NE(found, std::string::npos) << "missing, or out of order: " << text << "\n" << run.out;
    at = found + text.size();
  }

  // The check: a regression, of exactly the query whose index was dropped; the MariaDB
  // target was evaluated (collected) with it.
  const nlohmann::json check = nlohmann::json::parse(read_file(out / "check.json"));
  EXPECT_TRUE(testing::matches_schema(check, "reports/json/schemas/check-1.schema.json"));
  EXPECT_EQ(check["verdict"], "regression") << check.dump(2);
  EXPECT_EQ(check["exit_code"], 1);
  std::string slowed_query_id;
  bool blog_evaluated = false;
  for (const auto& target : check["targets"]) {
    if (target["target"] == "blog") blog_evaluated = target["evaluated"] == true;
    if (target["target"] != "shop") continue;
    for (const auto& finding : target["findings"]) {
      if (finding["kind"] == "latency" &&
          finding["fingerprint"].get<std::string>().find(kSlowedFingerprint) == 0) {
        slowed_query_id = finding["query_id"];
      }
    }
  }
  ASSERT_FALSE(slowed_query_id.empty()) << check.dump(2);
  EXPECT_TRUE(blog_evaluated) << check.dump(2);

  // The report: valid, with both servers' shapes and the finding.
  const nlohmann::json report = nlohmann::json::parse(read_file(out / "report.json"));
  EXPECT_TRUE(testing::matches_schema(report, "reports/json/schemas/report-1.schema.json"));
  bool shop_shapes = false;
  bool blog_shapes = false;
  for (const auto& shape : report["shapes"]) {
    shop_shapes = shop_shapes || shape["target"] == "shop";
    blog_shapes = blog_shapes || shape["target"] == "blog";
  }
  EXPECT_TRUE(shop_shapes && blog_shapes) << report["shapes"].dump(2);
  EXPECT_FALSE(report["findings"].empty());
  const std::string html = read_file(out / "report.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u) << html.substr(0, 200);

  // The alert file: slowscope.alert/1 events, one a line, a trigger for the slowed query.
  std::istringstream alerts(read_file(out / "alerts.jsonl"));
  std::string line;
  int triggers_for_slowed = 0;
  while (std::getline(alerts, line)) {
    const nlohmann::json event = nlohmann::json::parse(line);
    EXPECT_TRUE(testing::matches_schema(event, "reports/json/schemas/alert-1.schema.json"));
    if (event["action"] == "trigger" && event["target"] == "shop" &&
        event["query_id"] == slowed_query_id) {
      ++triggers_for_slowed;
      EXPECT_EQ(event["fingerprint"].get<std::string>().find(kSlowedFingerprint), 0u)
          << event.dump(2);
      EXPECT_EQ(event["release"], "v2");
    }
  }
  EXPECT_GE(triggers_for_slowed, 1) << read_file(out / "alerts.jsonl");

  // The store stays readable from the configuration written beside it.
  const auto findings = testing::run_slowscope("findings --status all --format json --config '" +
                                               (out / "slowscope.yaml").string() + "'");
  EXPECT_EQ(findings.exit_code, 0) << findings.err;
  EXPECT_NE(findings.out.find(slowed_query_id), std::string::npos) << findings.out;

  // Nothing left: the temporary folder is gone, and no process (server, workload,
  // collector) still names it or the outputs.
  std::smatch match;
  ASSERT_TRUE(std::regex_search(run.out, match, std::regex("/[^ \n]*slowscope-quickstart-\\w+")))
      << run.out;
  const std::string tmp = match.str();
  EXPECT_FALSE(std::filesystem::exists(tmp)) << tmp;
  EXPECT_EQ(processes_mentioning(tmp), std::vector<std::string>{});
  EXPECT_EQ(processes_mentioning(out.string()), std::vector<std::string>{});
}

}  // namespace
}  // namespace slowscope
