#include "reports/html/time_zone.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

#include "analyzer/error/errors.h"
#include "analyzer/time/utc_time.h"

namespace slowscope::html {
namespace {

namespace chrono = std::chrono;

constexpr std::string_view kZoneDirectory = "/usr/share/zoneinfo/";
constexpr const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr int64_t kEarliestSeconds = kEarliestUtcMicros / 1'000'000;
constexpr int64_t kLatestSeconds = kLatestUtcMicros / 1'000'000;

// The name as an error message can print it: printable ASCII, the rest as \xNN, 80 bytes.
std::string printable(std::string_view name) {
  std::string out;
  for (const char c : name.substr(0, 80)) {
    if (c >= 0x20 && c < 0x7F) {
      out += c;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  if (name.size() > 80) out += "...";
  return out;
}

bool is_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Parts of letters, digits, '_', '-', '+', each starting with a letter, joined by '/'. No
// '.', so no "..", no absolute path, nothing but a name under the zone directory.
bool is_zone_name(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  bool part_start = true;
  for (const char c : name) {
    if (part_start) {
      if (!is_letter(c)) return false;
      part_start = false;
    } else if (c == '/') {
      part_start = true;
    } else if (!is_letter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '+') {
      return false;
    }
  }
  return !part_start;
}

bool is_tzif_file(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return false;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, sizeof magic) && std::string_view(magic, sizeof magic) == "TZif";
}

// Sets TZ for the lifetime of the object and puts back what was there (or its absence).
class ScopedTz {
 public:
  explicit ScopedTz(const std::string& tz) {
    if (const char* old = std::getenv("TZ")) previous_ = old;
    setenv("TZ", tz.c_str(), 1);
    tzset();
  }
  ~ScopedTz() {
    if (previous_) {
      setenv("TZ", previous_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::optional<std::string> previous_;
};

void check_range(int64_t epoch_seconds) {
  if (epoch_seconds < kEarliestSeconds || epoch_seconds > kLatestSeconds) {
    throw std::out_of_range("time " + std::to_string(epoch_seconds) +
                            " is outside the years 0000 to 9999");
  }
}

LocalTime utc_fields(int64_t epoch_seconds) {
  const chrono::sys_seconds t{chrono::seconds(epoch_seconds)};
  const chrono::sys_days day = chrono::floor<chrono::days>(t);
  const chrono::year_month_day date{day};
  const chrono::hh_mm_ss time{t - day};
  LocalTime out;
  out.year = static_cast<int>(date.year());
  out.month = static_cast<int>(static_cast<unsigned>(date.month()));
  out.day = static_cast<int>(static_cast<unsigned>(date.day()));
  out.hour = static_cast<int>(time.hours().count());
  out.minute = static_cast<int>(time.minutes().count());
  out.second = static_cast<int>(time.seconds().count());
  out.weekday = static_cast<int>(chrono::weekday(day).c_encoding());
  return out;
}

// The fields in the zone TZ names now (a ScopedTz is alive).
LocalTime tz_fields(int64_t epoch_seconds) {
  const time_t t = static_cast<time_t>(epoch_seconds);
  struct tm tm {};
  if (localtime_r(&t, &tm) == nullptr) {
    throw std::out_of_range("time " + std::to_string(epoch_seconds) +
                            " cannot be shown in local time");
  }
  LocalTime out;
  out.year = tm.tm_year + 1900;
  out.month = tm.tm_mon + 1;
  out.day = tm.tm_mday;
  out.hour = tm.tm_hour;
  out.minute = tm.tm_min;
  out.second = tm.tm_sec;
  out.weekday = tm.tm_wday;
  out.offset_seconds = static_cast<int>(tm.tm_gmtoff);
  out.abbreviation = tm.tm_zone != nullptr ? tm.tm_zone : "";  // copied while TZ holds
  return out;
}

struct Date {
  int year, month, day;
};

chrono::sys_days to_days(const Date& d) {
  return chrono::sys_days{chrono::year{d.year} / chrono::month{static_cast<unsigned>(d.month)} /
                          chrono::day{static_cast<unsigned>(d.day)}};
}

Date to_date(chrono::sys_days days) {
  const chrono::year_month_day ymd{days};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// Reads times in one zone for the duration of one public call: UTC by arithmetic, a named
// zone through the C library with TZ set once for the whole call.
class Clock {
 public:
  explicit Clock(const std::string& tz_file) : utc_(tz_file.empty()) {
    if (!utc_) tz_.emplace(tz_file);
  }

  LocalTime at(int64_t epoch_seconds) const {
    check_range(epoch_seconds);
    return utc_ ? utc_fields(epoch_seconds) : tz_fields(epoch_seconds);
  }

  // The time of local `date` hh:mm, or nullopt when that local time does not exist (it falls
  // in a daylight-saving gap). For a local time that exists twice, the C library picks one.
  std::optional<int64_t> from_local(const Date& date, int hour, int minute) const {
    if (utc_) {
      const chrono::sys_seconds t = to_days(date) + chrono::hours(hour) + chrono::minutes(minute);
      return t.time_since_epoch().count();
    }
    struct tm tm {};
    tm.tm_year = date.year - 1900;
    tm.tm_mon = date.month - 1;
    tm.tm_mday = date.day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_isdst = -1;
    const int64_t t = static_cast<int64_t>(mktime(&tm));
    // mktime moves a time in a gap; such a time is not the one asked for.
    if (t < kEarliestSeconds || t > kLatestSeconds) return std::nullopt;
    const LocalTime check = tz_fields(t);
    if (check.year != date.year || check.month != date.month || check.day != date.day ||
        check.hour != hour || check.minute != minute) {
      return std::nullopt;
    }
    return t;
  }

 private:
  bool utc_;
  std::optional<ScopedTz> tz_;
};

std::string date_and_minute(const LocalTime& t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute);
  return buf;
}

std::string day_label(const Date& d) {
  return std::to_string(d.day) + " " + kMonthNames[d.month - 1];
}

std::string month_label(const Date& d) {
  return std::string(kMonthNames[d.month - 1]) + " " + std::to_string(d.year);
}

std::string hour_minute_label(int hour, int minute) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", hour, minute);
  return buf;
}

enum class StepKind { kSeconds, kSubDay, kDays, kWeek, kMonths };

struct Step {
  StepKind kind;
  int64_t count;  // seconds for kSeconds and kSubDay, days for kDays, months for kMonths
  double seconds() const {
    switch (kind) {
      case StepKind::kSeconds:
      case StepKind::kSubDay:
        return static_cast<double>(count);
      case StepKind::kDays:
        return static_cast<double>(count) * 86400;
      case StepKind::kWeek:
        return 7 * 86400.0;
      case StepKind::kMonths:
        return static_cast<double>(count) * 30.436875 * 86400;
    }
    return 0;
  }
};

Step pick_step(int64_t span, int max_ticks) {
  static constexpr Step kSteps[] = {
      {StepKind::kSeconds, 1},    {StepKind::kSeconds, 2},    {StepKind::kSeconds, 5},
      {StepKind::kSeconds, 10},   {StepKind::kSeconds, 15},   {StepKind::kSeconds, 30},
      {StepKind::kSubDay, 60},    {StepKind::kSubDay, 120},   {StepKind::kSubDay, 300},
      {StepKind::kSubDay, 600},   {StepKind::kSubDay, 900},   {StepKind::kSubDay, 1800},
      {StepKind::kSubDay, 3600},  {StepKind::kSubDay, 7200},  {StepKind::kSubDay, 10800},
      {StepKind::kSubDay, 21600}, {StepKind::kSubDay, 43200}, {StepKind::kDays, 1},
      {StepKind::kDays, 2},       {StepKind::kWeek, 1},       {StepKind::kMonths, 1},
      {StepKind::kMonths, 3},     {StepKind::kMonths, 6},     {StepKind::kMonths, 12}};
  const double needed = static_cast<double>(span) / (max_ticks - 1);
  for (const Step& step : kSteps) {
    if (step.seconds() >= needed) return step;
  }
  // Longer than max_ticks years: whole years, 1-2-5 of them.
  for (int64_t years = 1;; years *= 10) {
    for (const int64_t m : {1, 2, 5}) {
      const Step step{StepKind::kMonths, 12 * years * m};
      if (step.seconds() >= needed) return step;
    }
  }
}

}  // namespace

ReportZone::ReportZone() : name_("UTC") {}

ReportZone::ReportZone(std::string_view name) : name_(name) {
  if (name == "UTC") return;
  const std::string accepted =
      "use UTC or an IANA zone name such as Europe/Berlin or America/New_York";
  if (!is_zone_name(name)) {
    throw InvalidInput("time zone \"" + printable(name) + "\" is not a zone name: " + accepted +
                       " (letters, digits, '_', '-' and '+', parts separated by '/')");
  }
  // Not zones: the machine's own setting, a template file, and clocks that count leap
  // seconds, which epoch seconds do not.
  if (name == "localtime" || name == "posixrules" || name.starts_with("right/")) {
    throw InvalidInput("time zone \"" + std::string(name) + "\" is not a zone: " + accepted);
  }
  const std::filesystem::path path = std::string(kZoneDirectory) + std::string(name);
  if (!is_tzif_file(path)) {
    std::error_code error;
    if (!std::filesystem::is_directory(kZoneDirectory, error)) {
      throw InvalidInput("time zone \"" + std::string(name) + "\": the time zone database " +
                         std::string(kZoneDirectory) + " is missing (install tzdata)");
    }
    throw InvalidInput("time zone \"" + std::string(name) + "\" is not in the time zone database " +
                       std::string(kZoneDirectory) + ": " + accepted);
  }
  tz_file_ = std::string(":").append(path.string());
}

LocalTime ReportZone::local(int64_t epoch_seconds) const {
  return Clock(tz_file_).at(epoch_seconds);
}

std::string ReportZone::format(int64_t epoch_seconds) const {
  const LocalTime t = local(epoch_seconds);
  return date_and_minute(t) + " " + t.abbreviation;
}

std::string ReportZone::format_with_seconds(int64_t epoch_seconds) const {
  const LocalTime t = local(epoch_seconds);
  char seconds[8];
  std::snprintf(seconds, sizeof seconds, ":%02d ", t.second);
  return date_and_minute(t) + seconds + t.abbreviation;
}

std::string ReportZone::iso8601(int64_t epoch_seconds) const {
  LocalTime t = local(epoch_seconds);
  const bool whole_minutes = t.offset_seconds % 60 == 0;
  if (!whole_minutes) t = utc_fields(epoch_seconds);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute, t.second);
  std::string out = buf;
  if (is_utc() || !whole_minutes) return out + "Z";
  const int offset = t.offset_seconds < 0 ? -t.offset_seconds : t.offset_seconds;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", t.offset_seconds < 0 ? '-' : '+', offset / 3600,
                offset / 60 % 60);
  return out + buf;
}

std::string ReportZone::axis_caption(int64_t from, int64_t until) const {
  if (is_utc()) return "Time (UTC)";
  const Clock clock(tz_file_);
  // The abbreviations in use over the range, in order, sampled at least daily: a zone
  // changes its abbreviation at most a few times a year.
  std::vector<std::string> seen;
  const int64_t span = until > from ? until - from : 0;
  const int64_t step = std::max<int64_t>(86400, span / 400);
  for (int64_t t = from;; t = std::min(until, t + step)) {
    const std::string abbreviation = clock.at(t).abbreviation;
    if (std::find(seen.begin(), seen.end(), abbreviation) == seen.end()) {
      seen.push_back(abbreviation);
    }
    if (t >= until) break;
  }
  std::string joined;
  for (const std::string& a : seen) joined += (joined.empty() ? "" : "/") + a;
  return "Time (" + name_ + ", " + joined + ")";
}

std::vector<TimeTick> ReportZone::axis_ticks(int64_t from, int64_t until, int max_ticks) const {
  if (max_ticks < 2) throw std::logic_error("axis_ticks: max_ticks must be at least 2");
  if (until < from) throw std::logic_error("axis_ticks: until is before from");
  const Clock clock(tz_file_);
  const Step step = pick_step(std::max<int64_t>(until - from, 1), max_ticks);
  const LocalTime first = clock.at(from);
  const LocalTime last = clock.at(until);
  const chrono::sys_days first_day = to_days({first.year, first.month, first.day});
  const chrono::sys_days last_day = to_days({last.year, last.month, last.day});

  std::vector<TimeTick> ticks;
  const auto add = [&](std::optional<int64_t> t, std::string label) {
    if (!t || *t < from || *t > until) return;
    if (!ticks.empty() && *t <= ticks.back().time) return;
    ticks.push_back({*t, std::move(label)});
  };

  switch (step.kind) {
    case StepKind::kSeconds: {
      // Offsets have been whole minutes since the 1970s, so round UTC seconds are round
      // local ones.
      for (int64_t t = (from + step.count - 1) / step.count * step.count; t <= until;
           t += step.count) {
        const LocalTime local = clock.at(t);
        char label[16];
        std::snprintf(label, sizeof label, "%02d:%02d:%02d", local.hour, local.minute,
                      local.second);
        add(t, label);
      }
      break;
    }
    case StepKind::kSubDay: {
      const int64_t per_day = 86400 / step.count;
      // Offsets change by at most a few hours: only the ticks near [from, until] on the
      // first and last day are tried.
      const int64_t margin = 3 * 3600;
      for (chrono::sys_days day = first_day; day <= last_day; day += chrono::days(1)) {
        int64_t k_begin = 0, k_end = per_day;
        if (day == first_day) {
          const int64_t second_of_day = first.hour * 3600 + first.minute * 60 + first.second;
          k_begin = std::max<int64_t>(0, (second_of_day - margin) / step.count);
        }
        if (day == last_day) {
          const int64_t second_of_day = last.hour * 3600 + last.minute * 60 + last.second;
          k_end = std::min<int64_t>(per_day, (second_of_day + margin) / step.count + 1);
        }
        const Date date = to_date(day);
        for (int64_t k = k_begin; k < k_end; ++k) {
          const int hour = static_cast<int>(k * step.count / 3600);
          const int minute = static_cast<int>(k * step.count % 3600 / 60);
          add(clock.from_local(date, hour, minute),
              hour == 0 && minute == 0 ? day_label(date) : hour_minute_label(hour, minute));
        }
      }
      break;
    }
    case StepKind::kDays:
    case StepKind::kWeek:
      for (chrono::sys_days day = first_day; day <= last_day; day += chrono::days(1)) {
        const bool wanted = step.kind == StepKind::kWeek
                                ? chrono::weekday(day) == chrono::Monday
                                : day.time_since_epoch().count() % step.count == 0;
        if (!wanted) continue;
        const Date date = to_date(day);
        // A midnight in a daylight-saving gap: the day starts at the first hour that exists.
        std::optional<int64_t> t;
        for (int hour = 0; hour < 4 && !t; ++hour) t = clock.from_local(date, hour, 0);
        add(t, day_label(date));
      }
      break;
    case StepKind::kMonths: {
      int month_index = first.year * 12 + (first.month - 1);
      const int last_index = last.year * 12 + (last.month - 1);
      for (; month_index <= last_index; ++month_index) {
        if (month_index % step.count != 0) continue;
        const Date date{month_index / 12, month_index % 12 + 1, 1};
        std::optional<int64_t> t;
        for (int hour = 0; hour < 4 && !t; ++hour) t = clock.from_local(date, hour, 0);
        add(t, step.count % 12 == 0 ? std::to_string(date.year) : month_label(date));
      }
      break;
    }
  }
  return ticks;
}

}  // namespace slowscope::html
