// The store keeps no literal statement text unless a cycle keeps examples, and a store
// written before that (schema version 5) loses the literal text it held when it is opened:
// statement texts, constants left in PostgreSQL shapes, and (SQLite) every byte of them in
// the file, its log and its free pages.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "analyzer/store/store.h"
#include "analyzer/store/migrations.h"
#include "tests/store/store_test_support.h"
#include "tests/support/secrets.h"

namespace slowscope::testing {
namespace {

constexpr int64_t kNow = 1'700'000'000;

NewStatement secret_statement(int n, const std::string& fingerprint, const std::string& text) {
  ShapeInfo shape = test_shape(n);
  shape.fingerprint = fingerprint;
  return {test_key(n), shape, text};
}

std::vector<std::string> texts(SqlConnection& db, const std::string& sql) {
  auto statement = db.prepare(sql, sql);
  std::vector<std::string> out;
  while (statement->step()) out.push_back(statement->get_text(0));
  return out;
}

class StoreLiteralTextTest : public BackendTest {};

TEST_P(StoreLiteralTextTest, StatementTextIsKeptOnlyWithExamples) {
  Store store = db_->open();
  store.ensure_target("pg", Engine::kPostgres);
  CycleWrite cycle{"pg", {"sys", "15"}, T(kNow), {}, {}, {}, {}};
  cycle.new_statements = {secret_statement(1, "SELECT $1", "SELECT 'secret-token-123'")};
  store.write_cycle(cycle);
  CycleWrite kept{"pg", {"sys", "15"}, T(kNow), {}, {}, {}, {}};
  kept.new_statements = {secret_statement(2, "SELECT $1, $2", "SELECT 'opted-in', 1")};
  kept.keep_examples = true;
  store.write_cycle(kept);
  EXPECT_EQ(store.statements_of_shape("pg", store.shape_by_hash(test_shape(1).hash)->id)[0].query_text,
            "");
  EXPECT_EQ(store.statements_of_shape("pg", store.shape_by_hash(test_shape(2).hash)->id)[0].query_text,
            "SELECT 'opted-in', 1");
}

TEST_P(StoreLiteralTextTest, AnOlderStoreLosesItsLiteralTextWhenOpened) {
  {
    Store store = db_->open();
    store.ensure_target("pg", Engine::kPostgres);
    store.ensure_target("shop", Engine::kMysql);
    CycleWrite pg{"pg", {"sys", "15"}, T(kNow), {}, {}, {}, {}};
    pg.new_statements = {
        secret_statement(1, "ALTER ROLE victim PASSWORD 'S3cretPW!x'",
                         "ALTER ROLE victim PASSWORD 'S3cretPW!x'"),
        secret_statement(2, "COPY t FROM '/srv/secret-token-123.csv'",
                         "COPY t FROM '/srv/secret-token-123.csv'"),
        secret_statement(3, "SELECT * FROM t WHERE id = $1", "SELECT * FROM t WHERE id = $1")};
    pg.keep_examples = true;  // as every store before schema version 6 did
    store.write_cycle(pg);
    CycleWrite shop{"shop", {"mysql-slow-log", ""}, T(kNow), {}, {}, {}, {}};
    shop.new_statements = {secret_statement(4, "create user ?@? identified by ?",
                                            "CREATE USER 'bob'@'%' IDENTIFIED BY 'MyS3cret!pw'")};
    shop.keep_examples = true;
    store.write_cycle(shop);
  }
  {
    auto db = db_->connect();
    db->exec_script("back to version 5", kBackToSchemaVersion5);
  }
  if (db_->backend() == Backend::kSqlite) {
    chmod(db_->location().address.c_str(), 0644);  // as the umask made it
  }

  Store store = db_->open();
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  auto db = db_->connect();
  EXPECT_EQ(texts(*db, "SELECT query_text FROM statements WHERE query_text <> ''"),
            std::vector<std::string>{});
  EXPECT_EQ(texts(*db, "SELECT fingerprint FROM shapes ORDER BY hash"),
            (std::vector<std::string>{"ALTER ROLE /* rest withheld */", "COPY t FROM $1",
                                      "SELECT * FROM t WHERE id = $1",
                                      "create user ?@? identified by ?"}));
  if (db_->backend() == Backend::kSqlite) {
    db.reset();
    const std::string file = db_->location().address;
    EXPECT_TRUE(holds_none_of(store_bytes(file), {"S3cretPW!x", "secret-token-123", "MyS3cret!pw"},
                              "the store's files"));
    EXPECT_TRUE(private_store_files(file, /*group_may_read=*/true));  // as it was
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreLiteralTextTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
