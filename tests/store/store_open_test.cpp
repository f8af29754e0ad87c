// Store::open's modes: kMustExist, what every reader uses, refuses a place that holds no
// store — a missing file, a directory, junk, another program's SQLite database, a
// PostgreSQL schema without slowscope's ledger — and creates nothing there; kCreate makes
// the store, after which kMustExist opens it.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "analyzer/store/migrations.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/store/store_test_support.h"

namespace slowscope::testing {
namespace {

// The message of the NoStoreError that opening `location` must-exist throws; empty (and a
// test failure) when it throws nothing or something else.
std::string refusal(const StoreLocation& location) {
  try {
    Store::open(location, StoreOpen::kMustExist);
    ADD_FAILURE() << "opened " << location.redacted();
  } catch (const NoStoreError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a NoStoreError: " << e.what();
  }
  return "";
}

// Tables in the test database (for PostgreSQL, in its own schema).
int64_t table_count(const TestDatabase& db) {
  const std::unique_ptr<SqlConnection> connection = db.connect();
  return query_int(*connection, db.backend() == Backend::kSqlite
                                    ? "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                    : "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                      "current_schema()");
}

class StoreOpenTest : public BackendTest {};

TEST_P(StoreOpenTest, MustExistRefusesAnEmptyDatabaseAndCreatesNothing) {
  const StoreLocation location = db_->location();
  const std::string message = refusal(location);
  EXPECT_NE(message.find("no store at " + location.redacted()), std::string::npos) << message;
  if (GetParam() == Backend::kSqlite) {
    EXPECT_NE(message.find("no such file"), std::string::npos) << message;
    EXPECT_FALSE(std::filesystem::exists(location.address)) << "a reader created the file";
  } else {
    EXPECT_NE(message.find("no slowscope schema"), std::string::npos) << message;
    EXPECT_EQ(table_count(*db_), 0) << "a reader created tables";
    // Nor over a connection the caller made.
    EXPECT_THROW(Store(db_->connect(), StoreOpen::kMustExist), NoStoreError);
    EXPECT_EQ(table_count(*db_), 0);
  }

  {
    Store created = Store::open(location, StoreOpen::kCreate);
    created.ensure_target("orders", Engine::kPostgres);
  }
  Store existing = Store::open(location, StoreOpen::kMustExist);
  EXPECT_EQ(existing.schema_version(), latest_schema_version());
  ASSERT_EQ(existing.targets().size(), 1u);
  EXPECT_EQ(existing.targets()[0].name, "orders");
  EXPECT_NO_THROW(Store(db_->connect(), StoreOpen::kMustExist));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreOpenTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

TEST_P(StoreOpenTest, TableNamesAreTheTablesTheMigrationsCreate) {
  { Store created = Store::open(db_->location(), StoreOpen::kCreate); }
  const std::unique_ptr<SqlConnection> connection = db_->connect();
  auto tables = connection->prepare(
      "tables", GetParam() == Backend::kSqlite
                    ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                      "'sqlite_%' ORDER BY name"
                    : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER "
                      "BY tablename");
  std::vector<std::string> created;
  while (tables->step()) created.push_back(tables->get_text(0));
  std::vector<std::string> named(store_table_names().begin(), store_table_names().end());
  std::sort(named.begin(), named.end());
  EXPECT_EQ(created, named);
}

// A store newer than this binary cannot be used however often a collector retries.
TEST_P(StoreOpenTest, NewerSchemaIsUnusable) {
  { Store created = Store::open(db_->location(), StoreOpen::kCreate); }
  {
    const std::unique_ptr<SqlConnection> connection = db_->connect();
    connection->exec_script("from the future", "INSERT INTO schema_version VALUES (" +
                                                   std::to_string(latest_schema_version() + 1) +
                                                   ", 'future', 0)");
  }
  try {
    Store::open(db_->location(), StoreOpen::kCreate);
    FAIL() << "opened a newer store";
  } catch (const StoreUnusableError& e) {
    EXPECT_NE(std::string(e.what()).find("upgrade slowscope"), std::string::npos) << e.what();
  }
}

// The store's PostgreSQL sessions are named slowscope and know where their tables are; a
// transaction whose statement failed is not reported committed.
TEST(StoreOpenPostgresTest, SessionsAreNamedAndKnowWhereTheirTablesAre) {
  TestDatabase db(Backend::kPostgres);
  ASSERT_EQ(db.error(), "");
  Store store = Store::open(db.location(), StoreOpen::kCreate);
  const auto location = store.postgres_location();
  ASSERT_TRUE(location.has_value());
  const std::unique_ptr<SqlConnection> connection = db.connect();
  EXPECT_EQ(query_int(*connection,
                      "SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid() AND "
                      "application_name = 'slowscope'"),
            1);
  EXPECT_EQ(
      query_int(*connection, "SELECT count(*) FROM pg_database WHERE oid::text = '" +
                                 location->database_oid + "' AND datname = current_database()"),
      1);
  EXPECT_EQ(
      query_int(*connection, "SELECT count(*) WHERE current_schema() = '" + location->schema + "'"),
      1);
  EXPECT_FALSE(location->system_id.empty());
  TempDir dir;
  Store sqlite = Store::open({StoreLocation::Kind::kSqlite, dir.file("s.db")});
  EXPECT_FALSE(sqlite.postgres_location().has_value());

  connection->begin();
  connection->exec_script("one row",
                          "INSERT INTO targets (name, engine, created_at) "
                          "VALUES ('lost', 'postgres', 0)");
  EXPECT_THROW(connection->exec_script("fails", "SELECT 1 / 0"), SqlError);
  EXPECT_THROW(connection->commit(), SqlError);
  EXPECT_EQ(query_int(*connection, "SELECT count(*) FROM targets WHERE name = 'lost'"), 0);
}

TEST(StoreOpenPostgresTest, RefusedLoginIsUnusableAServerThatIsDownIsNot) {
  TestDatabase db(Backend::kPostgres);
  ASSERT_EQ(db.error(), "");
  const StoreLocation refused{StoreLocation::Kind::kPostgres,
                              db.location().address + " user=nobody_here"};
  EXPECT_THROW(Store::open(refused), StoreUnusableError);
  const StoreLocation down{StoreLocation::Kind::kPostgres,
                           "host=127.0.0.1 port=1 dbname=x connect_timeout=2"};
  try {
    Store::open(down);
    FAIL() << "opened a store on a closed port";
  } catch (const StoreUnusableError& e) {
    FAIL() << "a server that is down is not unusable: " << e.what();
  } catch (const StoreError&) {
  }
}

TEST(StoreOpenSqliteTest, MustExistRefusesWhatIsNotAStoreFileAndLeavesItAlone) {
  TempDir dir;
  const auto location = [](const std::string& path) {
    return StoreLocation{StoreLocation::Kind::kSqlite, path};
  };

  std::string message = refusal(location(dir.path().string()));
  EXPECT_NE(message.find("is a directory"), std::string::npos) << message;

  const std::string junk = dir.file("notes.txt");
  const std::string junk_text(4096, 'x');
  std::ofstream(junk) << junk_text;
  message = refusal(location(junk));
  EXPECT_NE(message.find("no store at sqlite:" + junk), std::string::npos) << message;
  EXPECT_NE(message.find("not an SQLite database"), std::string::npos) << message;
  EXPECT_EQ(read_file(junk), junk_text);

  // Another program's database: refused, not migrated, and its journal mode is its own.
  const std::string other = dir.file("app.db");
  {
    SqliteConnection app(other);  // WAL, as the store's own connections make it
    app.exec_script("app schema", "PRAGMA journal_mode = DELETE; CREATE TABLE items (id INT)");
  }
  message = refusal(location(other));
  EXPECT_NE(message.find("no slowscope schema"), std::string::npos) << message;
  SqliteConnection app(other, SqliteFile::kExisting);
  EXPECT_EQ(query_int(app, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"), 1);
  auto mode = app.prepare("journal mode", "PRAGMA journal_mode");
  ASSERT_TRUE(mode->step());
  EXPECT_EQ(mode->get_text(0), "delete");
  mode->reset();

  // Another program's ledger of the same name is not enough.
  {
    SqliteConnection app2(other, SqliteFile::kExisting);
    app2.exec_script("app ledger",
                     "CREATE TABLE schema_version (version INT, description TEXT, applied_at INT);"
                     "INSERT INTO schema_version VALUES (7, 'app', 0)");
  }
  message = refusal(location(other));
  EXPECT_NE(message.find("no slowscope schema"), std::string::npos) << message;
  EXPECT_EQ(query_int(app, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"), 2);

  // An empty file is an empty SQLite database: no store either.
  const std::string empty = dir.file("empty.db");
  std::ofstream{empty};
  message = refusal(location(empty));
  EXPECT_NE(message.find("no slowscope schema"), std::string::npos) << message;
  EXPECT_EQ(std::filesystem::file_size(empty), 0u);
}

}  // namespace
}  // namespace slowscope::testing
