// The report's time zone against Debian's tzdata: UTC, Europe/Berlin on both sides of its
// 2026 daylight-saving changes, America/New_York, ISO 8601 offsets, axis ticks that skip
// the hour that does not exist, strict refusal of names that are not zones, and TZ left as
// it was found.
#include "reports/html/time_zone.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include "analyzer/error/errors.h"

namespace slowscope::html {
namespace {

constexpr int64_t k2026Dec06_0915Z = 1796548500;
constexpr int64_t k2026Mar29_0059_59Z = 1774745999;  // the last second of CET
constexpr int64_t k2026Mar29_0100Z = 1774746000;     // the first of CEST
constexpr int64_t k2026Mar08_0659_59Z = 1772953199;  // the last second of EST
constexpr int64_t k2026Mar08_0700Z = 1772953200;

std::vector<std::string> labels(const std::vector<TimeTick>& ticks) {
  std::vector<std::string> out;
  for (const TimeTick& t : ticks) out.push_back(t.label);
  return out;
}

std::vector<int64_t> times(const std::vector<TimeTick>& ticks) {
  std::vector<int64_t> out;
  for (const TimeTick& t : ticks) out.push_back(t.time);
  return out;
}

TEST(ReportZone, UtcByDefault) {
  const ReportZone zone;
  EXPECT_TRUE(zone.is_utc());
  EXPECT_EQ(zone.name(), "UTC");
  EXPECT_EQ(zone.format(k2026Dec06_0915Z), "2026-12-06 09:15 UTC");
  EXPECT_EQ(zone.format_with_seconds(k2026Dec06_0915Z + 7), "2026-12-06 09:15:07 UTC");
  EXPECT_EQ(zone.iso8601(k2026Dec06_0915Z), "2026-12-06T09:15:00Z");
  EXPECT_EQ(zone.format(0), "1970-01-01 00:00 UTC");
  EXPECT_EQ(zone.format(-1), "1969-12-31 23:59 UTC");
  EXPECT_EQ(ReportZone("UTC").format(k2026Dec06_0915Z), "2026-12-06 09:15 UTC");
  const LocalTime t = zone.local(k2026Dec06_0915Z);
  EXPECT_EQ(t.weekday, 0);  // a Sunday
  EXPECT_EQ(t.offset_seconds, 0);
}

TEST(ReportZone, BerlinAcrossTheSpringChange) {
  const ReportZone berlin("Europe/Berlin");
  EXPECT_FALSE(berlin.is_utc());
  EXPECT_EQ(berlin.format(k2026Dec06_0915Z), "2026-12-06 10:15 CET");
  EXPECT_EQ(berlin.iso8601(k2026Dec06_0915Z), "2026-12-06T10:15:00+01:00");
  EXPECT_EQ(berlin.format_with_seconds(k2026Mar29_0059_59Z), "2026-03-29 01:59:59 CET");
  EXPECT_EQ(berlin.iso8601(k2026Mar29_0059_59Z), "2026-03-29T01:59:59+01:00");
  EXPECT_EQ(berlin.format(k2026Mar29_0100Z), "2026-03-29 03:00 CEST");
  EXPECT_EQ(berlin.iso8601(k2026Mar29_0100Z), "2026-03-29T03:00:00+02:00");
  EXPECT_EQ(berlin.local(k2026Mar29_0059_59Z).offset_seconds, 3600);
  EXPECT_EQ(berlin.local(k2026Mar29_0100Z).offset_seconds, 7200);
}

TEST(ReportZone, NewYorkAcrossTheSpringChange) {
  const ReportZone new_york("America/New_York");
  EXPECT_EQ(new_york.format(k2026Dec06_0915Z), "2026-12-06 04:15 EST");
  EXPECT_EQ(new_york.iso8601(k2026Dec06_0915Z), "2026-12-06T04:15:00-05:00");
  EXPECT_EQ(new_york.format_with_seconds(k2026Mar08_0659_59Z), "2026-03-08 01:59:59 EST");
  EXPECT_EQ(new_york.format(k2026Mar08_0700Z), "2026-03-08 03:00 EDT");
  EXPECT_EQ(new_york.iso8601(k2026Mar08_0700Z), "2026-03-08T03:00:00-04:00");
}

TEST(ReportZone, HalfHourOffsetsAndLocalMeanTime) {
  EXPECT_EQ(ReportZone("Asia/Kolkata").iso8601(k2026Dec06_0915Z), "2026-12-06T14:45:00+05:30");
  // Berlin in 1880 ran on local mean time, +00:53:28, which <time datetime> cannot state.
  const ReportZone berlin("Europe/Berlin");
  EXPECT_EQ(berlin.local(-2826964800).offset_seconds, 3208);
  EXPECT_EQ(berlin.iso8601(-2826964800), "1880-06-01T12:00:00Z");
}

TEST(ReportZone, TimesOutsideTheYearsSlowscopeReadsAreRefused) {
  EXPECT_THROW(ReportZone().format(std::numeric_limits<int64_t>::max()), std::out_of_range);
  EXPECT_THROW(ReportZone("Europe/Berlin").format(std::numeric_limits<int64_t>::min()),
               std::out_of_range);
  EXPECT_EQ(ReportZone().format(253402300799), "9999-12-31 23:59 UTC");
  EXPECT_EQ(ReportZone().format(-62167219200), "0000-01-01 00:00 UTC");
}

TEST(ReportZone, NamesThatAreNotZonesAreRefused) {
  for (const char* name : {"",
                           "../etc/passwd",
                           "Nowhere/City",
                           "/etc/passwd",
                           "Europe/../../etc/passwd",
                           "Europe/./Berlin",
                           "Europe",
                           "Europe/",
                           "Europe//Berlin",
                           "/Europe/Berlin",
                           "Europe/Berlin\n",
                           "europe berlin",
                           "zone.tab",
                           "localtime",
                           "posixrules",
                           "right/Europe/Berlin",
                           "-Europe/Berlin",
                           "Europe/Berlin;rm",
                           "iso3166.tab",
                           "leapseconds"}) {
    EXPECT_THROW(ReportZone{name}, InvalidInput) << name;
  }
  try {
    ReportZone zone("Nowhere/City");
    FAIL() << "accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("\"Nowhere/City\""), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Europe/Berlin"), std::string::npos) << e.what();
  }
  try {
    ReportZone zone("bad\x1b[31mname");
    FAIL() << "accepted";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("bad\\x1B[31mname"), std::string::npos) << e.what();
  }
}

TEST(ReportZone, ZonesOfEveryShapeAreAccepted) {
  for (const char* name : {"Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
                           "Etc/GMT-14", "America/Port-au-Prince", "Etc/UTC", "EST5EDT"}) {
    EXPECT_NO_THROW(ReportZone{name}) << name;
  }
  EXPECT_EQ(ReportZone("Etc/GMT+5").format(k2026Dec06_0915Z), "2026-12-06 04:15 -05");
}

class SavedTz {
 public:
  SavedTz() {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
  }
  ~SavedTz() {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  std::optional<std::string> saved_;
};

TEST(ReportZone, LeavesTzAsItFoundIt) {
  const SavedTz saved;
  const ReportZone berlin("Europe/Berlin");
  setenv("TZ", "America/New_York", 1);
  tzset();
  EXPECT_EQ(berlin.format(k2026Dec06_0915Z), "2026-12-06 10:15 CET");
  ASSERT_NE(std::getenv("TZ"), nullptr);
  EXPECT_STREQ(std::getenv("TZ"), "America/New_York");
  // The process's own local time is New York's again.
  const time_t t = k2026Dec06_0915Z;
  struct tm tm {};
  localtime_r(&t, &tm);
  EXPECT_EQ(tm.tm_hour, 4);

  unsetenv("TZ");
  tzset();
  EXPECT_EQ(berlin.axis_ticks(k2026Dec06_0915Z, k2026Dec06_0915Z + 3600, 5).size(), 5u);
  EXPECT_EQ(std::getenv("TZ"), nullptr);
}

TEST(ReportZone, AxisCaptionNamesTheZoneAndItsAbbreviations) {
  EXPECT_EQ(ReportZone().axis_caption(k2026Dec06_0915Z, k2026Dec06_0915Z + 86400), "Time (UTC)");
  const ReportZone berlin("Europe/Berlin");
  EXPECT_EQ(berlin.axis_caption(k2026Dec06_0915Z, k2026Dec06_0915Z + 86400),
            "Time (Europe/Berlin, CET)");
  EXPECT_EQ(berlin.axis_caption(k2026Mar29_0100Z - 86400, k2026Mar29_0100Z + 86400),
            "Time (Europe/Berlin, CET/CEST)");
  // A whole year: summer time starts and ends between the two ends.
  EXPECT_EQ(berlin.axis_caption(1767225600, 1798761600), "Time (Europe/Berlin, CET/CEST)");
}

TEST(ReportZone, UtcTicksAtRoundHoursWithTheDayAtMidnight) {
  const int64_t day = 1796515200;  // 2026-12-06 00:00 UTC
  const std::vector<TimeTick> ticks = ReportZone().axis_ticks(day, day + 86400, 9);
  EXPECT_EQ(labels(ticks), (std::vector<std::string>{"6 Dec", "03:00", "06:00", "09:00", "12:00",
                                                     "15:00", "18:00", "21:00", "7 Dec"}));
  EXPECT_EQ(ticks[1].time, day + 3 * 3600);
  // Ten minutes: two-minute ticks at round minutes inside the range only.
  EXPECT_EQ(labels(ReportZone().axis_ticks(k2026Dec06_0915Z + 30, k2026Dec06_0915Z + 630, 6)),
            (std::vector<std::string>{"09:16", "09:18", "09:20", "09:22", "09:24"}));
  // Under a minute: ticks at round seconds, labelled with them (in Berlin too).
  EXPECT_EQ(labels(ReportZone().axis_ticks(k2026Dec06_0915Z + 3, k2026Dec06_0915Z + 43, 5)),
            (std::vector<std::string>{"09:15:10", "09:15:20", "09:15:30", "09:15:40"}));
  EXPECT_EQ(labels(ReportZone("Europe/Berlin").axis_ticks(k2026Dec06_0915Z, k2026Dec06_0915Z + 4, 5)),
            (std::vector<std::string>{"10:15:00", "10:15:01", "10:15:02", "10:15:03", "10:15:04"}));
}

TEST(ReportZone, BerlinTicksSkipTheHourThatDoesNotExist) {
  const ReportZone berlin("Europe/Berlin");
  const std::vector<TimeTick> ticks = berlin.axis_ticks(1774735200, 1774756800, 7);
  EXPECT_EQ(labels(ticks), (std::vector<std::string>{"23:00", "29 Mar", "01:00", "03:00", "04:00",
                                                     "05:00", "06:00"}));
  EXPECT_EQ(times(ticks), (std::vector<int64_t>{1774735200, 1774738800, 1774742400, 1774746000,
                                                1774749600, 1774753200, 1774756800}));
}

TEST(ReportZone, BerlinTicksShowTheRepeatedHourOnce) {
  const ReportZone berlin("Europe/Berlin");
  // 2026-10-24 22:00 UTC (00:00 CEST) to 2026-10-25 03:00 UTC (04:00 CET).
  const std::vector<TimeTick> ticks = berlin.axis_ticks(1792879200, 1792897200, 7);
  EXPECT_EQ(labels(ticks),
            (std::vector<std::string>{"25 Oct", "01:00", "02:00", "03:00", "04:00"}));
  ASSERT_EQ(ticks.size(), 5u);
  // 02:00 happens at 00:00 UTC (CEST) and again at 01:00 UTC (CET); either is right.
  EXPECT_TRUE(ticks[2].time == 1792886400 || ticks[2].time == 1792890000) << ticks[2].time;
  EXPECT_EQ(ticks[3].time, 1792893600);
}

TEST(ReportZone, LongRangesTickByDaysWeeksMonthsAndYears) {
  const ReportZone berlin("Europe/Berlin");
  const int64_t jan1 = 1767225600;  // 2026-01-01 00:00 UTC, 01:00 CET
  // A week, daily: Berlin midnights, 23:00 UTC the evening before.
  const std::vector<TimeTick> days = berlin.axis_ticks(jan1, jan1 + 7 * 86400, 8);
  EXPECT_EQ(labels(days), (std::vector<std::string>{"2 Jan", "3 Jan", "4 Jan", "5 Jan", "6 Jan",
                                                    "7 Jan", "8 Jan"}));
  EXPECT_EQ(days[0].time, jan1 + 86400 - 3600);
  // Two months, weekly: Mondays.
  const std::vector<TimeTick> weeks = berlin.axis_ticks(jan1, jan1 + 60 * 86400, 10);
  EXPECT_EQ(weeks.front().label, "5 Jan");
  EXPECT_EQ(weeks[1].label, "12 Jan");
  EXPECT_LE(weeks.size(), 10u);
  // A year, monthly, across both changes: the first of each month at local midnight.
  const std::vector<TimeTick> months = berlin.axis_ticks(jan1, 1798761600, 13);
  EXPECT_EQ(months.size(), 12u);  // 2026-01-01 00:00 CET is before the range's start
  EXPECT_EQ(months.front().label, "Feb 2026");
  EXPECT_EQ(months[5].label, "Jul 2026");
  EXPECT_EQ(months[5].time, 1782856800);  // 2026-07-01 00:00 CEST = 2026-06-30 22:00 UTC
  EXPECT_EQ(months.back().label, "Jan 2027");
  // Ten years: whole years.
  EXPECT_EQ(labels(ReportZone().axis_ticks(jan1, jan1 + 3653 * 86400, 7)),
            (std::vector<std::string>{"2026", "2028", "2030", "2032", "2034", "2036"}));
}

TEST(ReportZone, TicksNeverExceedTheirLimit) {
  const ReportZone berlin("Europe/Berlin");
  for (const int64_t span : {60, 599, 3600, 7 * 3600, 86400, 3 * 86400, 40 * 86400, 400 * 86400}) {
    for (const int max_ticks : {2, 3, 5, 8, 12}) {
      const std::vector<TimeTick> ticks =
          berlin.axis_ticks(k2026Dec06_0915Z, k2026Dec06_0915Z + span, max_ticks);
      EXPECT_LE(ticks.size(), static_cast<size_t>(max_ticks)) << span << " " << max_ticks;
      for (size_t i = 1; i < ticks.size(); ++i) EXPECT_GT(ticks[i].time, ticks[i - 1].time);
    }
  }
}

}  // namespace
}  // namespace slowscope::html
