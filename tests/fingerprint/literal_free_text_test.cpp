// postgres_literal_free_text: no literal value survives, utility statements included, and a
// statement that could hold a secret outside a constant keeps only its leading keywords.
#include "analyzer/fingerprint/literal_free_text.h"

#include <gtest/gtest.h>

namespace slowscope {
namespace {

struct Case {
  const char* text;
  const char* literal_free;
};

void PrintTo(const Case& c, std::ostream* out) {
  *out << c.text;
}

class LiteralFreeTextTest : public ::testing::TestWithParam<Case> {};

TEST_P(LiteralFreeTextTest, HasNoLiteral) {
  EXPECT_EQ(postgres_literal_free_text(GetParam().text), GetParam().literal_free);
}

INSTANTIATE_TEST_SUITE_P(
    Statements, LiteralFreeTextTest,
    ::testing::Values(
        // As pg_stat_statements reports them: already normalized, kept.
        Case{"SELECT * FROM t WHERE id = $1", "SELECT * FROM t WHERE id = $1"},
        Case{"select 1 from t where v <> 'secret-token-123'", "select $1 from t where v <> $2"},
        // Utility statements pg_stat_statements keeps as they ran.
        Case{"ALTER ROLE slowscope PASSWORD 'S3cretPW!x'", "ALTER ROLE /* rest withheld */"},
        Case{"create user bob with encrypted password 'x1' valid until '2030-01-01'",
             "CREATE USER /* rest withheld */"},
        Case{"CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password 'pw')",
             "CREATE USER MAPPING /* rest withheld */"},
        Case{"SET app.token = 'secret-token-123'", "SET /* rest withheld */"},
        Case{"SET LOCAL app.token TO s3cret", "SET LOCAL /* rest withheld */"},
        Case{"ALTER SYSTEM SET foo.bar = 'sec'", "ALTER SYSTEM SET /* rest withheld */"},
        Case{"ALTER ROLE app SET app.key = 'k'", "ALTER ROLE /* rest withheld */"},
        Case{"SET search_path = 'public', \"$user\"", "SET search_path = $1, $2"},
        Case{"COPY t FROM '/srv/secret.csv'", "COPY t FROM $1"},
        Case{"PREPARE p AS SELECT 'x', 12, 1.5, E'a\\'b', X'1F', $$body$$",
             "PREPARE p AS SELECT $1, $2, $3, $4, $5, $6"},
        Case{"UPDATE t SET comp.f = 1 WHERE id = $1", "UPDATE t SET comp.f = $2 WHERE id = $1"},
        // Comments can hold anything.
        Case{"/* pw=abc */ SELECT 1 -- token xyz\n", "SELECT $1"},
        // Not parsable, still scannable; not scannable at all.
        Case{"SELEC 'abc' FROM x", "SELEC $1 FROM x"},
        Case{"SELECT 'abc", "/* unreadable statement withheld */"},
        Case{"  SELECT\n\t1  ", "SELECT $1"}));

}  // namespace
}  // namespace slowscope
