// The digest's numbers against pt-query-digest's on the same logs: the expected files in
// tests/data/expected were written by scripts/refresh-expected from pt-query-digest 3.2.1.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include "tests/digest/digest_cli.h"

namespace slowscope::testing {
namespace {

using nlohmann::json;

// Logs on which slowscope deliberately differs from pt (see connectors/mysql/
// slow_log_parser.h): junk is skipped instead of glued into statements, and CRLF line
// endings are read as such. The parser's own tests cover them.
bool deliberately_different(const std::string& path) {
  return path.ends_with("hand-garbage.pt.json") || path.ends_with("hand-mixed.pt.json");
}

std::vector<std::string> expected_files() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(data_path("expected"))) {
    const std::string path = entry.path().string();
    if (path.ends_with(".pt.json") && !deliberately_different(path)) names.push_back(path);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// pt prints sums of times with six decimals; integers are exact.
void expect_close(const json& ours, const json& pt, const std::string& what) {
  const double a = ours.get<double>(), b = pt.get<double>();
  EXPECT_LE(std::fabs(a - b), 1e-6 + 1e-9 * std::fabs(b)) << what << ": ours " << a << " pt " << b;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class PtParity : public ::testing::TestWithParam<std::string> {};

TEST_P(PtParity, ClassesCallsAndMetricsEqualPtQueryDigest) {
  const json expected = json::parse(read_file(GetParam()));
  const std::string log = data_path("slowlogs/" + expected["source"].get<std::string>());
  const json ours = digest_json("'" + log + "' --threads 1");

  EXPECT_EQ(ours["summary"]["events"], expected["global"]["query_count"]);
  EXPECT_EQ(ours["summary"]["classes"], expected["global"]["unique_query_count"]);

  std::map<std::string, json> by_id;
  for (const auto& c : ours["classes"]) by_id[c["query_id"].get<std::string>()] = c;
  for (const auto& pt : expected["classes"]) {
    const std::string id = pt["query_id"];
    SCOPED_TRACE("class " + id + " " + pt["fingerprint"].get<std::string>());
    ASSERT_TRUE(by_id.count(id)) << "missing class";
    const json& c = by_id[id];
    EXPECT_EQ(c["fingerprint"], pt["fingerprint"]);
    EXPECT_EQ(c["calls"], pt["calls"]);
    for (const auto& [name, metric] : pt["metrics"].items()) {
      if (name == "Query_length") continue;  // computed by pt, not logged
      // pt types Killed as Yes/No and so counts a logged "Killed: 1" as no; slowscope
      // counts it as killed.
      if (name == "Killed") continue;
      const std::string key = lower(name);
      if (metric.contains("yes")) {
        ASSERT_TRUE(c["flags"].contains(key)) << name;
        EXPECT_EQ(c["flags"][key], metric["yes"]) << name;
        continue;
      }
      ASSERT_TRUE(c.contains(key)) << name;
      for (const char* stat : {"sum", "min", "max"}) {
        expect_close(c[key][stat], metric[stat], name + "." + stat);
      }
    }
    if (pt.contains("strings") && pt["strings"].contains("db")) {
      EXPECT_TRUE(c["databases"].contains(pt["strings"]["db"].get<std::string>()));
    }
    // pt prints old-style log times as "YYYY-MM-DD HH:MM:SS"; ISO times it passes through
    // verbatim, ignoring any zone offset, which slowscope applies (docs/FINGERPRINT.md).
    if (pt.contains("ts_min") && pt["ts_min"].is_string() &&
        pt["ts_min"].get<std::string>().find(' ') != std::string::npos) {
      std::string first = c["first_seen"].get<std::string>().substr(0, 19);
      std::string last = c["last_seen"].get<std::string>().substr(0, 19);
      first[10] = last[10] = ' ';
      EXPECT_EQ(first, pt["ts_min"]);
      EXPECT_EQ(last, pt["ts_max"]);
    }
  }
}

TEST_P(PtParity, OutputMatchesTheSchemaAndDoesNotDependOnThreads) {
  const json expected = json::parse(read_file(GetParam()));
  const std::string log = data_path("slowlogs/" + expected["source"].get<std::string>());
  const json one = digest_json("'" + log + "' --threads 1");
  EXPECT_TRUE(matches_schema(one, "reports/json/schemas/digest-1.schema.json"));
  for (int threads : {2, 3, 7}) {
    const json many = digest_json("'" + log + "' --threads " + std::to_string(threads));
    EXPECT_EQ(one, many) << threads << " threads";
  }
}

INSTANTIATE_TEST_SUITE_P(Logs, PtParity, ::testing::ValuesIn(expected_files()),
                         [](const auto& info) {
                           std::string name = std::filesystem::path(info.param).stem().stem();
                           for (char& ch : name)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return name;
                         });

}  // namespace
}  // namespace slowscope::testing
