#include "analyzer/store/migrations.h"

#include <algorithm>
#include <cctype>

#include "analyzer/store/store_error.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

std::string_view sql_of(std::string_view name) {
  return sql::text(name);
}

void create_ledger(SqlConnection& db) {
  try {
    db.exec_script("store/schema_version_create", sql_of("store/schema_version_create"));
  } catch (const SqlError&) {
    // Two processes creating the ledger at the same moment: PostgreSQL can fail the second
    // CREATE TABLE IF NOT EXISTS; once the first has committed the retry is a no-op.
    db.exec_script("store/schema_version_create", sql_of("store/schema_version_create"));
  }
}

int read_version(SqlConnection& db) {
  auto stmt = db.prepare("store/schema_version_current", sql_of("store/schema_version_current"));
  const int version = stmt->step() && !stmt->is_null(0) ? static_cast<int>(stmt->get_int(0)) : 0;
  stmt->reset();
  return version;
}

}  // namespace

std::vector<Migration> migrations_for(SqlBackend backend) {
  const std::string prefix = "store/" + std::string(to_string(backend)) + "/";
  std::vector<Migration> result;
  for (std::string_view name : sql::names(prefix)) {
    std::string_view file = name.substr(prefix.size());
    // Only NNN_description files are migrations; others (session settings) are not.
    if (file.size() < 5 || !std::isdigit(static_cast<unsigned char>(file[0])) ||
        !std::isdigit(static_cast<unsigned char>(file[1])) ||
        !std::isdigit(static_cast<unsigned char>(file[2])) || file[3] != '_') {
      continue;
    }
    result.push_back(
        Migration{std::stoi(std::string(file.substr(0, 3))), std::string(name), sql::text(name)});
  }
  std::sort(result.begin(), result.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return result;
}

int latest_schema_version() {
  const auto migrations = migrations_for(SqlBackend::kSqlite);
  return migrations.empty() ? 0 : migrations.back().version;
}

int current_schema_version(SqlConnection& db) {
  create_ledger(db);
  return read_version(db);
}

int migrate(SqlConnection& db, int64_t now) {
  const int latest = latest_schema_version();
  int version = current_schema_version(db);
  if (version > latest) {
    throw StoreUnusableError("store " + db.describe() + " has schema version " +
                             std::to_string(version) + ", newer than this slowscope understands (" +
                             std::to_string(latest) + "); upgrade slowscope");
  }
  for (const Migration& m : migrations_for(db.backend())) {
    if (m.version <= version) continue;
    try {
      db.begin();
      // Another process may have applied it since we looked.
      if (read_version(db) < m.version) {
        auto record =
            db.prepare("store/schema_version_record", sql_of("store/schema_version_record"));
        record->bind_int(1, m.version);
        record->bind_text(2, m.name);
        record->bind_int(3, now);
        record->run();
        db.exec_script(m.name, m.sql);
      }
      db.commit();
    } catch (const SqlError& e) {
      db.rollback();
      if (read_version(db) >= m.version) continue;  // lost the race to a concurrent migrator
      throw StoreError("store " + db.describe() + ": migration " + m.name + " failed: " + e.what());
    }
    version = m.version;
  }
  return std::max(version, read_version(db));
}

}  // namespace slowscope
