#include "connectors/postgres/pg_text_value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

namespace slowscope {
namespace {

TEST(PgTextValueTest, ReadsIntegers) {
  EXPECT_EQ(parse_pg_int("0"), 0);
  EXPECT_EQ(parse_pg_int("-42"), -42);
  EXPECT_EQ(parse_pg_int("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(parse_pg_int("-9223372036854775808"), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(parse_pg_int(""), std::nullopt);
  EXPECT_EQ(parse_pg_int("12a"), std::nullopt);
  EXPECT_EQ(parse_pg_int("1.5"), std::nullopt);
  EXPECT_EQ(parse_pg_int("9223372036854775808"), std::nullopt);
}

TEST(PgTextValueTest, ReadsDoublesExactlyAsStrtod) {
  for (const char* text :
       {"0", "-0", "1.5", "0.1", "123456.789012345", "1e+20", "2.5e-05", "1.7976931348623157e+308",
        "4.9406564584124654e-324", "0.30000000000000004", "19.235847000000003"}) {
    const auto value = parse_pg_double(text);
    ASSERT_TRUE(value.has_value()) << text;
    EXPECT_EQ(*value, std::strtod(text, nullptr)) << text;
  }
  EXPECT_TRUE(std::isnan(*parse_pg_double("NaN")));
  EXPECT_EQ(parse_pg_double("Infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_pg_double("-Infinity"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_pg_double("1e999"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_pg_double(""), std::nullopt);
  EXPECT_EQ(parse_pg_double("1.5x"), std::nullopt);
  EXPECT_EQ(parse_pg_double("abc"), std::nullopt);
}

TEST(PgTextValueTest, ReadsBooleans) {
  EXPECT_EQ(parse_pg_bool("t"), true);
  EXPECT_EQ(parse_pg_bool("f"), false);
  EXPECT_EQ(parse_pg_bool("true"), std::nullopt);
  EXPECT_EQ(parse_pg_bool(""), std::nullopt);
}

}  // namespace
}  // namespace slowscope
