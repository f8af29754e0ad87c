#include "connectors/postgres/query_shape.h"

#include <gtest/gtest.h>

#include "connectors/postgres/conninfo.h"
#include "connectors/postgres/pgss_poller.h"

namespace slowscope {
namespace {

TEST(QueryShape, SameShapeAcrossSpellingsAndPlaceholders) {
  const auto a = postgres_query_shape("SELECT * FROM orders WHERE id = $1");
  const auto b = postgres_query_shape("select *\n  from   orders where id=$2");
  const auto c = postgres_query_shape("SELECT * FROM orders WHERE id = 42");
  EXPECT_EQ(a.hash.size(), 16u);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.hash, c.hash);
  EXPECT_NE(a.hash, postgres_query_shape("SELECT * FROM customers WHERE id = $1").hash);
  EXPECT_EQ(a.fingerprint, "SELECT * FROM orders WHERE id = $1");
}

TEST(QueryShape, TablesComeFromTheParseTree) {
  const auto s = postgres_query_shape(
      "WITH recent AS (SELECT * FROM shop.orders WHERE at > $1) "
      "INSERT INTO audit SELECT r.id FROM recent r JOIN customers c ON c.id = r.customer_id");
  EXPECT_EQ(s.tables, (std::vector<std::string>{"audit", "customers", "shop.orders"}));
}

TEST(QueryShape, UpdateAndDeleteTargetsAreTables) {
  EXPECT_EQ(postgres_query_shape("UPDATE a SET x = $1 WHERE id IN (SELECT id FROM b)").tables,
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(postgres_query_shape("DELETE FROM public.c WHERE id = $1").tables,
            (std::vector<std::string>{"public.c"}));
}

TEST(QueryShape, UnparsableTextFallsBackToAFlaggedTextHash) {
  const auto a = postgres_query_shape("SELEC oops   FROM");
  const auto b = postgres_query_shape("SELEC oops FROM\n");
  EXPECT_EQ(a.hash.rfind(kUnparsedShapePrefix, 0), 0u);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.fingerprint, "SELEC oops FROM");
  EXPECT_TRUE(a.tables.empty());
}

TEST(QueryShape, CollapseWhitespace) {
  EXPECT_EQ(collapse_whitespace("  a \n\t b  "), "a b");
  EXPECT_EQ(collapse_whitespace(""), "");
}

TEST(OwnStatements, MarkerAtTheStart) {
  EXPECT_TRUE(is_own_statement("/* slowscope */\nSELECT 1"));
  EXPECT_TRUE(is_own_statement("  /* slowscope */ SELECT 1"));
  EXPECT_FALSE(is_own_statement("SELECT '/* slowscope */'"));
  EXPECT_FALSE(is_own_statement(""));
}

TEST(Conninfo, AddsSessionParametersAndKeepsTheUsersChoices) {
  TargetConfig t;
  t.name = "orders";
  t.dsn = "postgresql://app@db.internal:6432/orders?connect_timeout=3&options=-c%20work_mem%3D4MB";
  const std::string c = collector_conninfo(t, SessionLimits{});
  EXPECT_NE(c.find("fallback_application_name='slowscope'"), std::string::npos) << c;
  EXPECT_NE(c.find("connect_timeout='3'"), std::string::npos) << c;
  EXPECT_NE(c.find("keepalives='1'"), std::string::npos) << c;
  EXPECT_NE(c.find("host='db.internal'"), std::string::npos) << c;
  EXPECT_NE(c.find("port='6432'"), std::string::npos) << c;
  EXPECT_NE(c.find("options='-c work_mem=4MB -c statement_timeout=10000 -c lock_timeout=2000'"),
            std::string::npos)
      << c;
}

TEST(Conninfo, KeepsTheApplicationNameTheDsnGives) {
  TargetConfig t;
  t.name = "orders";
  t.dsn = "host=db application_name=monitor-orders";
  const std::string c = collector_conninfo(t, SessionLimits{});
  EXPECT_NE(c.find("application_name='monitor-orders'"), std::string::npos) << c;
  // libpq uses the fallback only when neither the dsn nor PGAPPNAME names the session.
  EXPECT_NE(c.find("fallback_application_name='slowscope'"), std::string::npos) << c;
}

TEST(Conninfo, BadDsnIsAConfigErrorWithoutThePassword) {
  TargetConfig t;
  t.name = "x";
  t.dsn = "host=a password=hunter2 'broken";
  try {
    collector_conninfo(t, SessionLimits{});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace slowscope
