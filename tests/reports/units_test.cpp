#include "reports/text/units.h"

#include <gtest/gtest.h>

#include <limits>

namespace slowscope {
namespace {

TEST(Units, Seconds) {
  struct {
    double in;
    const char* out;
  } cases[] = {{0, "0"},          {0.000123, "123us"}, {0.0000015, "1.50us"}, {0.0456, "45.6ms"},
               {2.5, "2.50s"},    {59.9, "59.9s"},     {90, "1.50m"},         {4000, "1.11h"},
               {172800, "2.00d"}, {std::numeric_limits<double>::quiet_NaN(), "-"}};
  for (const auto& c : cases) EXPECT_EQ(format_seconds(c.in), c.out) << c.in;
}

TEST(Units, AddedTimeIsSignedWithItsUnitSpelledOut) {
  struct {
    double in;
    const char* out;
  } cases[] = {{948, "+15.8 min/h"},
               {0.6, "+600 ms/h"},
               {-3.1, "-3.10 s/h"},
               {5400, "+1.50 h/h"},
               {0.00025, "+250 us/h"},
               {0, "+0 s/h"},
               {std::numeric_limits<double>::infinity(), "-"}};
  for (const auto& c : cases) EXPECT_EQ(format_added_time(c.in), c.out) << c.in;
}

TEST(Units, Counts) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(9999), "9999");
  EXPECT_EQ(format_count(12.5), "12.50");
  EXPECT_EQ(format_count(12345), "12.3k");
  EXPECT_EQ(format_count(5600000), "5.60M");
  EXPECT_EQ(format_count(7.1e9), "7.10G");
}

TEST(Units, Bytes) {
  EXPECT_EQ(format_bytes(512), "512B");
  EXPECT_EQ(format_bytes(2048), "2.0KiB");
  EXPECT_EQ(format_bytes(5.0 * 1024 * 1024), "5.0MiB");
}

}  // namespace
}  // namespace slowscope
