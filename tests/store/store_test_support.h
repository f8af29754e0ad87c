// Test support for the store suites: a fresh empty database per test on either backend
// (PostgreSQL from tests/support/postgres_server.h), and a connection wrapper that fails on
// demand. Header-only because every test binary is built from *_test.cpp files alone.
//
// Not thread-safe except where noted: tests set things up from the main thread.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "analyzer/store/postgres_connection.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store.h"
#include "tests/support/postgres_server.h"

namespace slowscope::testing {

enum class Backend { kSqlite, kPostgres };

inline void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "sqlite" : "postgres");
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// A fresh, empty store database for one test: an SQLite file in a temporary folder, or a
// schema of its own in the process's PostgreSQL server.
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {
    static std::atomic<int> counter{0};
    const std::string unique = std::to_string(getpid()) + "_" + std::to_string(counter++);
    if (backend == Backend::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("slowscope-store-" + unique);
      std::filesystem::create_directories(dir_);
      address_ = (dir_ / "store.db").string();
      return;
    }
    PostgresServer* server = PostgresEnvironment::server();
    if (server == nullptr) {
      error_ = "no PostgreSQL server was started for this test";
      return;
    }
    if (!server->ok()) {
      error_ = server->error();
      return;
    }
    const std::string schema = "t_" + unique;
    PostgresConnection admin(server->conninfo());
    admin.exec_script("create test schema", "CREATE SCHEMA " + schema);
    address_ = server->conninfo() + " options='-c search_path=" + schema + "'";
  }

  ~TestDatabase() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  // Empty when the database is usable, else why not (the test should fail with it).
  const std::string& error() const { return error_; }

  Backend backend() const { return backend_; }

  std::unique_ptr<SqlConnection> connect() const {
    if (backend_ == Backend::kSqlite) return std::make_unique<SqliteConnection>(address_);
    return std::make_unique<PostgresConnection>(address_);
  }

  StoreLocation location() const {
    return StoreLocation{backend_ == Backend::kSqlite ? StoreLocation::Kind::kSqlite
                                                      : StoreLocation::Kind::kPostgres,
                         address_};
  }

  Store open() const { return Store(connect()); }

 private:
  Backend backend_;
  std::filesystem::path dir_;
  std::string address_;
  std::string error_;
};

// Wraps a connection and throws SqlError from the n-th statement step (counting from 1)
// after arm(n) — a failure in the middle of whatever the store is doing.
class FaultyConnection : public SqlConnection {
 public:
  explicit FaultyConnection(std::unique_ptr<SqlConnection> inner) : inner_(std::move(inner)) {}

  void arm(int fail_at_step) {
    steps_ = 0;
    fail_at_ = fail_at_step;
  }
  void disarm() { fail_at_ = 0; }
  int steps() const { return steps_; }

  SqlBackend backend() const override { return inner_->backend(); }
  void exec_script(std::string_view name, std::string_view sql) override {
    inner_->exec_script(name, sql);
  }
  std::unique_ptr<SqlStatement> prepare(std::string_view name, std::string_view sql) override {
    return std::make_unique<Statement>(*this, inner_->prepare(name, sql));
  }
  void begin() override { inner_->begin(); }
  void commit() override { inner_->commit(); }
  void rollback() noexcept override { inner_->rollback(); }
  bool in_transaction() const override { return inner_->in_transaction(); }
  void flush_wal() override { inner_->flush_wal(); }
  std::string describe() const override { return inner_->describe(); }

 private:
  class Statement : public SqlStatement {
   public:
    Statement(FaultyConnection& owner, std::unique_ptr<SqlStatement> inner)
        : owner_(owner), inner_(std::move(inner)) {}
    void bind_null(int i) override { inner_->bind_null(i); }
    void bind_int(int i, int64_t v) override { inner_->bind_int(i, v); }
    void bind_double(int i, double v) override { inner_->bind_double(i, v); }
    void bind_text(int i, std::string_view v) override { inner_->bind_text(i, v); }
    void bind_blob(int i, std::string_view v) override { inner_->bind_blob(i, v); }
    bool step() override {
      ++owner_.steps_;
      if (owner_.fail_at_ != 0 && owner_.steps_ == owner_.fail_at_) {
        throw SqlError("injected failure at step " + std::to_string(owner_.steps_));
      }
      return inner_->step();
    }
    bool is_null(int c) const override { return inner_->is_null(c); }
    int64_t get_int(int c) const override { return inner_->get_int(c); }
    double get_double(int c) const override { return inner_->get_double(c); }
    std::string get_text(int c) const override { return inner_->get_text(c); }
    std::string get_blob(int c) const override { return inner_->get_blob(c); }
    void reset() override { inner_->reset(); }
    int64_t changes() const override { return inner_->changes(); }

   private:
    FaultyConnection& owner_;
    std::unique_ptr<SqlStatement> inner_;
  };

  std::unique_ptr<SqlConnection> inner_;
  int steps_ = 0;
  int fail_at_ = 0;
};

// Fixture base for tests parameterized over the backend: a fresh database in db_, and a
// failure (not a skip) when the backend is unavailable.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_.emplace(GetParam());
    ASSERT_EQ(db_->error(), "") << "store backend unavailable";
  }
  std::optional<TestDatabase> db_;
};

}  // namespace slowscope::testing

namespace slowscope::testing {

// Turns a store of the latest schema back into one of schema version 5, as a slowscope of
// that version left it: the tables later migrations created are dropped (version 6 only
// rewrote rows) and the ledger forgets them.
inline constexpr const char* kBackToSchemaVersion5 =
    "DROP TABLE alert_deliveries; DROP TABLE alert_events; "
    "DELETE FROM schema_version WHERE version >= 6";

inline StoreTime T(int64_t epoch_seconds) {
  return StoreTime(std::chrono::seconds(epoch_seconds));
}

// Measures whose every field differs and sums exactly in binary floating point, so that a
// column mix-up or a lost row changes the totals.
inline Measures test_measures(int64_t seed) {
  Measures m;
  m.calls = 10 + seed;
  m.total_time = 0.25 * static_cast<double>(seed + 1);
  m.sum_sq = 0.125 * static_cast<double>(seed + 3);
  m.min_time = 0.0625 * static_cast<double>(seed % 7 + 1);
  m.max_time = 4.0 + static_cast<double>(seed % 11);
  m.row_count = 100 + 2 * seed;
  m.rows_examined = 3 * seed;
  m.shared_blks_hit = 1000 + seed;
  m.shared_blks_read = 50 + seed;
  m.shared_blks_dirtied = 5 + seed;
  m.shared_blks_written = 4 + seed;
  m.local_blks_hit = 7 + seed;
  m.local_blks_read = 6 + seed;
  m.local_blks_dirtied = 3 + seed;
  m.local_blks_written = 2 + seed;
  m.temp_blks_read = 11 + seed;
  m.temp_blks_written = 13 + seed;
  m.blk_read_time = 0.5 * static_cast<double>(seed);
  m.blk_write_time = 0.75 * static_cast<double>(seed);
  m.wal_records = 17 + seed;
  m.wal_fpi = 19 + seed;
  m.wal_bytes = 4096 * (seed + 1);
  return m;
}

inline StatementKey test_key(int n, const std::string& database = "16384") {
  return StatementKey{database, "10", std::to_string(-1000 - n), true};
}

inline ShapeInfo test_shape(int n) {
  return ShapeInfo{"shape-" + std::to_string(n),
                   "SELECT * FROM t" + std::to_string(n) + " WHERE id = ?",
                   {"public.t" + std::to_string(n)}};
}

inline Sample test_sample(const StatementKey& key, int64_t bucket, int64_t seed,
                          int64_t interval = 60) {
  Sample s;
  s.key = key;
  s.bucket_start = T(bucket);
  s.interval = std::chrono::seconds(interval);
  s.measures = test_measures(seed);
  return s;
}

// Runs a query on a connection and returns the first column of the first row as an integer.
inline int64_t query_int(SqlConnection& db, const std::string& sql) {
  auto stmt = db.prepare(sql, sql);
  if (!stmt->step()) return -1;
  const int64_t value = stmt->get_int(0);
  stmt->reset();
  return value;
}

}  // namespace slowscope::testing
