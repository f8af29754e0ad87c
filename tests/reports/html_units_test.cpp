// The HTML report's numbers: three significant digits in the largest unit the rounded value
// reaches, values on the rounding edge between two units, U+2212 for minus.
#include "reports/html/units.h"

#include <gtest/gtest.h>

#include <limits>

namespace slowscope::html {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Case {
  double in;
  const char* out;
};

TEST(HtmlUnits, Durations) {
  const Case cases[] = {
      {0, "0 s"},
      {-0.0, "0 s"},
      {0.00084, "840 \u00B5s"},
      {0.0123, "12.3 ms"},
      {1.25, "1.25 s"},
      {252, "4.20 min"},
      {11160, "3.10 h"},
      {0.000000512, "512 ns"},
      {0.0000015, "1.50 \u00B5s"},
      {0.00099995, "1.00 ms"},  // 999.95 µs rounds to 1000 µs: the next unit
      {0.00099949, "999 \u00B5s"},
      {0.0009995, "1.00 ms"},
      {0.9995, "1.00 s"},
      {0.99949, "999 ms"},
      {9.996, "10.0 s"},  // the carry into a fourth digit drops a decimal
      {99.96, "1.67 min"},
      {59.94, "59.9 s"},
      {59.97, "60.0 s"},  // 0.9995 min rounds to 0.999, below 1 min
      {59.98, "1.00 min"},
      {3597, "60.0 min"},
      {3598.5, "1.00 h"},
      {86400, "24.0 h"},
      {3.6e6, "1000 h"},
      {-0.0123, "\u221212.3 ms"},
      {-252, "\u22124.20 min"},
      {1e-12, "0.00100 ns"},
      {kNaN, "\u2014"},
      {kInf, "\u2014"},
      {-kInf, "\u2014"},
  };
  for (const Case& c : cases) EXPECT_EQ(format_duration(c.in), c.out) << c.in;
}

TEST(HtmlUnits, Counts) {
  const Case cases[] = {
      {0, "0"},          {1, "1"},         {950, "950"},
      {999, "999"},      {999.6, "1.00k"}, {1000, "1.00k"},
      {12345, "12.3k"},  {999499, "999k"}, {999500, "1.00M"},
      {4.56e6, "4.56M"}, {7.1e9, "7.10G"}, {2.5e12, "2.50T"},
      {12.5, "12.5"},    {0.333, "0.333"}, {-12345, "\u221212.3k"},
      {-3, "\u22123"},   {kNaN, "\u2014"},
  };
  for (const Case& c : cases) EXPECT_EQ(format_count(c.in), c.out) << c.in;
}

TEST(HtmlUnits, Rates) {
  EXPECT_EQ(format_rate(1234.5), "1.23k/s");
  EXPECT_EQ(format_rate(0.5), "0.500/s");
  EXPECT_EQ(format_rate(0), "0/s");
  EXPECT_EQ(format_rate(kNaN), "\u2014");
}

TEST(HtmlUnits, Bytes) {
  const Case cases[] = {
      {0, "0 B"},
      {512, "512 B"},
      {1023, "1023 B"},
      {1024, "1.00 KiB"},
      {1536, "1.50 KiB"},
      {5.0 * 1024 * 1024, "5.00 MiB"},
      {1048575, "1.00 MiB"},
      {3.5 * 1024 * 1024 * 1024, "3.50 GiB"},
      {-2048, "\u22122.00 KiB"},
  };
  for (const Case& c : cases) EXPECT_EQ(format_bytes(c.in), c.out) << c.in;
}

TEST(HtmlUnits, PercentagesAndRatios) {
  EXPECT_EQ(format_percent(0.142), "14.2%");
  EXPECT_EQ(format_percent(1), "100%");
  EXPECT_EQ(format_percent(0), "0%");
  EXPECT_EQ(format_percent(0.00123), "0.123%");
  EXPECT_EQ(format_percent(12.5), "1250%");
  EXPECT_EQ(format_percent(-0.05), "\u22125.00%");
  EXPECT_EQ(format_ratio(14.2), "14.2\u00D7");
  EXPECT_EQ(format_ratio(1), "1.00\u00D7");
  EXPECT_EQ(format_ratio(0.5), "0.500\u00D7");
  EXPECT_EQ(format_ratio(kInf), "\u2014");
}

TEST(HtmlUnits, ChangesAreSigned) {
  EXPECT_EQ(format_duration_change(2280), "+38.0 min");
  EXPECT_EQ(format_duration_change(-0.0123), "\u221212.3 ms");
  EXPECT_EQ(format_duration_change(0), "0 s");
  EXPECT_EQ(format_count_change(1500), "+1.50k");
  EXPECT_EQ(format_count_change(-7), "\u22127");
  EXPECT_EQ(format_percent_change(-0.12), "\u221212.0%");
  EXPECT_EQ(format_percent_change(0.38), "+38.0%");
  EXPECT_EQ(format_percent_change(0), "0%");
  EXPECT_EQ(format_percent_change(kNaN), "\u2014");
}

TEST(HtmlUnits, AxisLabelsShareOneUnitAndTheStepsDecimals) {
  using Labels = std::vector<std::string>;
  EXPECT_EQ(axis_labels({0, 0.0005, 0.001, 0.0015}, 0.0005, Quantity::kDurationSeconds),
            (Labels{"0", "0.5 ms", "1.0 ms", "1.5 ms"}));
  EXPECT_EQ(axis_labels({0, 0.01, 0.02, 0.03}, 0.01, Quantity::kDurationSeconds),
            (Labels{"0", "10 ms", "20 ms", "30 ms"}));
  EXPECT_EQ(axis_labels({0, 20, 40, 60}, 20, Quantity::kDurationSeconds),
            (Labels{"0", "20 s", "40 s", "60 s"}));
  // Minute steps read in minutes, not in fractions of an hour.
  EXPECT_EQ(axis_labels({0, 900, 1800, 2700, 3600}, 900, Quantity::kDurationSeconds),
            (Labels{"0", "15 min", "30 min", "45 min", "60 min"}));
  EXPECT_EQ(axis_labels({0, 7200, 14400}, 7200, Quantity::kDurationSeconds),
            (Labels{"0", "2 h", "4 h"}));
  EXPECT_EQ(axis_labels({0, 0.000002, 0.000004}, 0.000002, Quantity::kDurationSeconds),
            (Labels{"0", "2 \u00B5s", "4 \u00B5s"}));
  EXPECT_EQ(axis_labels({0, 500, 1000, 1500}, 500, Quantity::kCount),
            (Labels{"0", "0.5k", "1.0k", "1.5k"}));
  EXPECT_EQ(axis_labels({0, 200, 400, 600, 800}, 200, Quantity::kCount),
            (Labels{"0", "200", "400", "600", "800"}));
  EXPECT_EQ(axis_labels({0, 2e6, 4e6}, 2e6, Quantity::kCount), (Labels{"0", "2M", "4M"}));
  EXPECT_EQ(axis_labels({0, 0.2, 0.4}, 0.2, Quantity::kRatePerSecond),
            (Labels{"0", "0.2/s", "0.4/s"}));
  EXPECT_EQ(axis_labels({-10, 0, 10}, 10, Quantity::kCount), (Labels{"\u221210", "0", "10"}));
  // 0.1 * 3 is 0.30000000000000004 in binary: still "0.3".
  EXPECT_EQ(axis_labels({0, 0.1, 0.2, 0.1 * 3}, 0.1, Quantity::kCount),
            (Labels{"0", "0.1", "0.2", "0.3"}));
  EXPECT_THROW(axis_labels({0, 1}, 0, Quantity::kCount), std::logic_error);
}

}  // namespace
}  // namespace slowscope::html
