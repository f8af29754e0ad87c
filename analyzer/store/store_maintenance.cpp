// Store maintenance for operators (`slowscope store`): what the store holds and how big it
// is, giving deleted rows' space back, and a consistent copy of an SQLite store while
// collectors write (sql/store/table_stats.sql, sql/store/<backend>/vacuum.sql,
// sql/store/sqlite/file_pages.sql and copy_into.sql, sql/store/postgres/table_sizes.sql).
#include <filesystem>
#include <map>
#include <string>

#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store_impl.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

// The size of the SQLite store's write-ahead log file; 0 when there is none, or when the
// connection is not an SqliteConnection (tests wrap connections).
int64_t wal_file_bytes(const SqlConnection& db) {
  const auto* file = dynamic_cast<const SqliteConnection*>(&db);
  if (file == nullptr) return 0;
  std::error_code ec;
  const auto size = std::filesystem::file_size(file->path() + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

}  // namespace

void rewrite_sqlite_file(Store::Impl& s) {
  try {
    s.db->exec_script("store/sqlite/vacuum", sql::text("store/sqlite/vacuum"));
  } catch (const SqlError&) {
    try {
      s.db->exec_script("store/sqlite/session", sql::text("store/sqlite/session"));
    } catch (const SqlError&) {
      // The VACUUM's error says more; the connection keeps working with a temp_store on disk.
    }
    throw;
  }
}

StoreStats Store::stats() {
  Impl& s = *impl_;
  StoreStats result;
  result.location = s.db->describe();
  result.schema_version = s.version;
  std::optional<std::string> schema;
  if (s.db->backend() == SqlBackend::kPostgres) schema = postgres_location()->schema;
  try {
    // One statement for every count, so that they are of one moment.
    std::map<std::string, StoreTableStats, std::less<>> found;
    auto& tables = s.sql("table_stats");
    while (tables.step()) {
      StoreTableStats t;
      t.name = tables.get_text(0);
      t.rows = tables.get_int(1);
      if (!tables.is_null(2)) t.oldest = store_time(tables.get_int(2));
      if (!tables.is_null(3)) t.newest = store_time(tables.get_int(3));
      found.emplace(t.name, std::move(t));
    }
    tables.reset();

    std::map<std::string, int64_t, std::less<>> sizes;
    if (schema) {
      auto& list = s.sql("postgres/table_sizes");
      list.bind_text(1, *schema);
      while (list.step()) sizes.emplace(list.get_text(0), list.get_int(1));
      list.reset();
    } else {
      auto& pages = s.sql("sqlite/file_pages");
      if (!pages.step()) s.fail("reading its statistics", "no page counts");
      const int64_t page_size = pages.get_int(1);
      result.bytes = pages.get_int(0) * page_size + wal_file_bytes(*s.db);
      result.free_bytes = pages.get_int(2) * page_size;
      pages.reset();
    }

    for (const std::string_view name : store_table_names()) {
      const auto it = found.find(name);
      if (it == found.end()) {
        s.fail("reading its statistics",
               std::string("table_stats.sql does not count table ") + std::string(name));
      }
      StoreTableStats& t = it->second;
      if (schema) {
        const auto size = sizes.find(name);
        if (size == sizes.end()) {
          s.fail("reading its statistics",
                 std::string("no table ") + std::string(name) + " in schema " + *schema);
        }
        t.bytes = size->second;
        result.bytes += size->second;
      }
      result.tables.push_back(std::move(t));
    }
  } catch (const SqlError& e) {
    s.fail("reading its statistics", e.what());
  }
  return result;
}

void Store::vacuum() {
  Impl& s = *impl_;
  // VACUUM cannot run inside a transaction on either backend.
  if (s.db->in_transaction()) s.fail("vacuuming", "called inside a transaction");
  try {
    if (s.db->backend() == SqlBackend::kSqlite) {
      rewrite_sqlite_file(s);
    } else {
      s.db->exec_script("store/postgres/vacuum", sql::text("store/postgres/vacuum"));
    }
  } catch (const SqlError& e) {
    s.fail("vacuuming", e.what());
  }
}

void Store::copy_into(const std::string& path) {
  Impl& s = *impl_;
  if (s.db->backend() == SqlBackend::kPostgres) {
    const std::string schema = postgres_location()->schema;
    s.fail(std::string("copying it into ") + path,
           std::string("slowscope copies SQLite stores only; back up a PostgreSQL store with "
                       "pg_dump and its schema, e.g. pg_dump -Fc -n ") +
               schema + " -f slowscope.dump DBNAME");
  }
  if (s.db->in_transaction())
    s.fail(std::string("copying it into ") + path, "called inside a transaction");
  try {
    auto& copy = s.sql("sqlite/copy_into");
    copy.bind_text(1, path);
    copy.run();
  } catch (const SqlError& e) {
    s.fail(std::string("copying it into ") + path, e.what());
  }
}

}  // namespace slowscope
