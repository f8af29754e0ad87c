#include "analyzer/fingerprint/tables.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace slowscope {
namespace {

TEST(ExtractTables, Table) {
  struct Case {
    const char* query;
    std::vector<std::string> tables;
  } cases[] = {
      // sysbench
      {"SELECT c FROM sbtest1 WHERE id=5012", {"sbtest1"}},
      {"UPDATE sbtest2 SET k=k+1 WHERE id=4999", {"sbtest2"}},
      {"DELETE FROM sbtest3 WHERE id=5003", {"sbtest3"}},
      {"INSERT INTO sbtest4 (id, k, c, pad) VALUES (1, 2, 'a', 'b')", {"sbtest4"}},
      // qualification, quoting, case, duplicates, order
      {"SELECT * FROM Shop.Orders o JOIN shop.orders p ON o.id = p.id", {"shop.orders"}},
      {"SELECT * FROM `Shop`.`Order Items`", {"shop.order items"}},
      {"SELECT * FROM `db`.t, u", {"db.t", "u"}},
      {"SELECT * FROM b, a, b", {"b", "a"}},
      // joins and aliases
      {"SELECT * FROM t1 a, t2 AS b, t3 WHERE a.x = b.x", {"t1", "t2", "t3"}},
      {"SELECT * FROM t1 LEFT OUTER JOIN t2 ON t1.a = t2.a INNER JOIN t3 USING (b)",
       {"t1", "t2", "t3"}},
      {"SELECT * FROM t1 STRAIGHT_JOIN t2 ON t1.a = t2.a", {"t1", "t2"}},
      {"SELECT /*!50001 STRAIGHT_JOIN */ a FROM t", {"t"}},
      {"SELECT SQL_NO_CACHE STRAIGHT_JOIN a FROM t", {"t"}},
      {"SELECT * FROM t1 NATURAL JOIN t2", {"t1", "t2"}},
      {"SELECT * FROM t FORCE INDEX (i1) IGNORE INDEX FOR ORDER BY (i2), u", {"t", "u"}},
      {"SELECT * FROM t PARTITION (p0, p1) AS x WHERE 1", {"t"}},
      {"SELECT * FROM (t1, t2) WHERE 1", {"t1", "t2"}},
      // subqueries, derived tables, CTEs
      {"SELECT * FROM (SELECT a FROM inner_t) AS d JOIN outer_t o ON 1", {"inner_t", "outer_t"}},
      {"SELECT * FROM t WHERE id IN (SELECT id FROM u WHERE x = 1)", {"t", "u"}},
      {"SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u)", {"t", "u"}},
      {"WITH c AS (SELECT * FROM base) SELECT * FROM c JOIN other ON 1", {"base", "other"}},
      {"WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r", {}},
      {"SELECT a FROM t1 UNION SELECT a FROM t2", {"t1", "t2"}},
      // writes
      {"INSERT INTO t SELECT * FROM u", {"t", "u"}},
      {"INSERT INTO t(a, b) VALUES (1, 2)", {"t"}},
      {"INSERT IGNORE INTO t SET a = 1", {"t"}},
      {"INSERT LOW_PRIORITY t VALUES (1)", {"t"}},
      {"REPLACE INTO `db`.`t` VALUES (1)", {"db.t"}},
      {"INSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a)", {"t"}},
      {"UPDATE LOW_PRIORITY t1 JOIN t2 ON t1.id = t2.id SET t1.a = 1", {"t1", "t2"}},
      {"UPDATE t1, t2 SET t1.a = t2.a", {"t1", "t2"}},
      {"DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id", {"t1", "t2"}},
      {"DELETE a FROM t1 a JOIN t2 b ON a.id = b.id", {"t1", "t2"}},
      {"DELETE FROM t1, t2 USING t1 JOIN t2 JOIN t3", {"t1", "t2", "t3"}},
      {"LOAD DATA INFILE '/tmp/x' INTO TABLE db.t FIELDS TERMINATED BY ','", {"db.t"}},
      // not tables
      {"SELECT a INTO @x FROM t", {"t"}},
      {"SELECT a INTO OUTFILE '/tmp/out' FROM t", {"t"}},
      {"SELECT * FROM t WHERE a = 1 FOR UPDATE", {"t"}},
      {"SELECT EXTRACT(YEAR FROM d), TRIM(LEADING 'x' FROM s) FROM t", {"t"}},
      {"SELECT SUBSTRING(s FROM 2 FOR 3) FROM t", {"t"}},
      {"SELECT * FROM JSON_TABLE('[]', '$[*]' COLUMNS (a INT PATH '$')) AS j", {}},
      {"SELECT 1 FROM DUAL", {}},
      {"SELECT 'FROM fake' FROM real_t -- FROM commented\n", {"real_t"}},
      {"SELECT * FROM /* FROM c */ t # FROM d\n", {"t"}},
      {"SELECT * FROM 123", {}},
      {"SELECT 1", {}},
      {"SET @a = 1", {}},
      {"BEGIN", {}},
      {"USE db", {}},
      {"CALL p(1)", {}},
      {"administrator command: Quit", {}},
      // DDL and utility statements
      {"CREATE TABLE IF NOT EXISTS t (a INT, FOREIGN KEY (a) REFERENCES p(id))", {"t", "p"}},
      {"CREATE TEMPORARY TABLE tmp (a INT)", {"tmp"}},
      {"CREATE TABLE t2 LIKE t1", {"t2", "t1"}},
      {"CREATE TABLE t2 AS SELECT * FROM t1", {"t2", "t1"}},
      {"CREATE INDEX i ON t (a)", {"t"}},
      {"CREATE UNIQUE INDEX i ON db.t (a)", {"db.t"}},
      {"DROP INDEX i ON t", {"t"}},
      {"CREATE DATABASE d", {}},
      {"ALTER TABLE t ADD COLUMN c INT", {"t"}},
      {"ALTER TABLE t RENAME TO u", {"t", "u"}},
      {"DROP TABLE IF EXISTS t1, t2", {"t1", "t2"}},
      {"TRUNCATE TABLE t", {"t"}},
      {"TRUNCATE t", {"t"}},
      {"RENAME TABLE a TO b, c TO d", {"a", "b", "c", "d"}},
      {"LOCK TABLES t1 READ, t2 AS x WRITE, t3 READ LOCAL", {"t1", "t2", "t3"}},
      {"UNLOCK TABLES", {}},
      {"FLUSH TABLES t1, t2 WITH READ LOCK", {"t1", "t2"}},
      {"OPTIMIZE TABLE t1, t2", {"t1", "t2"}},
      {"SHOW CREATE TABLE t", {"t"}},
      {"SHOW COLUMNS FROM t", {"t"}},
      {"SHOW TABLES FROM db", {}},
      {"SHOW TABLE STATUS LIKE 't'", {}},
      {"DESCRIBE t", {"t"}},
      {"EXPLAIN SELECT * FROM t", {"t"}},
      // executable comments are SQL, several statements are all scanned
      {"SELECT /*!40001 SQL_NO_CACHE */ * FROM `t`", {"t"}},
      {"/*!40000 ALTER TABLE `t` DISABLE KEYS */", {"t"}},
      {"SELECT * FROM a; SELECT * FROM b", {"a", "b"}},
      // garbage
      {"", {}},
      {"FROM", {}},
      {"SELECT * FROM `unterminated", {"unterminated"}},
      {"SELECT * FROM t WHERE a = 'unterminated", {"t"}},
      {"SELECT * FROM ((((", {}},
      {"))) FROM t", {"t"}},
  };
  for (const auto& c : cases) EXPECT_EQ(extract_tables(c.query), c.tables) << c.query;
}

TEST(ExtractTables, HugeStatementIsLinear) {
  std::string query = "SELECT * FROM t0";
  for (int i = 1; query.size() < (1 << 20); ++i) query += " JOIN t" + std::to_string(i % 1000);
  std::vector<std::string> tables = extract_tables(query);
  EXPECT_EQ(tables.size(), 1000u);
}

}  // namespace
}  // namespace slowscope
