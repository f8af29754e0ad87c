// `top` and `show` as a reader sees them: each shape in the measures of its engine (rows
// sent and examined for MySQL, blocks for PostgreSQL; `top --by rows_examined`), the
// per-interval timeline of data collected minutes ago (not the one hour holding it), and
// the table's columns aligned whatever the targets are called.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"

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

}  // namespace
}  // namespace slowscope::testing
