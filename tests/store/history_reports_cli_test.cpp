// `top` and `show` as a reader sees them: each shape in the measures of its engine (rows
// sent and examined for MySQL, blocks for PostgreSQL; `top --by rows_examined`), the
// per-interval timeline of data collected minutes ago (not the one hour holding it), and
// the table's columns aligned whatever the targets are called.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "analyzer/store/migrations.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/store/store_test_support.h"

namespace slowscope::testing {
namespace {

constexpr size_t npos = std::string::npos;

const std::string kLongTarget = "shop-primary.eu-west-1.example-corp";  // 35 characters
const std::string kScanId = "25F075072771E4B6E1D71E1EB55A0439";         // MySQL: many rows examined
const std::string kPointId = "E81D0B3DB4FB31BC558CAEF5F387E929";        // MySQL: few
const std::string kPostgresId = "0123456789abcdef";

// Ten minutes of samples, one bucket a minute, ending at the last whole minute.
void write_recent(Store& store, const std::string& target, const std::string& id, int64_t calls,
                  int64_t rows_examined, int64_t blocks) {
  const auto now = std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now());
  const StoreTime first =
      std::chrono::time_point_cast<std::chrono::seconds>(now) - std::chrono::minutes(10);
  const StatementKey key{"app", "app", id, true};
  for (int minute = 0; minute < 10; ++minute) {
    const StoreTime bucket = first + std::chrono::minutes(minute);
    CycleWrite cycle{
        target, {"server-of-" + target, "15"}, bucket + std::chrono::minutes(1), {}, {}, {}, {}};
    if (minute == 0) {
      cycle.new_statements.push_back({key, ShapeInfo{id, "select * from t_" + id, {}}, ""});
    }
    Sample s;
    s.key = key;
    s.bucket_start = bucket;
    s.measures.calls = calls;
    s.measures.total_time = 0.001 * static_cast<double>(calls * (minute + 1));
    s.measures.row_count = calls;
    s.measures.rows_examined = rows_examined;
    s.measures.shared_blks_hit = blocks;
    s.measures.shared_blks_read = blocks;
    s.measures.wal_bytes = 4096;
    cycle.samples.push_back(s);
    store.write_cycle(cycle);
  }
}

class HistoryReportsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir_.file("s.db")));
    store.ensure_target(kLongTarget, Engine::kMysql);
    store.ensure_target("orders", Engine::kPostgres);
    write_recent(store, kLongTarget, kScanId, 4, 40'000, 0);
    write_recent(store, kLongTarget, kPointId, 200, 200, 0);
    write_recent(store, "orders", kPostgresId, 50, 0, 30);
    store_ = " --store sqlite:" + dir_.file("s.db");
  }

  TempDir dir_;
  std::string store_;
};

TEST_F(HistoryReportsCli, ShowDrawsTheMinutesOfFreshData) {
  const RunResult r = run_slowscope("show " + kPostgresId + store_);  // the last 24 hours
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(10 buckets of 1m)"), npos) << r.out;
  EXPECT_NE(r.out.find("  time  ▂▂▃▄▅▅▆▇▇█\n"), npos) << r.out;  // rising, minute by minute
  const RunResult json = run_slowscope("show " + kPostgresId + " --format json" + store_);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["targets"][0]["timeline"].size(), 10u);
  EXPECT_EQ(doc["targets"][0]["timeline"][0]["bucket_seconds"], 60);
}

TEST_F(HistoryReportsCli, ShowPrintsTheMeasuresOfTheShapesEngine) {
  const RunResult mysql = run_slowscope("show " + kScanId + store_);
  ASSERT_EQ(mysql.exit_code, 0) << mysql.err;
  EXPECT_NE(mysql.out.find(", rows sent 40, rows examined 400k\n"), npos) << mysql.out;
  for (const char* postgres_only : {"blocks", "WAL", "I/O time"}) {
    EXPECT_EQ(mysql.out.find(postgres_only), npos) << postgres_only << "\n" << mysql.out;
  }
  const RunResult postgres = run_slowscope("show " + kPostgresId + store_);
  ASSERT_EQ(postgres.exit_code, 0) << postgres.err;
  EXPECT_NE(postgres.out.find("  blocks: shared hit 300, read 300"), npos) << postgres.out;
  EXPECT_EQ(postgres.out.find("rows examined"), npos) << postgres.out;
}

TEST_F(HistoryReportsCli, TopShowsRowsExaminedForMysqlAndRanksByThem) {
  const RunResult total = run_slowscope("top --target " + kLongTarget + store_);
  ASSERT_EQ(total.exit_code, 0) << total.err;
  EXPECT_NE(total.out.find("  rows sent  rows exam  target"), npos) << total.out;
  EXPECT_EQ(total.out.find("io blks"), npos) << total.out;
  // By total time the busy point lookup comes first; by rows examined the scan does.
  EXPECT_LT(total.out.find(kPointId), total.out.find(kScanId)) << total.out;
  const RunResult examined =
      run_slowscope("top --by rows_examined --target " + kLongTarget + store_);
  ASSERT_EQ(examined.exit_code, 0) << examined.err;
  EXPECT_NE(examined.out.find("Top query shapes by rows_examined"), npos) << examined.out;
  EXPECT_LT(examined.out.find(kScanId), examined.out.find(kPointId)) << examined.out;
  EXPECT_NE(examined.out.find("         40       400k  " + kLongTarget), npos) << examined.out;

  const RunResult json = run_slowscope("top --by rows_examined --format json" + store_);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_EQ(doc["by"], "rows_examined");
  EXPECT_EQ(doc["shapes"][0]["query_id"], kScanId);
  EXPECT_EQ(doc["shapes"][0]["rows_examined"], 400'000);
  EXPECT_TRUE(matches_schema(doc, "reports/json/schemas/top-1.schema.json"));
}

TEST_F(HistoryReportsCli, TopColumnsStayAlignedWithLongTargetNames) {
  const RunResult r = run_slowscope("top" + store_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line, header;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) {
    if (line.starts_with("rank")) header = line;
    if (!header.empty() && line != header && !line.empty()) rows.push_back(line);
  }
  ASSERT_EQ(rows.size(), 3u) << r.out;
  // Both engines: rows, then rows examined (MySQL) and blocks (PostgreSQL), "-" where a
  // shape's engine has no such measure.
  EXPECT_NE(header.find("    rows  rows exam io blks  target"), npos) << r.out;
  const size_t target_at = header.find("target");
  const size_t id_at = header.find("query id");
  const size_t fingerprint_at = header.find("fingerprint");
  for (const std::string& row : rows) {
    const bool mysql = row.find(kLongTarget) != npos;
    EXPECT_EQ(row.find(mysql ? kLongTarget : "orders"), target_at) << r.out;
    const size_t id =
        row.find(mysql ? (row.find(kScanId) != npos ? kScanId : kPointId) : kPostgresId);
    EXPECT_EQ(id, id_at) << r.out;
    EXPECT_EQ(row.find("select * from"), fingerprint_at) << r.out;
    EXPECT_EQ(row.substr(header.find("io blks") + 6, 1), mysql ? "-" : "0") << row;
  }
}

// The nightly report over a store an older slowscope wrote: opening it applies the
// migrations it lacks, then the report reads it; a store a newer slowscope wrote is refused
// with what to do, and left as it is.
TEST_F(HistoryReportsCli, ReportMigratesAnOlderStoreAndRefusesANewerOne) {
  const std::string path = dir_.file("s.db");
  auto schema_version = [&] {
    SqliteConnection db(path);
    return query_int(db, "SELECT MAX(version) FROM schema_version");
  };
  SqliteConnection(path).exec_script("back to version 5", kBackToSchemaVersion5);
  ASSERT_EQ(schema_version(), 5);

  const RunResult r = run_slowscope("report --since 1h --json " + dir_.file("r.json") + store_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json report = nlohmann::json::parse(read_file(dir_.file("r.json")));
  EXPECT_EQ(report["shapes"].size(), 3u);
  EXPECT_EQ(schema_version(), latest_schema_version());

  const int newer = latest_schema_version() + 1;
  SqliteConnection(path).exec_script(
      "from the future",
      "INSERT INTO schema_version VALUES (" + std::to_string(newer) + ", 'future', 0)");
  const RunResult refused =
      run_slowscope("report --since 1h --json " + dir_.file("newer.json") + store_);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("has schema version " + std::to_string(newer)), npos) << refused.err;
  EXPECT_NE(refused.err.find("upgrade slowscope"), npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.file("newer.json")));
  EXPECT_EQ(schema_version(), newer);
}

}  // namespace
}  // namespace slowscope::testing
