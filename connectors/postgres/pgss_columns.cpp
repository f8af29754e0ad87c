#include "connectors/postgres/pgss_columns.h"

#include <vector>

#include "sql/embedded.h"

namespace slowscope {
namespace {

// Columns every supported version has under the same name.
constexpr std::string_view kCommonColumns[] = {"userid",
                                               "dbid",
                                               "queryid",
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

}  // namespace

PgssColumnSet select_pgss_columns(const std::set<std::string, std::less<>>& columns) {
  auto has = [&](std::string_view name) { return columns.find(name) != columns.end(); };
  std::vector<std::string> missing;
  for (std::string_view name : kCommonColumns) {
    if (!has(name)) missing.emplace_back(name);
  }
  PgssColumnSet set;
  set.toplevel = has("toplevel") ? "toplevel" : "true";
  if (has("total_exec_time")) {
    set.total_time = "total_exec_time";
    set.mean_time = "mean_exec_time";
    set.stddev_time = "stddev_exec_time";
    set.min_time = "min_exec_time";
    set.max_time = "max_exec_time";
  } else if (has("total_time")) {
    set.total_time = "total_time";
    set.mean_time = "mean_time";
    set.stddev_time = "stddev_time";
    set.min_time = "min_time";
    set.max_time = "max_time";
  } else {
    missing.emplace_back("total_exec_time or total_time");
  }
  if (has("shared_blk_read_time")) {
    // 17 split the I/O timings by buffer kind; before, blk_*_time counted both.
    set.blk_read_time = has("local_blk_read_time") ? "shared_blk_read_time + local_blk_read_time"
                                                   : "shared_blk_read_time";
    set.blk_write_time = has("local_blk_write_time")
                             ? "shared_blk_write_time + local_blk_write_time"
                             : "shared_blk_write_time";
  } else if (has("blk_read_time")) {
    set.blk_read_time = "blk_read_time";
    set.blk_write_time = "blk_write_time";
  } else {
    missing.emplace_back("blk_read_time or shared_blk_read_time");
  }
  if (has("wal_records")) {
    set.wal_records = "wal_records";
    set.wal_fpi = "wal_fpi";
    set.wal_bytes = "wal_bytes::bigint";
  } else {
    set.wal_records = set.wal_fpi = set.wal_bytes = "0::bigint";
  }
  set.stats_since_us =
      has("stats_since") ? "(extract(epoch FROM stats_since) * 1000000)::bigint" : "NULL::bigint";
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    throw UnsupportedPgss("pg_stat_statements lacks columns slowscope needs (" + list +
                          "); supported are the versions of PostgreSQL 12 to 18");
  }
  return set;
}

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string fill_template(
    std::string_view text,
    const std::initializer_list<std::pair<std::string_view, std::string>>& values) {
  std::string out;
  out.reserve(text.size() + 256);
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find('{', pos);
    if (open == std::string_view::npos) {
      out += text.substr(pos);
      break;
    }
    out += text.substr(pos, open - pos);
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) throw std::logic_error("unclosed { in SQL template");
    const std::string_view key = text.substr(open + 1, close - open - 1);
    bool found = false;
    for (const auto& [name, value] : values) {
      if (name == key) {
        out += value;
        found = true;
        break;
      }
    }
    if (!found)
      throw std::logic_error("SQL template placeholder {" + std::string(key) + "} has no value");
    pos = close + 1;
  }
  return out;
}

std::string statements_sql(const PgssColumnSet& c, std::string_view schema) {
  return fill_template(sql::text("postgres/statements"), {{"schema", quote_identifier(schema)},
                                                          {"toplevel", c.toplevel},
                                                          {"total_time", c.total_time},
                                                          {"mean_time", c.mean_time},
                                                          {"stddev_time", c.stddev_time},
                                                          {"min_time", c.min_time},
                                                          {"max_time", c.max_time},
                                                          {"blk_read_time", c.blk_read_time},
                                                          {"blk_write_time", c.blk_write_time},
                                                          {"wal_records", c.wal_records},
                                                          {"wal_fpi", c.wal_fpi},
                                                          {"wal_bytes", c.wal_bytes},
                                                          {"stats_since_us", c.stats_since_us}});
}

std::string query_texts_sql(const PgssColumnSet& c, std::string_view schema) {
  return fill_template(sql::text("postgres/query_texts"),
                       {{"schema", quote_identifier(schema)}, {"toplevel", c.toplevel}});
}

std::string server_facts_sql(std::string_view schema, bool has_info) {
  const std::string info = has_info ? fill_template(sql::text("postgres/stats_info"),
                                                    {{"schema", quote_identifier(schema)}})
                                    : std::string(sql::text("postgres/stats_info_absent"));
  return fill_template(sql::text("postgres/server_facts"), {{"stats_info", info}});
}

}  // namespace slowscope
