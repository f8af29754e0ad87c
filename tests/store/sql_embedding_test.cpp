#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "analyzer/store/migrations.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

TEST(SqlEmbedding, ServesEveryFileByName) {
  EXPECT_NE(sql::text("store/sqlite/001_init").find("CREATE TABLE samples"), std::string::npos);
  EXPECT_NE(sql::text("store/timeline").find("GROUP BY bucket_start"), std::string::npos);
  try {
    sql::text("store/nope");
    FAIL() << "no error";
  } catch (const std::out_of_range& e) {
    EXPECT_NE(std::string(e.what()).find("store/nope"), std::string::npos);
  }
  const auto names = sql::names("store/");
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_NE(std::find(names.begin(), names.end(), "store/sqlite/session"), names.end());
  EXPECT_TRUE(sql::names("nope/").empty());
}

TEST(SqlEmbedding, BothBackendsHaveTheSameMigrations) {
  const auto sqlite = migrations_for(SqlBackend::kSqlite);
  const auto postgres = migrations_for(SqlBackend::kPostgres);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, static_cast<int>(i + 1)) << "versions must have no gaps";
    EXPECT_EQ(postgres[i].version, sqlite[i].version);
    EXPECT_EQ(sqlite[i].name.substr(sqlite[i].name.rfind('/')),
              postgres[i].name.substr(postgres[i].name.rfind('/')));
  }
  EXPECT_EQ(latest_schema_version(), sqlite.back().version);
}

}  // namespace
}  // namespace slowscope
