// The versioned JSON documents and their schemas (reports/json/schemas) kept in step: every
// schema id the code names has its schema file and every schema file an id in the code; and
// every command's `--format json` output, run against a real store with findings, releases
// and slow-log data, validates against its schema (with the JSON Schema tool, so a field
// renamed or left out fails here).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/regression/continuous_detection.h"
#include "analyzer/store/store.h"
#include "analyzer/time/utc_time.h"
#include "reports/alerts/alert_event.h"
#include "reports/json/outbox_json.h"
#include "reports/json/check_json.h"
#include "reports/json/digest_json.h"
#include "reports/json/finding_json.h"
#include "reports/json/findings_json.h"
#include "reports/json/release_json.h"
#include "reports/json/report_json.h"
#include "reports/json/show_json.h"
#include "reports/json/store_stats_json.h"
#include "reports/json/top_json.h"
#include "reports/json/trends_json.h"
#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;
using testing::data_path;
using testing::matches_schema;
using testing::read_file;
using testing::run_slowscope;
using testing::RunResult;
using testing::TempDir;

// Every schema id the code names, from the headers that build the documents.
const std::vector<std::string> kSchemaIds = {
    kDigestSchemaId,   kTopSchemaId,      kShowSchemaId,    kCheckSchemaId,  kTrendsSchemaId,
    kFindingsSchemaId, kReleasesSchemaId, kFindingSchemaId, kReportSchemaId, kAlertSchemaId,
    kOutboxSchemaId,   kStoreStatsSchemaId,
};

const std::string kSchemaDir = "reports/json/schemas";
const std::string kIdPrefix = "https://slowscope.dev/schemas/";

bool all_of_chars(std::string_view text, const char* allowed) {
  return !text.empty() && text.find_first_not_of(allowed) == std::string_view::npos;
}

// "slowscope.check/1" -> "reports/json/schemas/check-1.schema.json"; "" for another form.
std::string schema_file(const std::string& id) {
  const std::string_view prefix = "slowscope.";
  const size_t slash = id.find('/');
  if (!id.starts_with(prefix) || slash == std::string::npos) return "";
  const std::string name = id.substr(prefix.size(), slash - prefix.size());
  const std::string version = id.substr(slash + 1);
  if (!all_of_chars(name, "abcdefghijklmnopqrstuvwxyz_") || !all_of_chars(version, "0123456789")) {
    return "";
  }
  return kSchemaDir + "/" + name + "-" + version + ".schema.json";
}

nlohmann::json read_json(const fs::path& path) {
  return nlohmann::json::parse(read_file(path));
}

TEST(JsonSchemaFiles, EverySchemaIdHasItsFileAndEveryFileAnId) {
  std::set<std::string> ids_of_files;
  for (const auto& entry : fs::directory_iterator(fs::path(SLOWSCOPE_SOURCE_DIR) / kSchemaDir)) {
    const std::string name = entry.path().filename().string();
    ASSERT_TRUE(name.ends_with(".schema.json")) << name << " in " << kSchemaDir;
    const nlohmann::json schema = read_json(entry.path());
    const std::string id = schema.value("$id", "");
    ASSERT_TRUE(id.starts_with(kIdPrefix)) << name << ": $id " << id;
    const std::string short_id = id.substr(kIdPrefix.size());
    EXPECT_EQ(schema_file(short_id), kSchemaDir + "/" + name) << "the file name follows its $id";
    ids_of_files.insert(short_id);
  }
  for (const std::string& id : kSchemaIds) {
    EXPECT_TRUE(ids_of_files.contains(id)) << id << " has no schema file";
    const fs::path file = fs::path(SLOWSCOPE_SOURCE_DIR) / schema_file(id);
    if (!fs::exists(file)) continue;  // named above
    const nlohmann::json schema = read_json(file);
    EXPECT_NE(schema.value("title", "").find(", version " + id.substr(id.find('/') + 1)),
              std::string::npos)
        << file;
    // A document's schema holds its documents to their own id; the finding is an element.
    if (id != kFindingSchemaId) {
      EXPECT_EQ(schema["properties"]["schema"]["const"], id) << file;
      EXPECT_NE(std::find(schema["required"].begin(), schema["required"].end(), "schema"),
                schema["required"].end())
          << file;
    }
  }
  const std::set<std::string> ids_in_code(kSchemaIds.begin(), kSchemaIds.end());
  for (const std::string& id : ids_of_files) {
    EXPECT_TRUE(ids_in_code.contains(id)) << "no schema id constant names " << id;
  }
}

// An alert event's document, as webhooks and alert files get it, for a finding of each kind
// (optional evidence present and absent) and both actions.
TEST(JsonSchemaFiles, AlertEventsMatchTheirSchema) {
  for (const FindingKind kind :
       {FindingKind::kLatency, FindingKind::kCallSurge, FindingKind::kRowsPerCall,
        FindingKind::kNewShape, FindingKind::kVanished, FindingKind::kTrend}) {
    Finding f;
    f.key = {"orders", "9a3f0c1e22b4d5e6", kind};
    f.fingerprint = "select * from orders where id = ?";
    f.ratio = 3;
    f.added_seconds_per_hour = 900;
    if (kind == FindingKind::kTrend) f.daily_rise = 0.04;
    if (kind == FindingKind::kLatency) {
      f.release = "v2.4.1";
      f.before_p95 = 0.002;
      f.after_p95 = 0.009;
    }
    for (const AlertAction action : {AlertAction::kTrigger, AlertAction::kResolve}) {
      const AlertEvent event =
          finding_event(f, action, 1796558400, AlertThresholds{},
                        kind == FindingKind::kLatency ? "https://r.example/" : "");
      EXPECT_TRUE(matches_schema(alert_document(event), schema_file(kAlertSchemaId)))
          << to_string(kind) << " " << to_string(action);
    }
  }
}

// The commands below whose output EveryCommandsJsonMatchesItsSchema validates.
const std::set<std::string> kJsonCommands = {"digest",   "top",          "show",   "check", "trends",
                                             "findings", "release list", "report", "alerts",
                                             "store stats"};

// The subcommands a --help text lists, each prefixed with `parent`.
std::vector<std::string> subcommands(const std::string& help, const std::string& parent) {
  std::vector<std::string> names;
  const size_t section = help.find("\nSubcommands:\n");
  if (section == std::string::npos) return names;
  std::istringstream lines(help.substr(section + 14));
  std::string line;
  // "  name  description": two spaces, the name, two spaces.
  while (std::getline(lines, line) && !line.empty()) {
    if (!line.starts_with("  ") || line.size() < 3 || !std::islower(line[2])) continue;
    const size_t end = line.find("  ", 2);
    if (end == std::string::npos) continue;
    const std::string name = line.substr(2, end - 2);
    if (all_of_chars(name, "abcdefghijklmnopqrstuvwxyz-")) names.push_back(parent + name);
  }
  return names;
}

TEST(JsonSchemaFiles, EveryCommandWithJsonOutputIsValidatedHere) {
  const RunResult top_help = run_slowscope("--help");
  ASSERT_EQ(top_help.exit_code, 0) << top_help.err;
  std::vector<std::string> commands = subcommands(top_help.out, "");
  ASSERT_GE(commands.size(), kJsonCommands.size()) << top_help.out;
  std::set<std::string> with_json;
  for (size_t i = 0; i < commands.size(); ++i) {
    const RunResult help = run_slowscope(commands[i] + " --help");
    ASSERT_EQ(help.exit_code, 0) << commands[i] << "\n" << help.err;
    for (const std::string& nested : subcommands(help.out, commands[i] + " ")) {
      commands.push_back(nested);
    }
    if (help.out.find("--format TEXT:{text,json") != std::string::npos ||
        help.out.find("--json PATH") != std::string::npos) {
      with_json.insert(commands[i]);
    }
  }
  EXPECT_EQ(with_json, kJsonCommands);
}

StoreTime at(int64_t seconds) {
  return StoreTime(std::chrono::seconds(seconds));
}

// One store for every command: PostgreSQL target "orders" with a shape 4x slower since a
// recorded release and the finding continuous detection recorded for it; "billing" with a
// shape slower every day and its recorded trend; MySQL target "shop" from a slow log.
class JsonDocuments : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      Store store = Store::open(StoreLocation::parse(url_));
      store.ensure_target("orders", Engine::kPostgres);
      testing::write_history(store, release_ - 7200, release_ + 1800,
                             [&](const std::string& name, int64_t t) {
                               return name == "slow" && t >= release_ ? 0.040 : 0.010;
                             });
      ContinuousDetectionOptions detection;
      detection.recent.post_window = std::chrono::minutes(15);
      detection.recent.baseline = std::chrono::hours(2);
      ASSERT_FALSE(
          run_detection_pass(store, "orders", at(release_ + 900), detection).changes.empty());
      testing::write_daily_history(store, "billing", true);
      ASSERT_FALSE(run_trend_pass(store, "billing", at(now_), TrendPassOptions{}).changes.empty());
    }
    const RunResult digest = run_slowscope("digest '" + data_path("slowlogs/hand-mysql80.log") +
                                           "' --store " + url_ + " --target shop --examples");
    ASSERT_EQ(digest.exit_code, 0) << digest.err;
    const RunResult release =
        run_slowscope("release add v2 --target orders --meta commit=abc123 --at " +
                      format_utc(release_ * 1'000'000) + " --store " + url_);
    ASSERT_EQ(release.exit_code, 0) << release.err;
  }

  // Runs `slowscope <args> --format json` against the store, expecting `exit_code`, and
  // returns the document after checking it names `schema_id` and validates against its file.
  nlohmann::json document(const std::string& args, const std::string& schema_id,
                          int exit_code = 0) {
    const RunResult r = run_slowscope(args + " --format json --store " + url_);
    EXPECT_EQ(r.exit_code, exit_code) << args << "\n" << r.err;
    const nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << args << "\n" << r.out;
    if (doc.is_discarded()) return {};
    EXPECT_EQ(doc.value("schema", ""), schema_id) << args;
    EXPECT_TRUE(matches_schema(doc, schema_file(schema_id))) << args << "\n" << r.out;
    return doc;
  }

  const int64_t now_ = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() /
                       testing::kHistoryInterval * testing::kHistoryInterval;
  const int64_t release_ = now_ - 3600;
  TempDir dir_;
  const std::string url_ = "sqlite:" + dir_.file("s.db");
};

TEST_F(JsonDocuments, EveryCommandsJsonMatchesItsSchema) {
  // digest reads logs, not the store.
  const RunResult digest =
      run_slowscope("digest '" + data_path("slowlogs/hand-mysql80.log") + "' --format json");
  ASSERT_EQ(digest.exit_code, 0) << digest.err;
  const nlohmann::json digested = nlohmann::json::parse(digest.out);
  EXPECT_EQ(digested["schema"], kDigestSchemaId);
  EXPECT_TRUE(matches_schema(digested, schema_file(kDigestSchemaId)));
  ASSERT_FALSE(digested["classes"].empty());

  // The slow log is of 2024: its shapes are read from the store's rollups.
  const std::string log_range = " --from 2024-05-01T00:00:00Z --until 2024-05-31T00:00:00Z";
  const nlohmann::json top = document("top --target shop" + log_range, kTopSchemaId);
  ASSERT_FALSE(top["shapes"].empty());
  const std::string mysql_shape = top["shapes"][0]["query_id"];
  const nlohmann::json recent = document("top --since 3h", kTopSchemaId);
  ASSERT_FALSE(recent["shapes"].empty());
  EXPECT_EQ(recent["releases"].size(), 1u);

  const nlohmann::json shown =
      document("show " + mysql_shape + " --examples" + log_range, kShowSchemaId);
  ASSERT_EQ(shown["targets"].size(), 1u);
  EXPECT_TRUE(shown["targets"][0]["statements"][0].contains("query"));
  const nlohmann::json postgres = document("show shape-slow --since 3h", kShowSchemaId);
  ASSERT_EQ(postgres["targets"].size(), 1u);
  EXPECT_FALSE(postgres["targets"][0]["statements"][0].contains("query"));
  EXPECT_EQ(postgres["releases"][0]["name"], "v2");

  const nlohmann::json findings = document("findings --status all", kFindingsSchemaId);
  std::set<std::string> kinds;
  for (const auto& f : findings["findings"]) kinds.insert(f["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"latency", "trend"})) << findings.dump(2);

  const nlohmann::json trends = document("trends", kTrendsSchemaId, 1);
  bool trend_found = false;
  for (const auto& t : trends["targets"]) trend_found |= !t["findings"].empty();
  EXPECT_TRUE(trend_found) << trends.dump(2);

  const nlohmann::json check = document("check --release v2 --baseline 2h", kCheckSchemaId, 1);
  ASSERT_FALSE(check["targets"].empty());
  EXPECT_EQ(check["verdict"], "regression");
  bool regressed = false;
  for (const auto& t : check["targets"]) regressed |= !t["findings"].empty();
  EXPECT_TRUE(regressed) << check.dump(2);

  {
    // An event in the outbox, delivered to one sink and pending for another.
    Store store = Store::open(StoreLocation::parse(url_));
    Finding slower;
    slower.key = {"orders", "shape-slow", FindingKind::kLatency};
    slower.fingerprint = "select * from slow where id = ?";
    slower.ratio = 4;
    slower.added_seconds_per_hour = 700;
    const AlertEvent event =
        finding_event(slower, AlertAction::kTrigger, 1'796'558'400, AlertThresholds{}, "");
    OutboxAlert queued{0,
                       "orders",
                       event.dedup_key,
                       "trigger",
                       "error",
                       event.summary,
                       alert_document(event).dump(),
                       at(1'796'558'400),
                       {"oncall", "chat"}};
    store.queue_alerts("orders", {queued}, {}, at(1'796'558'400));
    const auto claimed = store.claim_deliveries("chat", "test", at(1'796'558'400),
                                                std::chrono::seconds(60), 10);
    ASSERT_EQ(claimed.size(), 1u);
    store.record_attempt(claimed[0].alert.id, "chat", "test",
                         {DeliveryState::kDelivered, at(1'796'558'401), at(1'796'558'401), ""});
  }
  const nlohmann::json outbox = document("alerts --since 2026-12-01", kOutboxSchemaId);
  ASSERT_EQ(outbox["deliveries"].size(), 2u) << outbox.dump(2);
  EXPECT_EQ(outbox["deliveries"][0]["state"], "delivered");
  EXPECT_EQ(outbox["deliveries"][1]["state"], "pending");
  EXPECT_TRUE(matches_schema(outbox["deliveries"][0]["event"], schema_file(kAlertSchemaId)));

  const nlohmann::json store = document("store stats", kStoreStatsSchemaId);
  for (const auto& table : store["tables"]) {
    if (table["name"] == "samples") {
      EXPECT_GT(table["rows"], 0) << store.dump(2);
      EXPECT_TRUE(table["oldest"].is_string()) << store.dump(2);
    }
  }

  const nlohmann::json releases = document("release list --since 1d", kReleasesSchemaId);
  ASSERT_EQ(releases["releases"].size(), 1u);
  EXPECT_EQ(releases["releases"][0]["meta"]["commit"], "abc123");

  const RunResult report = run_slowscope("report --since 3h --json - --store " + url_);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const nlohmann::json reported = nlohmann::json::parse(report.out);
  EXPECT_EQ(reported["schema"], kReportSchemaId);
  EXPECT_TRUE(matches_schema(reported, schema_file(kReportSchemaId))) << report.out;
  EXPECT_EQ(reported["shapes"][0]["query_id"], "shape-slow");
  EXPECT_EQ(reported["releases"][0]["name"], "v2");
  EXPECT_FALSE(reported["details"].empty());
  EXPECT_FALSE(reported["findings"].empty());
  // The slow log's shapes of 2024, with their latency distribution.
  const RunResult logged = run_slowscope("report --target shop --json - --store " + url_ +
                                         log_range + " --compare none");
  ASSERT_EQ(logged.exit_code, 0) << logged.err;
  const nlohmann::json shop = nlohmann::json::parse(logged.out);
  EXPECT_TRUE(matches_schema(shop, schema_file(kReportSchemaId))) << logged.out;
  ASSERT_FALSE(shop["details"].empty());
  EXPECT_FALSE(shop["details"][0]["histogram"].empty()) << shop["details"][0].dump(2);
  EXPECT_TRUE(shop["shapes"][0]["p95_time"].is_number()) << shop["shapes"][0].dump(2);
  EXPECT_TRUE(shop["comparison"]["from"].is_null());
}

TEST_F(JsonDocuments, CheckWritesTheVerdictAsAPageToo) {
  const std::string page_path = dir_.file("check.html");
  const RunResult r =
      run_slowscope("check --release v2 --baseline 2h --format json --output " +
                    dir_.file("check.json") + " --html " + page_path + " --store " + url_);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string page = read_file(page_path);
  EXPECT_NE(page.find("Release check: v2"), std::string::npos);
  EXPECT_NE(page.find("regression"), std::string::npos);
  EXPECT_NE(page.find("select * from slow where id = ?"), std::string::npos);
  EXPECT_NE(page.find("<code>commit=abc123</code>"), std::string::npos);
  EXPECT_NE(page.find("class=\"ss-release\""), std::string::npos) << "a chart marks the release";
  EXPECT_NE(page.find("Content-Security-Policy"), std::string::npos);
  // The same verdict as the JSON document.
  const nlohmann::json check = nlohmann::json::parse(read_file(dir_.file("check.json")));
  EXPECT_EQ(check["verdict"], "regression");
  if (const char* artifacts = std::getenv("SLOWSCOPE_TEST_ARTIFACTS")) {
    fs::create_directories(artifacts);
    fs::copy_file(page_path, fs::path(artifacts) / "check.html",
                  fs::copy_options::overwrite_existing);
  }
}

TEST_F(JsonDocuments, AReportOfAnEmptyPeriodExitsThreeAndSaysWhy) {
  const RunResult r = run_slowscope(
      "report --from 2020-01-01T00:00:00Z --until "
      "2020-01-02T00:00:00Z --json " +
      dir_.file("r.json") + " --store " + url_);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("nothing to report: no samples in 2020-01-01T00:00:00Z"), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("r.json")));
}

}  // namespace
}  // namespace slowscope
