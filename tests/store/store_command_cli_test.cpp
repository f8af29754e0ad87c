// `slowscope store` run as an operator runs it: stats as text and as JSON valid against its
// schema (SQLite and PostgreSQL); prune with the default retention and with the
// configuration's; vacuum; backup of an SQLite store while another Store writes cycles
// into it (a consistent, private file, no temporary left), its usage errors, and the
// refusal of a PostgreSQL store naming pg_dump.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/store/postgres_connection.h"
#include "analyzer/store/store.h"
#include "analyzer/time/utc_time.h"
#include "tests/digest/digest_cli.h"
#include "tests/store/store_test_support.h"
#include "tests/support/postgres_server.h"

namespace slowscope::testing {
namespace {

constexpr size_t npos = std::string::npos;
const std::string kStatsSchema = "reports/json/schemas/store_stats-1.schema.json";
const ServerIdentity kServerId{"7301234567890123456", "15"};
constexpr int kStatements = 3;

int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One cycle of `target`: a sample of each of kStatements statements in the 10 minutes
// from `bucket`, and checkpoint "cycle" = `number`.
CycleWrite cycle_at(const std::string& target, int64_t bucket, int number) {
  CycleWrite cycle{target, kServerId, T(bucket + 600), {}, {}, {}, {}};
  for (int n = 1; n <= kStatements; ++n) {
    if (number == 1) cycle.new_statements.push_back({test_key(n), test_shape(n), ""});
    cycle.samples.push_back(test_sample(test_key(n), bucket, n, 600));
  }
  cycle.checkpoints.push_back({"cycle", std::to_string(number)});
  return cycle;
}

// Rows of `table` as `stats` counts them.
int64_t rows_of(const StoreStats& stats, std::string_view table) {
  for (const StoreTableStats& t : stats.tables) {
    if (t.name == table) return t.rows;
  }
  ADD_FAILURE() << "no table " << table;
  return -1;
}

class StoreCommandCli : public ::testing::Test {
 protected:
  // A store with target "orders" and one cycle for each bucket start in `buckets`.
  void fill(const std::vector<int64_t>& buckets) {
    Store store = Store::open(location());
    store.ensure_target("orders", Engine::kPostgres);
    int number = 0;
    for (const int64_t bucket : buckets) store.write_cycle(cycle_at("orders", bucket, ++number));
  }
  StoreLocation location() const { return {StoreLocation::Kind::kSqlite, path_}; }
  StoreStats stats() { return Store::open(location(), StoreOpen::kMustExist).stats(); }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  TempDir dir_;
  const std::string path_ = dir_.file("s.db");
  const std::string url_ = "sqlite:" + path_;
  const int64_t now_ = now_seconds() / 600 * 600;
};

TEST_F(StoreCommandCli, StatsShowsEachTablesRowsAndSpanAsTextAndJson) {
  fill({now_ - 3 * 3600, now_ - 2 * 3600, now_ - 600});
  const RunResult text = run_slowscope("store stats --store " + url_);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("store " + url_ + ", schema version "), npos) << text.out;
  EXPECT_NE(text.out.find("size "), npos) << text.out;
  std::istringstream lines(text.out);
  std::map<std::string, std::string> line_of;
  for (std::string line; std::getline(lines, line);) line_of[line.substr(0, line.find(' '))] = line;
  ASSERT_TRUE(line_of.contains("samples")) << text.out;
  std::istringstream samples(line_of["samples"]);
  std::string name, rows, oldest, newest;
  samples >> name >> rows >> oldest >> newest;
  EXPECT_EQ(rows, "9");
  EXPECT_EQ(oldest, format_utc(T(now_ - 3 * 3600)));
  EXPECT_EQ(newest, format_utc(T(now_ - 600)));
  EXPECT_TRUE(line_of.contains("alert_deliveries")) << text.out;

  const RunResult json = run_slowscope("store stats --format json --store " + url_);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json doc = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << json.out;
  EXPECT_TRUE(matches_schema(doc, kStatsSchema)) << json.out;
  EXPECT_EQ(doc["schema"], "slowscope.store_stats/1");
  EXPECT_EQ(doc["location"], url_);
  EXPECT_GT(doc["bytes"].get<int64_t>(), 0);
  ASSERT_EQ(doc["tables"].size(), store_table_names().size());
  for (const auto& t : doc["tables"]) {
    if (t["name"] != "samples") continue;
    EXPECT_EQ(t["rows"], 9);
    EXPECT_EQ(t["oldest"], format_utc(T(now_ - 3 * 3600)));
    EXPECT_TRUE(t["bytes"].is_null());
  }
}

TEST_F(StoreCommandCli, PruneAppliesTheDefaultRetentionOrTheConfigurations) {
  // Raw samples 10 days, 2 days and 1 hour old.
  fill({now_ - 10 * 86400, now_ - 2 * 86400, now_ - 3600});
  ASSERT_EQ(rows_of(stats(), "samples_daily"), 0);
  const RunResult r = run_slowscope("store prune --store " + url_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rolled up "), npos) << r.out;
  EXPECT_NE(r.out.find("dropped raw samples before "), npos) << r.out;
  EXPECT_NE(r.out.find("retention (the defaults: --store without --config): raw 7d, hourly 90d, "
                       "daily 730d\n"),
            npos)
      << r.out;
  StoreStats after = stats();
  EXPECT_EQ(rows_of(after, "samples"), 2 * kStatements) << "the 10 days old samples are gone";
  EXPECT_GT(rows_of(after, "samples_daily"), 0) << "and rolled up";

  // The configuration keeps raw samples a day.
  const std::string config = dir_.file("slowscope.yaml");
  std::ofstream(config) << "store: sqlite:./s.db\nretention:\n  raw: 1d\n";
  const RunResult cut = run_slowscope("store prune --config " + config);
  ASSERT_EQ(cut.exit_code, 0) << cut.err;
  EXPECT_NE(cut.out.find("retention (from " + config + "): raw 1d, hourly 90d"), npos) << cut.out;
  after = stats();
  EXPECT_EQ(rows_of(after, "samples"), kStatements);

  // A retention the configuration refuses.
  std::ofstream(config) << "store: sqlite:./s.db\nretention:\n  raw: 100d\n";
  const RunResult refused = run_slowscope("store prune --config " + config);
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_EQ(rows_of(stats(), "samples"), kStatements);
}

TEST_F(StoreCommandCli, VacuumPrintsTheSizeBeforeAndAfter) {
  fill({now_ - 10 * 86400, now_ - 10 * 86400 + 600, now_ - 600});
  ASSERT_EQ(run_slowscope("store prune --store " + url_).exit_code, 0);
  const RunResult r = run_slowscope("store vacuum --store " + url_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("vacuumed " + url_ + ": "), npos) << r.out;
  EXPECT_NE(r.out.find(" after (0B free)"), npos) << r.out;
  EXPECT_EQ(rows_of(stats(), "samples"), kStatements);
}

// The backup of a store another Store writes cycles into meanwhile holds whole cycles
// only: as many samples as the cycles its checkpoint counts.
TEST_F(StoreCommandCli, BackupWhileAnotherStoreWritesIsConsistentAndPrivate) {
  fill({now_ - 3600});
  std::atomic<bool> stop{false};
  std::atomic<int> written{1};
  std::thread writer([&] {
    Store store = Store::open(location(), StoreOpen::kMustExist);
    for (int number = 2; !stop; ++number) {
      store.write_cycle(cycle_at("orders", now_ - 3600 + 600 * number, number));
      written = number;
    }
  });
  while (written < 5) std::this_thread::yield();
  const std::string backup = dir_.file("backup.db");
  const RunResult r = run_slowscope("store backup " + backup + " --store " + url_);
  const int before_end = written;
  while (written < before_end + 3) std::this_thread::yield();
  stop = true;
  writer.join();

  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("backed up " + url_ + " to " + backup + " ("), npos) << r.out;
  struct stat st {};
  ASSERT_EQ(::stat(backup.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  for (const std::string& name : files()) {
    EXPECT_EQ(name.find(".tmp."), npos) << "a temporary file is left: " << name;
  }
  Store copy = Store::open({StoreLocation::Kind::kSqlite, backup}, StoreOpen::kMustExist);
  const std::optional<std::string> cycles = copy.checkpoint("orders", "cycle");
  ASSERT_TRUE(cycles);
  const int copied = std::stoi(*cycles);
  EXPECT_GE(copied, 5);
  EXPECT_LE(copied, before_end);
  const StoreStats stats = copy.stats();
  EXPECT_EQ(rows_of(stats, "samples"), copied * kStatements);
  int64_t calls = 0;
  for (const ShapeTotals& s :
       copy.top({"orders", T(now_ - 86400), T(now_ + 400 * 86400), TopOrder::kTotal, 10})) {
    calls += s.measures.calls;
  }
  EXPECT_EQ(calls, int64_t{copied} * (11 + 12 + 13)) << "the hourly rows hold the same cycles";

  // Again over the same file: replaced whole.
  const RunResult again = run_slowscope("store backup " + backup + " --store " + url_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(std::stoi(*Store::open({StoreLocation::Kind::kSqlite, backup}, StoreOpen::kMustExist)
                           .checkpoint("orders", "cycle")),
            written.load());
}

TEST_F(StoreCommandCli, BackupUsageErrorsExitTwoAndWriteNothing) {
  fill({now_ - 3600});
  const std::vector<std::string> before = files();
  const RunResult no_path = run_slowscope("store backup --store " + url_);
  EXPECT_EQ(no_path.exit_code, 2) << no_path.err;
  EXPECT_NE(no_path.err.find("path"), npos) << no_path.err;

  const RunResult no_folder =
      run_slowscope("store backup " + dir_.file("nowhere/b.db") + " --store " + url_);
  EXPECT_EQ(no_folder.exit_code, 2) << no_folder.err;
  EXPECT_NE(no_folder.err.find("its folder " + dir_.file("nowhere") + " does not exist"), npos)
      << no_folder.err;

  const RunResult folder =
      run_slowscope("store backup " + dir_.path().string() + " --store " + url_);
  EXPECT_EQ(folder.exit_code, 2) << folder.err;
  EXPECT_NE(folder.err.find("is a directory"), npos) << folder.err;

  for (const std::string& own : {path_, path_ + "-wal"}) {
    const RunResult itself = run_slowscope("store backup " + own + " --store " + url_);
    EXPECT_EQ(itself.exit_code, 2) << itself.err;
    EXPECT_NE(itself.err.find("is the store's own file"), npos) << itself.err;
  }
  EXPECT_EQ(run_slowscope("store backup - --store " + url_).exit_code, 2);

  const RunResult no_store = run_slowscope("store backup " + dir_.file("b.db") +
                                           " --store sqlite:" + dir_.file("typo.db"));
  EXPECT_EQ(no_store.exit_code, 2) << no_store.err;
  EXPECT_NE(no_store.err.find("no store at sqlite:" + dir_.file("typo.db")), npos) << no_store.err;

  EXPECT_EQ(run_slowscope("store --store " + url_).exit_code, 2) << "no subcommand";
  EXPECT_EQ(files(), before);
  EXPECT_EQ(rows_of(stats(), "samples"), kStatements);
}

TEST(StoreCommandPostgresCli, StatsVacuumAndABackupRefusedNamingPgDump) {
  PostgresServer* server = PostgresEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  const std::string database = "store_command_" + std::to_string(::getpid());
  PostgresConnection(server->conninfo())
      .exec_script("create database", "CREATE DATABASE " + database);
  const std::string uri = server->uri(database);
  const int64_t now = now_seconds() / 600 * 600;
  {
    Store store = Store::open(StoreLocation::parse(uri));
    store.ensure_target("orders", Engine::kPostgres);
    store.write_cycle(cycle_at("orders", now - 1200, 1));
    store.write_cycle(cycle_at("orders", now - 600, 2));
  }
  const RunResult json = run_slowscope("store stats --format json --store '" + uri + "'");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json doc = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << json.out;
  EXPECT_TRUE(matches_schema(doc, kStatsSchema)) << json.out;
  int64_t sum = 0;
  for (const auto& t : doc["tables"]) {
    ASSERT_TRUE(t["bytes"].is_number_integer()) << t.dump();
    sum += t["bytes"].get<int64_t>();
    if (t["name"] == "samples") {
      EXPECT_EQ(t["rows"], 2 * kStatements);
    }
  }
  EXPECT_EQ(doc["bytes"], sum);
  const RunResult text = run_slowscope("store stats --store '" + uri + "'");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("(its tables with their indexes)"), npos) << text.out;

  const RunResult vacuum = run_slowscope("store vacuum --store '" + uri + "'");
  EXPECT_EQ(vacuum.exit_code, 0) << vacuum.err;
  EXPECT_NE(vacuum.out.find("vacuumed and analyzed"), npos) << vacuum.out;

  TempDir dir;
  const RunResult backup =
      run_slowscope("store backup " + dir.file("b.db") + " --store '" + uri + "'");
  EXPECT_EQ(backup.exit_code, 1) << backup.err;
  EXPECT_NE(backup.err.find("pg_dump -Fc -n public"), npos) << backup.err;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "a file was made";
}

}  // namespace
}  // namespace slowscope::testing
