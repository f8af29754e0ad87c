// Fills an SQLite history store, through the Store API, with what `slowscope collect` leaves
// after a month of 1-minute cycles over 5,000 statements: for `top --since 30d` to be timed
// by bench/collect-cycle, and `check --release` and continuous detection by
// bench/detection-quality.
//
// Writing 30 × 1440 × 5,000 raw samples would take hours and read nothing the reads use: the
// store serves whole days from the daily rollup, whole hours from the hourly rollup and only
// the edges from raw samples. So the month is written at the granularity each tier keeps it:
// one sample per statement per hour over the first (partial) day, the last HOURLY_DAYS days
// (at least the current day), one per day in between, 1-minute samples over the last
// RAW_MINUTES (at least the current hour, from an hour's start); then rollup_and_prune, with
// a raw retention of 31 days, or the default retention with --default-retention.
//
// --time-detect: then times detect_recent (default options) on the store, 5 passes reading
// afresh and 5 with the raw intervals kept between passes (as collect runs it).
//
// Usage: collect-cycle-history STORE_PATH [STATEMENTS] [options]; --help lists them.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/regression/recent_detection.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store.h"
#include "analyzer/store/tiers.h"

using namespace slowscope;

namespace {

StoreTime at(int64_t s) {
  return StoreTime(std::chrono::seconds(s));
}

Measures measures_for(int i, int64_t seconds) {
  const int64_t minutes = std::max<int64_t>(1, seconds / 60);
  Measures m;
  m.calls = (1 + i % 50) * minutes;
  m.total_time = 0.001 * (1 + i % 97) * static_cast<double>(m.calls);
  m.sum_sq = m.total_time * 0.002 * (1 + i % 97);
  m.row_count = (i % 10) * m.calls;
  m.shared_blks_hit = 100 * m.calls;
  m.shared_blks_read = (i % 5) * minutes;
  m.wal_bytes = 100 * m.calls;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::string store_path;
  int statements = 5000;
  int64_t hourly_days = 0;
  int64_t raw_minutes = 0;
  bool default_retention = false;
  bool time_detect = false;
  CLI::App app(
      "Fills a new SQLite store with a month of 1-minute collect cycles over STATEMENTS "
      "statements, written at the granularity each retention tier keeps.",
      "collect-cycle-history");
  app.add_option("STORE_PATH", store_path, "SQLite store to create; it must not exist yet")
      ->required()
      ->check(CLI::NonexistentPath);
  app.add_option("STATEMENTS", statements, "Statements (one query shape each)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--hourly-days", hourly_days,
                 "Days before now written hourly (at least the current day)")
      ->capture_default_str()
      ->check(CLI::Range(0, 30));
  app.add_option("--raw-minutes", raw_minutes,
                 "Minutes before now written as 1-minute samples (at least the current hour)")
      ->capture_default_str()
      ->check(CLI::Range(0, 30 * 24 * 60));
  app.add_flag("--default-retention", default_retention,
               "Roll up with the default retention instead of 31 days of raw samples");
  app.add_flag("--time-detect", time_detect,
               "Then time detect_recent: 5 passes reading afresh, 5 keeping the raw intervals");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int printed = app.exit(e);  // 0 after --help
    return printed == 0 ? 0 : 2;
  }
  const auto start = std::chrono::steady_clock::now();
  Store store(std::make_unique<SqliteConnection>(store_path));
  store.ensure_target("month", Engine::kPostgres);
  const ServerIdentity server{"7000000000000000001", "15"};
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const int64_t since = now - 30 * kSecondsPerDay;
  const int64_t first_day_end = floor_to(since, kSecondsPerDay) + kSecondsPerDay;
  const int64_t today = std::min(floor_to(now, kSecondsPerDay),
                                 floor_to(now - hourly_days * kSecondsPerDay, kSecondsPerDay));
  const int64_t this_hour =
      std::min(floor_to(now, kSecondsPerHour), floor_to(now - raw_minutes * 60, kSecondsPerHour));

  std::vector<NewStatement> fresh;
  for (int i = 0; i < statements; ++i) {
    NewStatement s;
    s.key = StatementKey{"16384", "10", std::to_string(1'000'000'000'000 + i), true};
    s.shape.hash = "bench-" + std::to_string(i);
    s.shape.fingerprint = "SELECT count(*) FROM t" + std::to_string(i % 50) + " WHERE id IN ($1)";
    s.shape.tables = {"t" + std::to_string(i % 50)};
    s.query_text = s.shape.fingerprint;
    fresh.push_back(std::move(s));
  }
  int64_t samples = 0;
  int cycles = 0;
  auto write = [&](int64_t bucket, int64_t step) {
    CycleWrite cycle;
    cycle.target = "month";
    cycle.server = server;
    cycle.collected_at = at(bucket + step);
    if (cycles++ == 0) cycle.new_statements = fresh;
    for (int i = 0; i < statements; ++i) {
      Sample s;
      s.key = fresh[i].key;
      s.bucket_start = at(bucket);
      s.interval = std::chrono::seconds(step);
      s.measures = measures_for(i, step);
      cycle.samples.push_back(std::move(s));
    }
    store.write_cycle(cycle);
    samples += statements;
  };
  for (int64_t t = floor_to(since, kSecondsPerHour); t < first_day_end; t += kSecondsPerHour) {
    write(t, kSecondsPerHour);
  }
  for (int64_t t = first_day_end; t < today; t += kSecondsPerDay) write(t, kSecondsPerDay);
  for (int64_t t = today; t < this_hour; t += kSecondsPerHour) write(t, kSecondsPerHour);
  for (int64_t t = this_hour; t + 60 <= now; t += 60) write(t, 60);
  Retention retention;
  if (!default_retention) retention.raw = std::chrono::days(31);
  const auto report = store.rollup_and_prune(at(now), retention);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("history: %d statements, %d cycles, %lld samples, %lld days rolled up, %.1f s\n",
              statements, cycles, static_cast<long long>(samples),
              static_cast<long long>(report.days_rolled), seconds);
  if (time_detect) {
    // As `check`'s callers would: every pass reads its drift's 3 hours afresh; and as
    // collect does: the intervals kept between passes, so that each reads the last minutes.
    RecentIntervals kept;
    for (RecentIntervals* keep : {static_cast<RecentIntervals*>(nullptr), &kept}) {
      std::vector<double> ms;
      size_t findings = 0;
      for (int i = 0; i < 6; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        findings = detect_recent(store, "month", at(now), {}, keep).findings.size();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
      }
      // The first pass fills what is kept; the 5 after it are timed.
      ms.erase(ms.begin());
      std::sort(ms.begin(), ms.end());
      std::printf(
          "detect_recent over %d shapes, %s: median %.0f ms (best %.0f, worst %.0f ms; %zu "
          "findings)\n",
          statements, keep ? "intervals kept between passes" : "read afresh", ms[2], ms[0], ms[4],
          findings);
    }
  }
  return 0;
}
