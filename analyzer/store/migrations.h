// Schema migrations of the history store: sql/store/<backend>/NNN_description.sql, applied
// in order, each in its own transaction and recorded in the schema_version table. Several
// processes may migrate the same store at once; each version is applied exactly once.
// Functions take the connection they work on and share nothing else: thread-safe as long as
// each thread uses its own connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/store/sql_connection.h"

namespace slowscope {

struct Migration {
  int version = 0;
  std::string name;      // e.g. "store/sqlite/001_init"
  std::string_view sql;  // the embedded text
};

// The migrations of `backend`, by ascending version.
std::vector<Migration> migrations_for(SqlBackend backend);

// The schema version this binary writes: the highest migration version.
int latest_schema_version();

// The version recorded in the store (0 for an empty one). Creates the ledger if missing.
int current_schema_version(SqlConnection& connection);

// Applies the missing migrations and returns the resulting version. Throws StoreError when
// the store is newer than latest_schema_version() (nothing is changed then) or a migration
// fails (that migration is rolled back). `now` is recorded as the time of application.
int migrate(SqlConnection& connection, int64_t now);

}  // namespace slowscope
