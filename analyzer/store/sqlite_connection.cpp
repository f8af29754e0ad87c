#include "analyzer/store/sqlite_connection.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "sql/embedded.h"

namespace slowscope {
namespace {

class SqliteStatement : public SqlStatement {
 public:
  SqliteStatement(sqlite3* db, std::string name, sqlite3_stmt* stmt)
      : db_(db), name_(std::move(name)), stmt_(stmt) {
    // Map $N to SQLite's own parameter numbers: SQLite numbers named parameters in order of
    // first appearance, which need not be the order of N.
    const int count = sqlite3_bind_parameter_count(stmt_);
    for (int i = 1; i <= count; ++i) {
      const char* parameter = sqlite3_bind_parameter_name(stmt_, i);
      if (parameter == nullptr || parameter[0] != '$') fail("uses a placeholder other than $N");
      const int n = std::stoi(parameter + 1);
      if (n < 1) fail("uses placeholder " + std::string(parameter));
      if (static_cast<size_t>(n) >= index_of_.size()) index_of_.resize(n + 1, 0);
      index_of_[n] = i;
    }
    bound_.assign(index_of_.size(), false);
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void bind_null(int index) override { check(sqlite3_bind_null(stmt_, slot(index))); }
  void bind_int(int index, int64_t value) override {
    check(sqlite3_bind_int64(stmt_, slot(index), value));
  }
  void bind_double(int index, double value) override {
    check(sqlite3_bind_double(stmt_, slot(index), value));
  }
  void bind_text(int index, std::string_view value) override {
    check(sqlite3_bind_text64(stmt_, slot(index), value.data(), value.size(), SQLITE_TRANSIENT,
                              SQLITE_UTF8));
  }
  void bind_blob(int index, std::string_view bytes) override {
    // A zero-length blob must still be a blob, not NULL: SQLite needs a non-null pointer.
    static const char kEmpty = 0;
    check(sqlite3_bind_blob64(stmt_, slot(index), bytes.empty() ? &kEmpty : bytes.data(),
                              bytes.size(), SQLITE_TRANSIENT));
  }

  bool step() override {
    if (!started_) {
      for (size_t n = 1; n < index_of_.size(); ++n) {
        if (index_of_[n] != 0 && !bound_[n])
          fail("parameter $" + std::to_string(n) + " is not bound");
      }
      started_ = true;
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      changes_ = sqlite3_changes64(db_);
      return false;
    }
    fail(sqlite3_errmsg(db_));
  }

  bool is_null(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int64_t get_int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double get_double(int column) const override { return sqlite3_column_double(stmt_, column); }
  std::string get_text(int column) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return text == nullptr ? std::string() : std::string(text, sqlite3_column_bytes(stmt_, column));
  }
  std::string get_blob(int column) const override {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return data == nullptr ? std::string() : std::string(data, sqlite3_column_bytes(stmt_, column));
  }

  void reset() override {
    sqlite3_reset(stmt_);
    started_ = false;
  }
  int64_t changes() const override { return changes_; }

 private:
  int slot(int index) {
    if (index < 1 || static_cast<size_t>(index) >= index_of_.size() || index_of_[index] == 0) {
      fail("has no parameter $" + std::to_string(index));
    }
    bound_[index] = true;
    return index_of_[index];
  }
  void check(int rc) {
    if (rc != SQLITE_OK) fail(sqlite3_errmsg(db_));
  }
  [[noreturn]] void fail(const std::string& message) const {
    throw SqlError("sqlite statement " + name_ + ": " + message);
  }

  sqlite3* db_;
  std::string name_;
  sqlite3_stmt* stmt_;
  std::vector<int> index_of_;
  std::vector<bool> bound_;
  bool started_ = false;
  int64_t changes_ = 0;
};

bool only_space_or_comments(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      i = sql.find('\n', i);
      if (i == std::string_view::npos) return true;
    } else {
      return false;
    }
  }
  return true;
}

// How long opening a store waits for another connection converting it to WAL: the
// session's busy_timeout.
constexpr std::chrono::milliseconds kJournalModePatience{10000};

// Runs journal_mode_wal.sql until the file is in WAL mode. SQLite does not call the busy
// handler for a journal mode change, which needs the file to itself, so a connection that
// opens a new store while another one converts it (two targets of a collector starting on a
// new store file) would otherwise fail at once with "database is locked".
void use_write_ahead_log(sqlite3* db, const std::string& path) {
  const std::string sql(sql::text("store/sqlite/journal_mode_wal"));
  const auto deadline = std::chrono::steady_clock::now() + kJournalModePatience;
  std::chrono::milliseconds pause{1};
  for (;;) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    std::string mode;
    if (rc == SQLITE_OK) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        mode = text != nullptr ? reinterpret_cast<const char*>(text) : "";
      }
    }
    const std::string message = sqlite3_errmsg(db);
    sqlite3_finalize(stmt);
    if (mode == "wal" || mode == "memory") return;
    // Busy, locked, or the old mode returned: another connection holds the file.
    const int primary = rc & 0xff;
    const bool contended = rc == SQLITE_ROW || primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
    if (!contended) {
      throw SqlError("sqlite script store/sqlite/journal_mode_wal on " + path + ": " + message);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw SqlError("cannot put SQLite store " + path + " in WAL mode within " +
                     std::to_string(kJournalModePatience.count() / 1000) + " s: " +
                     (rc == SQLITE_ROW ? "still in " + mode +
                                             " mode (another connection holding the file, or a "
                                             "file system without shared memory)"
                                       : message));
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

// What keeps SQLite from working in the folder of the store at `path`, or "": the folder
// is missing, or this process may not write there — SQLite creates the store's -wal and
// -shm files next to it, even to read.
std::string folder_problem(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return "";
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return "its folder " + dir.string() + " does not exist";
  }
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return "its folder " + dir.string() + " is not writable (" + std::strerror(errno) +
           "), and SQLite keeps the store's -wal and -shm files there";
  }
  return "";
}

// Creates the store's file readable by its owner only, if it does not exist: it holds what
// ran on the monitored servers. SQLite gives its -wal and -shm files the same mode.
void create_private_file(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno == EEXIST) return;
  const std::string cause = std::strerror(errno);
  const std::string folder = folder_problem(path);
  throw SqlError("cannot create SQLite store " + path + ": " + (folder.empty() ? cause : folder));
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& path, SqliteFile file) : path_(path) {
  if (file == SqliteFile::kCreate) create_private_file(path);
  const int create = file == SqliteFile::kCreate ? SQLITE_OPEN_CREATE : 0;
  const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                 SQLITE_OPEN_READWRITE | create | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    const std::string folder = folder_problem(path);
    throw SqlError("cannot open SQLite store " + path + ": " + (folder.empty() ? message : folder));
  }
  sqlite3_extended_result_codes(db_, 1);
  try {
    exec_script("store/sqlite/session", sql::text("store/sqlite/session"));
    if (file == SqliteFile::kCreate) use_write_ahead_log(db_, path_);
  } catch (const SqlError& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    // SQLite's "attempt to write a readonly database" or "unable to open database file" do
    // not say that the folder is the cause.
    const std::string folder = folder_problem(path);
    if (!folder.empty()) throw SqlError("cannot open SQLite store " + path + ": " + folder);
    throw;
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

void SqliteConnection::exec_script(std::string_view name, std::string_view sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    throw SqlError("sqlite script " + std::string(name) + " on " + path_ + ": " + message);
  }
}

std::unique_ptr<SqlStatement> SqliteConnection::prepare(std::string_view name,
                                                        std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) {
    throw SqlError("sqlite statement " + std::string(name) + ": " + sqlite3_errmsg(db_));
  }
  if (stmt == nullptr) throw SqlError("sqlite statement " + std::string(name) + " is empty");
  if (!only_space_or_comments(sql.substr(tail - sql.data()))) {
    sqlite3_finalize(stmt);
    throw SqlError("sqlite statement " + std::string(name) + " holds more than one statement");
  }
  return std::make_unique<SqliteStatement>(db_, std::string(name), stmt);
}

// Transaction control belongs to the driver here, as BEGIN/COMMIT do inside libpqxx.
void SqliteConnection::begin() {
  if (in_transaction_) throw SqlError("sqlite: begin() inside a transaction on " + path_);
  exec_script("BEGIN IMMEDIATE", "BEGIN IMMEDIATE");
  in_transaction_ = true;
}

void SqliteConnection::commit() {
  if (!in_transaction_) throw SqlError("sqlite: commit() outside a transaction on " + path_);
  exec_script("COMMIT", "COMMIT");
  in_transaction_ = false;
}

void SqliteConnection::flush_wal() {
  if (in_transaction_) throw SqlError("sqlite: flush_wal() inside a transaction on " + path_);
  // PASSIVE: copies what no reader still needs and returns; a busy log is left for the next
  // call rather than waited for.
  exec_script("wal_checkpoint", "PRAGMA wal_checkpoint(PASSIVE)");
}

void SqliteConnection::rollback() noexcept {
  if (!in_transaction_) return;
  in_transaction_ = false;
  // Fails only when SQLite already rolled back by itself (e.g. after SQLITE_FULL).
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace slowscope
