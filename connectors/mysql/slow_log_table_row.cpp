#include "connectors/mysql/slow_log_table_row.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <vector>

#include "connectors/mysql/slow_log_syntax.h"

namespace slowscope {
namespace {

// Reads `digits` decimal digits at `pos`, advancing it.
std::optional<int64_t> digits_at(std::string_view text, size_t& pos, size_t min_digits,
                                 size_t max_digits) {
  int64_t value = 0;
  size_t n = 0;
  while (pos < text.size() && n < max_digits && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++n;
  }
  if (n < min_digits) return std::nullopt;
  return value;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// ".ffffff" (1 to 6 digits) at `pos` as microseconds; 0 when absent.
std::optional<int64_t> fraction_at(std::string_view text, size_t& pos) {
  if (pos == text.size()) return 0;
  if (!expect(text, pos, '.')) return std::nullopt;
  const size_t start = pos;
  auto value = digits_at(text, pos, 1, 6);
  if (!value) return std::nullopt;
  for (size_t n = pos - start; n < 6; ++n) *value *= 10;
  return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

double number_or_zero(std::string_view text) {
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

void hash_field(uint64_t& h, std::string_view field) {
  for (const char c : field) {
    h ^= static_cast<uint8_t>(c);
    h *= kFnvPrime;
  }
  // The length closes the field, so that moving bytes between fields changes the hash.
  for (size_t n = field.size(), i = 0; i < 8; ++i, n >>= 8) {
    h ^= n & 0xff;
    h *= kFnvPrime;
  }
}

}  // namespace

UserAndHost parse_user_host(std::string_view user_host) {
  std::string line = "# User@Host: ";
  line += user_host;
  const auto match = slow_log_syntax::match_user_host(line);
  if (!match) return {};
  UserAndHost result;
  result.user = std::string(match->user);
  result.host = std::string(match->host.empty() || match->host == "0" ? match->ip : match->host);
  return result;
}

std::optional<int64_t> parse_time_us(std::string_view text) {
  size_t pos = 0;
  const bool negative = expect(text, pos, '-');
  const auto hours = digits_at(text, pos, 1, 3);
  if (!hours || !expect(text, pos, ':')) return std::nullopt;
  const auto minutes = digits_at(text, pos, 2, 2);
  if (!minutes || *minutes > 59 || !expect(text, pos, ':')) return std::nullopt;
  const auto seconds = digits_at(text, pos, 2, 2);
  if (!seconds || *seconds > 59) return std::nullopt;
  const auto micros = fraction_at(text, pos);
  if (!micros || pos != text.size()) return std::nullopt;
  const int64_t us = ((*hours * 60 + *minutes) * 60 + *seconds) * 1000000 + *micros;
  return negative ? -us : us;
}

std::optional<int64_t> parse_datetime_us(std::string_view text) {
  size_t pos = 0;
  const auto year = digits_at(text, pos, 4, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  const auto month = digits_at(text, pos, 2, 2);
  if (!month || *month < 1 || *month > 12 || !expect(text, pos, '-')) return std::nullopt;
  const auto day = digits_at(text, pos, 2, 2);
  if (!day || *day < 1 || *day > 31 || !expect(text, pos, ' ')) return std::nullopt;
  const auto hour = digits_at(text, pos, 2, 2);
  if (!hour || *hour > 23 || !expect(text, pos, ':')) return std::nullopt;
  const auto minute = digits_at(text, pos, 2, 2);
  if (!minute || *minute > 59 || !expect(text, pos, ':')) return std::nullopt;
  const auto second = digits_at(text, pos, 2, 2);
  if (!second || *second > 60) return std::nullopt;
  const auto micros = fraction_at(text, pos);
  if (!micros || pos != text.size()) return std::nullopt;
  const int64_t days = days_from_civil(*year, *month, *day);
  return ((days * 24 + *hour) * 60 + *minute) * 60 * 1000000 + *second * 1000000 + *micros;
}

std::string format_datetime_us(int64_t epoch_us) {
  int64_t seconds = epoch_us / 1000000;
  int64_t micros = epoch_us % 1000000;
  if (micros < 0) {
    micros += 1000000;
    --seconds;
  }
  const auto t = static_cast<time_t>(seconds);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%06lld", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return buffer;
}

uint64_t row_hash(const SlowLogTableRow& row) {
  uint64_t h = kFnvOffset;
  for (const std::string* field :
       {&row.start_time, &row.user_host, &row.query_time, &row.lock_time, &row.rows_sent,
        &row.rows_examined, &row.db, &row.last_insert_id, &row.insert_id, &row.server_id,
        &row.sql_text, &row.thread_id, &row.rows_affected}) {
    hash_field(h, *field);
  }
  return h;
}

void deliver_as_event(const SlowLogTableRow& row,
                      const std::function<void(const QueryEvent&)>& sink) {
  const UserAndHost who = parse_user_host(row.user_host);
  const int64_t query_us = parse_time_us(row.query_time).value_or(0);
  const int64_t lock_us = parse_time_us(row.lock_time).value_or(0);
  QueryEvent event;
  event.query = row.sql_text;
  event.db = row.db;
  event.user = who.user;
  event.host = who.host;
  event.ts_us = parse_datetime_us(row.start_time);
  event.query_time = static_cast<double>(query_us) / 1e6;
  event.lock_time = static_cast<double>(lock_us) / 1e6;
  std::array<Attribute, 5> attributes{{
      {"Query_time", event.query_time},
      {"Lock_time", event.lock_time},
      {"Rows_sent", number_or_zero(row.rows_sent)},
      {"Rows_examined", number_or_zero(row.rows_examined)},
      {"Rows_affected", number_or_zero(row.rows_affected)},
  }};
  event.attributes =
      std::span<const Attribute>(attributes.data(), row.rows_affected.empty() ? 4 : 5);
  sink(event);
}

}  // namespace slowscope
