#include "connectors/postgres/pgss_columns.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace slowscope {
namespace {

using Columns = std::set<std::string, std::less<>>;

// The pg_stat_statements view columns of each major version's default extension version.
Columns columns_of(int major) {
  Columns c = {"userid",
               "dbid",
               "queryid",
               "query",
               "calls",
               "rows",
               "shared_blks_hit",
               "shared_blks_read",
               "shared_blks_dirtied",
               "shared_blks_written",
               "local_blks_hit",
               "local_blks_read",
               "local_blks_dirtied",
               "local_blks_written",
               "temp_blks_read",
               "temp_blks_written"};
  if (major == 12) {
    c.insert({"total_time", "min_time", "max_time", "mean_time", "stddev_time", "blk_read_time",
              "blk_write_time"});
    return c;
  }
  c.insert({"plans", "total_plan_time", "min_plan_time", "max_plan_time", "mean_plan_time",
            "stddev_plan_time", "total_exec_time", "min_exec_time", "max_exec_time",
            "mean_exec_time", "stddev_exec_time", "wal_records", "wal_fpi", "wal_bytes"});
  if (major >= 14) c.insert("toplevel");
  if (major >= 15) {
    c.insert({"temp_blk_read_time", "temp_blk_write_time", "jit_functions", "jit_generation_time",
              "jit_inlining_count", "jit_inlining_time", "jit_optimization_count",
              "jit_optimization_time", "jit_emission_count", "jit_emission_time"});
  }
  if (major >= 17) {
    c.insert({"shared_blk_read_time", "shared_blk_write_time", "local_blk_read_time",
              "local_blk_write_time", "jit_deform_count", "jit_deform_time", "stats_since",
              "minmax_stats_since"});
  } else {
    c.insert({"blk_read_time", "blk_write_time"});
  }
  if (major >= 18) {
    c.insert({"parallel_workers_to_launch", "parallel_workers_launched", "wal_buffers_full",
              "generic_plan_calls", "custom_plan_calls"});
  }
  return c;
}

TEST(PgssColumns, PostgreSQL12ReadsTotalTimeWithoutWalOrToplevel) {
  const auto set = select_pgss_columns(columns_of(12));
  EXPECT_EQ(set.total_time, "total_time");
  EXPECT_EQ(set.stddev_time, "stddev_time");
  EXPECT_EQ(set.toplevel, "true");
  EXPECT_EQ(set.wal_bytes, "0::bigint");
  EXPECT_EQ(set.blk_read_time, "blk_read_time");
  EXPECT_FALSE(set.has_stats_since());
}

TEST(PgssColumns, PostgreSQL13ReadsExecTimeAndWalButNoToplevel) {
  const auto set = select_pgss_columns(columns_of(13));
  EXPECT_EQ(set.total_time, "total_exec_time");
  EXPECT_EQ(set.mean_time, "mean_exec_time");
  EXPECT_EQ(set.toplevel, "true");
  EXPECT_EQ(set.wal_records, "wal_records");
  EXPECT_EQ(set.wal_bytes, "wal_bytes::bigint");
}

TEST(PgssColumns, PostgreSQL14To16ReadToplevelAndBlkTimes) {
  for (int major : {14, 15, 16}) {
    SCOPED_TRACE(major);
    const auto set = select_pgss_columns(columns_of(major));
    EXPECT_EQ(set.toplevel, "toplevel");
    EXPECT_EQ(set.total_time, "total_exec_time");
    EXPECT_EQ(set.blk_read_time, "blk_read_time");
    EXPECT_EQ(set.blk_write_time, "blk_write_time");
    EXPECT_FALSE(set.has_stats_since());
  }
}

TEST(PgssColumns, PostgreSQL17And18ReadRenamedIoTimesAndStatsSince) {
  for (int major : {17, 18}) {
    SCOPED_TRACE(major);
    const auto set = select_pgss_columns(columns_of(major));
    EXPECT_EQ(set.blk_read_time, "shared_blk_read_time + local_blk_read_time");
    EXPECT_EQ(set.blk_write_time, "shared_blk_write_time + local_blk_write_time");
    EXPECT_TRUE(set.has_stats_since());
    EXPECT_EQ(set.toplevel, "toplevel");
  }
}

TEST(PgssColumns, ChosenByColumnsNotVersion) {
  // A PostgreSQL 14 server whose extension is still at 1.8 (no ALTER EXTENSION UPDATE):
  // no toplevel column, so none is read.
  const auto set = select_pgss_columns(columns_of(13));
  EXPECT_EQ(set.toplevel, "true");
}

TEST(PgssColumns, UnknownColumnSetIsRefusedNamingWhatIsMissing) {
  Columns c = columns_of(15);
  c.erase("total_exec_time");
  c.erase("calls");
  try {
    select_pgss_columns(c);
    FAIL() << "expected UnsupportedPgss";
  } catch (const UnsupportedPgss& e) {
    EXPECT_NE(std::string(e.what()).find("calls"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("total_exec_time or total_time"), std::string::npos);
  }
}

TEST(PgssColumns, StatementsSqlIsFilledAndMarked) {
  for (int major = 12; major <= 18; ++major) {
    SCOPED_TRACE(major);
    const std::string sql = statements_sql(select_pgss_columns(columns_of(major)), "ext");
    EXPECT_EQ(sql.rfind("/* slowscope */", 0), 0u);
    EXPECT_EQ(sql.find('{'), std::string::npos);
    EXPECT_NE(sql.find("\"ext\".pg_stat_statements(showtext := false)"), std::string::npos);
    if (major == 12) {
      EXPECT_NE(sql.find("total_time"), std::string::npos);
    }
    if (major >= 17) {
      EXPECT_NE(sql.find("stats_since"), std::string::npos);
    }
  }
}

TEST(PgssColumns, TextQueryAndInfoQueryAreQualifiedBySchema) {
  const auto set = select_pgss_columns(columns_of(15));
  EXPECT_NE(query_texts_sql(set, "my\"schema")
                .find("\"my\"\"schema\".pg_stat_statements(showtext := true)"),
            std::string::npos);
  const std::string facts = server_facts_sql("public", true);
  EXPECT_EQ(facts.rfind("/* slowscope */", 0), 0u);
  EXPECT_EQ(facts.find('{'), std::string::npos);
  EXPECT_NE(facts.find("\"public\".pg_stat_statements_info"), std::string::npos);
}

// Before PostgreSQL 14 there is no pg_stat_statements_info: the facts query reads no view
// that could be missing.
TEST(PgssColumns, FactsQueryWithoutInfoViewReadsNoInfo) {
  const std::string facts = server_facts_sql("public", false);
  EXPECT_EQ(facts.rfind("/* slowscope */", 0), 0u);
  EXPECT_EQ(facts.find('{'), std::string::npos);
  EXPECT_EQ(facts.find("pg_stat_statements_info"), std::string::npos);
}

TEST(PgssColumns, TemplatePlaceholderWithoutValueIsAnError) {
  EXPECT_THROW(fill_template("SELECT {a}, {b}", {{"a", "1"}}), std::logic_error);
  EXPECT_EQ(fill_template("SELECT {a}", {{"a", "1"}}), "SELECT 1");
}

}  // namespace
}  // namespace slowscope
