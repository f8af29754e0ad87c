// `slowscope digest --store`: a slow log ingested into the history store holds, per shape,
// exactly the calls and times the digest report gives, and a file stored again adds only
// what was appended since.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

using testing::digest_json;
using testing::run_slowscope;
using testing::TempDir;

const std::string kLog = std::string(SLOWSCOPE_SOURCE_DIR) + "/examples/mariadb-sysbench.log";

struct Sums {
  int64_t calls = 0;
  double total = 0;
};

std::map<std::string, Sums> stored(const std::string& db) {
  Store store = Store::open(StoreLocation::parse("sqlite:" + db));
  std::map<std::string, Sums> out;
  for (const auto& t :
       store.top({"shop", StoreTime(std::chrono::seconds(0)),
                  StoreTime(std::chrono::seconds(4'000'000'000)), TopOrder::kCalls, 100000})) {
    out[t.shape_hash].calls += t.measures.calls;
    out[t.shape_hash].total += t.measures.total_time;
  }
  return out;
}

std::map<std::string, Sums> reported(const std::string& log) {
  std::map<std::string, Sums> out;
  const nlohmann::json digest = digest_json("'" + log + "'");
  for (const auto& c : digest["classes"]) {
    out[c["query_id"]] = {c["calls"].get<int64_t>(), c["query_time"]["sum"].get<double>()};
  }
  return out;
}

void expect_same(const std::map<std::string, Sums>& got, const std::map<std::string, Sums>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [id, w] : want) {
    ASSERT_TRUE(got.contains(id)) << id;
    EXPECT_EQ(got.at(id).calls, w.calls) << id;
    EXPECT_NEAR(got.at(id).total, w.total, 1e-9 * std::max(1.0, w.total)) << id;
  }
}

TEST(DigestStoreTest, StoresWhatTheReportCountsAndNothingTwice) {
  TempDir dir;
  const std::string db = dir.file("s.db");
  const std::string log = dir.file("slow.log");
  std::filesystem::copy_file(kLog, log);
  const std::string args = "digest '" + log + "' --store sqlite:" + db + " --target shop";
  auto r = run_slowscope(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("10049 new entries"), std::string::npos) << r.out;
  expect_same(stored(db), reported(log));

  r = run_slowscope(args);  // again: nothing new
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing new for target shop"), std::string::npos) << r.out;
  expect_same(stored(db), reported(log));

  // The file grows: only the new entries are added.
  std::ifstream in(kLog);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t cut = text.find("\n# Time: ", text.size() / 2) + 1;
  std::ofstream(log, std::ios::app) << text.substr(cut);
  r = run_slowscope(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same(stored(db), reported(log));
}

TEST(DigestStoreTest, RefusesWhatItCannotStore) {
  TempDir dir;
  const std::string store = " --store sqlite:" + dir.file("s.db");
  auto r = run_slowscope("digest '" + kLog + "'" + store);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--target"), std::string::npos) << r.err;
  r = run_slowscope("digest -" + store + " --target shop", kLog);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("standard input"), std::string::npos) << r.err;
  r = run_slowscope("digest '" + kLog + "'" + store + " --target shop --since 1h");
  EXPECT_EQ(r.exit_code, 2);
  r = run_slowscope("digest '" + dir.file("missing.log") + "'" + store + " --target shop");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.log"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace slowscope
