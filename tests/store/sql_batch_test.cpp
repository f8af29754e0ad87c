#include "analyzer/store/sql_batch.h"

#include <gtest/gtest.h>

#include <numeric>
#include <string>

#include "analyzer/store/sql_connection.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

TEST(SqlBatch, RepeatsTheMarkedRowWithShiftedPlaceholders) {
  const std::string sql =
      "-- a /* row */ in a comment, and $7 there, are not the template\n"
      "INSERT INTO t (a, b) VALUES /* row */ (CAST($1 AS BIGINT), $2) RETURNING a";
  EXPECT_EQ(row_parameters("t", sql), 2);
  EXPECT_EQ(repeat_row("t", sql, 1), sql);
  EXPECT_EQ(repeat_row("t", sql, 3),
            "-- a /* row */ in a comment, and $7 there, are not the template\n"
            "INSERT INTO t (a, b) VALUES /* row */ (CAST($1 AS BIGINT), $2),\n"
            "(CAST($3 AS BIGINT), $4),\n(CAST($5 AS BIGINT), $6) RETURNING a");
}

TEST(SqlBatch, RefusesMalformedTemplates) {
  EXPECT_THROW(row_parameters("t", "INSERT INTO t VALUES ($1)"), SqlError);
  EXPECT_THROW(row_parameters("t", "INSERT INTO t VALUES /* row */ ($1, $3)"), SqlError);
  EXPECT_THROW(row_parameters("t", "INSERT INTO t VALUES /* row */ ($1) WHERE $2"), SqlError);
  EXPECT_THROW(row_parameters("t", "INSERT INTO t VALUES /* row */ ($1"), SqlError);
  EXPECT_THROW(row_parameters("t", "VALUES /* row */ ($1), /* row */ ($2)"), SqlError);
  EXPECT_THROW(repeat_row("t", "VALUES /* row */ ($1)", 0), SqlError);
}

TEST(SqlBatch, CutsCountsIntoFewStatementSizes) {
  EXPECT_EQ(max_batch_rows(29), 128);
  EXPECT_EQ(max_batch_rows(300), 64);  // 128 x 300 would pass SQLite's 32,766
  EXPECT_EQ(batch_sizes(0, 256), std::vector<int>{});
  EXPECT_EQ(batch_sizes(5000, 256).size(), 19u + 2u);  // 19 x 256, then 128 + 8
  EXPECT_EQ(batch_sizes(5000, 256).back(), 8);
  for (size_t n : {1, 7, 255, 256, 257, 1000, 5001}) {
    const auto sizes = batch_sizes(n, 256);
    EXPECT_EQ(std::accumulate(sizes.begin(), sizes.end(), size_t{0}), n) << n;
  }
}

TEST(SqlBatch, TheStoreTemplatesParse) {
  EXPECT_EQ(row_parameters("store/sample_insert", sql::text("store/sample_insert")), 29);
  EXPECT_EQ(row_parameters("store/hourly_add", sql::text("store/hourly_add")), 28);
}

}  // namespace
}  // namespace slowscope
