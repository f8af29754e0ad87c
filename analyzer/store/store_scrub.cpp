// Store: removing literal text that stores of schema version 5 and older kept (migration
// 006 and what SQL alone cannot do). See store_impl.h.
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <filesystem>
#include <vector>

#include "analyzer/fingerprint/literal_free_text.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store_impl.h"

namespace slowscope {
namespace {

// The store's files without access for others (stores were created with the umask's mode);
// a group's access is left as its owner set it.
void make_private(const std::string& path) {
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    const std::string file = path + suffix;
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & S_IRWXO) != 0) {
      ::chmod(file.c_str(), st.st_mode & 0770);
    }
  }
}

}  // namespace

void scrub_literal_text(Store::Impl& s) {
  int rewritten = 0;
  s.in_transaction("rewriting PostgreSQL shapes without literal values", [&] {
    std::vector<std::pair<int64_t, std::string>> changed;
    auto& list = s.sql("postgres_shapes");
    while (list.step()) {
      const std::string fingerprint = list.get_text(1);
      std::string literal_free = postgres_literal_free_text(fingerprint);
      if (literal_free != fingerprint) changed.emplace_back(list.get_int(0), std::move(literal_free));
    }
    list.reset();
    for (const auto& [id, text] : changed) {
      auto& set = s.sql("shape_fingerprint_set");
      set.bind_int(1, id);
      set.bind_text(2, text);
      set.run();
    }
    rewritten = static_cast<int>(changed.size());
  });
  if (s.db->backend() != SqlBackend::kSqlite) {
    spdlog::warn(
        "store {}: literal statement texts removed ({} shapes rewritten); PostgreSQL keeps "
        "the old row versions on disk until VACUUM FULL statements, shapes",
        s.db->describe(), rewritten);
    return;
  }
  try {
    rewrite_sqlite_file(s);
  } catch (const SqlError& e) {
    spdlog::warn("store {}: literal statement texts removed, but the file could not be rebuilt "
                 "to clear its free pages (run VACUUM on it): {}",
                 s.db->describe(), e.what());
  }
  if (const auto* file = dynamic_cast<const SqliteConnection*>(s.db.get())) make_private(file->path());
}

}  // namespace slowscope
