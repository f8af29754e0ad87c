// The time zone the HTML report shows its times in: UTC unless the user picks an IANA zone
// ("Europe/Berlin") with --tz. Every time shown names its zone ("2026-12-06 10:15 CET"); every
// <time datetime> gets ISO 8601 with the offset; chart axes get their ticks and labels here.
//
// A named zone is read from Debian's tzdata (/usr/share/zoneinfo) by the C library: each call
// sets TZ to the zone's file, calls tzset and localtime_r or mktime, then restores TZ as it
// was. UTC needs none of that. NOT THREAD-SAFE for named zones: while a call runs, TZ is
// changed for the whole process, so no other thread may use local time or the environment
// (the report renders on one thread). A ReportZone itself is an immutable value.
//
// Times are epoch seconds in the years slowscope reads, 0000 to 9999 (analyzer/time); every
// function throws std::out_of_range for one outside them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slowscope::html {

// A time's fields in a zone.
struct LocalTime {
  int year = 1970, month = 1, day = 1;  // month 1-12, day 1-31
  int hour = 0, minute = 0, second = 0;
  int weekday = 4;                   // 0 = Sunday
  int offset_seconds = 0;            // local minus UTC
  std::string abbreviation = "UTC";  // "CET", "CEST", "EST", or as tzdata has it ("-03")
};

// A tick on a time axis and its label in the zone: "09:15"; the day ("6 Dec") at local
// midnight and for ticks a day or more apart; the month ("Dec 2026") for ticks months apart;
// the year ("2026") for ticks years apart.
struct TimeTick {
  int64_t time;  // epoch seconds
  std::string label;
};

class ReportZone {
 public:
  // UTC.
  ReportZone();

  // The zone `name`: "UTC", or an IANA name of letters, digits, '_', '-', '+' and '/' parts
  // ("Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5") that names a TZif file
  // under /usr/share/zoneinfo. Throws InvalidInput naming the value and what is accepted.
  explicit ReportZone(std::string_view name);

  // "UTC", "Europe/Berlin": the name as the user gave it.
  const std::string& name() const { return name_; }
  // True for UTC, whose times need neither tzdata nor TZ.
  bool is_utc() const { return tz_file_.empty(); }

  // The fields of `epoch_seconds` in this zone.
  LocalTime local(int64_t epoch_seconds) const;

  // "2026-12-06 10:15 CET": date, hour and minute, zone abbreviation.
  std::string format(int64_t epoch_seconds) const;

  // "2026-12-06 10:15:07 CET": as format, with seconds.
  std::string format_with_seconds(int64_t epoch_seconds) const;

  // "2026-12-06T10:15:07+01:00", or "...Z" in UTC: for <time datetime="...">. An offset
  // with seconds (local mean time before 1900) cannot be written there; such times are given
  // in UTC with "Z".
  std::string iso8601(int64_t epoch_seconds) const;

  // The caption of a time axis from `from` to `until`: "Time (UTC)", "Time (Europe/Berlin,
  // CET)", or "Time (Europe/Berlin, CEST/CET)" when the abbreviation changes in between (each
  // abbreviation once, in the order they first occur).
  std::string axis_caption(int64_t from, int64_t until) const;

  // Ticks in [from, until] at round local times, at most `max_ticks` (>= 2) of them: the
  // smallest step of 1, 2, 5, 10, 15, 30 minutes, 1, 2, 3, 6, 12 hours (multiples of the step
  // since local midnight), 1 or 2 days (local midnights), 1 week (Mondays), 1, 3, 6 or 12
  // months (the first of the month), then 2, 5, 10, 20... years, that fits. A local time
  // that does not exist (a daylight-saving gap) has no tick; one that exists twice has one.
  // Throws std::logic_error for max_ticks < 2 or until < from.
  std::vector<TimeTick> axis_ticks(int64_t from, int64_t until, int max_ticks) const;

 private:
  std::string name_;
  std::string tz_file_;  // the TZ value for a named zone; empty for UTC
};

}  // namespace slowscope::html
