// Which pg_stat_statements columns to read, chosen from the columns the installed extension
// actually has (probed in pg_attribute), not from the server version alone: an extension
// not yet updated with ALTER EXTENSION keeps its old column set on a newer server.
//
// Covers the extension versions of PostgreSQL 12 to 18: total_time (12) vs total_exec_time
// (13+), WAL counters (13+), toplevel (14+), blk_read_time renamed shared_blk_read_time with
// local_blk_read_time added (17+), stats_since (17+). Pure functions; thread-safe.
#pragma once

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace slowscope {

// The SQL expression read for each canonical column of a snapshot row.
struct PgssColumnSet {
  std::string toplevel;    // "toplevel", or "true" before 14
  std::string total_time;  // "total_exec_time" or "total_time"
  std::string mean_time;
  std::string stddev_time;
  std::string min_time;
  std::string max_time;
  std::string blk_read_time;  // "blk_read_time", or shared + local on 17+
  std::string blk_write_time;
  std::string wal_records;  // "0" before 13
  std::string wal_fpi;
  std::string wal_bytes;
  std::string stats_since_us;  // epoch microseconds, or "NULL::bigint" before 17

  bool has_stats_since() const { return stats_since_us != "NULL::bigint"; }

  bool operator==(const PgssColumnSet&) const = default;
};

// Thrown when the columns are not those of any known pg_stat_statements.
class UnsupportedPgss : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The column set for an extension whose pg_stat_statements view has `columns`. Throws
// UnsupportedPgss naming the missing columns.
PgssColumnSet select_pgss_columns(const std::set<std::string, std::less<>>& columns);

// The statistics query (sql/postgres/statements.sql) for `columns`, the extension being
// installed in `schema`.
std::string statements_sql(const PgssColumnSet& columns, std::string_view schema);

// The query-text query (sql/postgres/query_texts.sql); $1 is a bigint[] of queryids.
std::string query_texts_sql(const PgssColumnSet& columns, std::string_view schema);

// The server-facts query (sql/postgres/server_facts.sql) with, when `has_info`, the
// pg_stat_statements_info of the extension installed in `schema`.
std::string server_facts_sql(std::string_view schema, bool has_info);

// `name` as a double-quoted SQL identifier.
std::string quote_identifier(std::string_view name);

// Replaces every {key} in `text` by its value; throws std::logic_error when a placeholder
// has no value, so that a template and its caller cannot drift apart silently.
std::string fill_template(
    std::string_view text,
    const std::initializer_list<std::pair<std::string_view, std::string>>& values);

}  // namespace slowscope
