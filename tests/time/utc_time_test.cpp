#include "analyzer/time/utc_time.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

TEST(UtcTime, FormatsWholeAndFractionalSeconds) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(1709294400'000000), "2024-03-01T12:00:00Z");
  EXPECT_EQ(format_utc(1709294400'000123), "2024-03-01T12:00:00.000123Z");
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999999Z");
}

struct ParseCase {
  const char* text;
  std::optional<int64_t> expected_us;
};

TEST(UtcTime, ParsesTheFormsUsersType) {
  const ParseCase cases[] = {
      {"2024-03-01", 1709251200'000000},
      {"2024-03-01 12:00", 1709294400'000000},
      {"2024-03-01 12:00:00", 1709294400'000000},
      {"2024-03-01T12:00:00Z", 1709294400'000000},
      {"2024-03-01T12:00:00.5Z", 1709294400'500000},
      {"2024-03-01T13:00:00+01:00", 1709294400'000000},
      {"2024-03-01T07:00:00-0500", 1709294400'000000},
      {"1709294400", 1709294400'000000},
      {"2024-02-30", std::nullopt},
      {"2024-03-01T25:00:00", std::nullopt},
      {"2024-03-01X", std::nullopt},
      {"yesterday", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(parse_utc(c.text), c.expected_us) << c.text;
}

TEST(UtcTime, ParsesDurations) {
  EXPECT_EQ(parse_duration("90s"), 90'000000);
  EXPECT_EQ(parse_duration("30m"), 1800'000000);
  EXPECT_EQ(parse_duration("1.5h"), 5400'000000);
  EXPECT_EQ(parse_duration("7d"), 7 * 86400'000000LL);
  EXPECT_EQ(parse_duration("2w"), 14 * 86400'000000LL);
  EXPECT_EQ(parse_duration("250ms"), 250'000);
  EXPECT_EQ(parse_duration("12"), 12'000000);
  EXPECT_EQ(parse_duration("-5m"), std::nullopt);
  EXPECT_EQ(parse_duration("5 parsecs"), std::nullopt);
}

TEST(UtcTime, FormatsDurationsInTheLargestWholeUnit) {
  const struct {
    int64_t micros;
    const char* text;
  } cases[] = {
      {7 * 86400'000000LL, "7d"},
      {36 * 3600'000000LL, "36h"},
      {900'000000, "15m"},
      {90'000000, "90s"},
      {1'500000, "1500ms"},
      {250, "0.25ms"},
      {1, "0.001ms"},
      {0, "0s"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(format_duration(c.micros), c.text);
    EXPECT_EQ(parse_duration(c.text), c.micros) << c.text;  // reads back
  }
}

TEST(UtcTime, TimeArgumentIsAbsoluteOrAgo) {
  const int64_t now = 1709294400'000000;
  EXPECT_EQ(parse_time_argument("1h", now), now - 3600'000000);
  EXPECT_EQ(parse_time_argument("2024-03-01", now), 1709251200'000000);
  EXPECT_THROW(parse_time_argument("soon", now), InvalidInput);
}

// What error a time argument gets, or "" when it is read.
std::string time_argument_error(const std::string& text, int64_t now) {
  try {
    parse_time_argument(text, now);
    return "";
  } catch (const InvalidInput& e) {
    return e.what();
  }
}

// A duration or an epoch number too large for microseconds once made them wrap around (a
// --since of 99999999999999999d read as the year -28107): now refused, saying why.
TEST(UtcTime, TimesOutsideTheYears0To9999AreRefusedNotWrapped) {
  const int64_t now = 1709294400'000000;
  const std::string range =
      "out of range: slowscope reads times from 0000-01-01T00:00:00Z to "
      "9999-12-31T23:59:59.999999Z";
  for (const std::string text : {"99999999999999999d", "1e300d", "3000000d", "1e300",
                                 "99999999999999999999", "-99999999999", "1e400"}) {
    const std::string error = time_argument_error(text, now);
    EXPECT_NE(error.find("time '" + text + "' is " + range), std::string::npos)
        << text << ": " << error;
  }
  EXPECT_EQ(parse_duration("99999999999999999d"), std::nullopt);
  EXPECT_EQ(parse_duration("inf"), std::nullopt);
  EXPECT_EQ(parse_duration("nan"), std::nullopt);
  EXPECT_EQ(parse_utc("1e300"), std::nullopt);
  EXPECT_EQ(parse_utc("nan"), std::nullopt);
  EXPECT_EQ(parse_utc("0000-01-01T00:00:00+01:00"), std::nullopt);
  // The edges themselves are read, and a long but representable duration too.
  EXPECT_EQ(parse_utc("0000-01-01"), kEarliestUtcMicros);
  EXPECT_EQ(parse_utc("9999-12-31T23:59:59.999999Z"), kLatestUtcMicros);
  EXPECT_EQ(format_utc(kEarliestUtcMicros), "0000-01-01T00:00:00Z");
  EXPECT_EQ(parse_time_argument("700000d", now), now - int64_t{700000} * 86400'000000);
  EXPECT_NE(time_argument_error("nan", now).find("cannot read time 'nan'"), std::string::npos);
}

}  // namespace
}  // namespace slowscope
