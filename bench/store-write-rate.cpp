// Sustained sample write rate of one store: N writers, each a target of its own on its own
// thread and connection (as a collector's targets, or several collectors, write), write
// back-to-back collection cycles of S samples through Store::write_cycle, as `collect`
// writes them: the statements registered in a first cycle, then one sample per statement
// per cycle in successive buckets 60 s apart (the hourly rollup's rows inserted by the first
// cycle of each hour and updated by the others), the lease renewed and a checkpoint of
// about the size of a pg_stat_statements collector's (110 bytes per statement, of
// incompressible bytes) upserted in every cycle, and after each cycle SQLite's log folded
// into the database file (Store::flush_wal, which collect runs outside the cycle's time; it
// counts in the rate). Run by bench/store-write-rate.
//
// Prints one `result` line (key=value) and a line for people: samples per second over the
// timed cycles of all writers together, each cycle's wall and client CPU time, and the
// median cycle of the first and of the last fifth (a store that slows as it fills).
//
// Usage: store-write-rate STORE [options]; --help lists them. STORE is sqlite:PATH or a
// postgresql:// URI; the targets it writes (writer-1..N) must be new to it.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/store/store.h"
#include "analyzer/store/tiers.h"

using namespace slowscope;

namespace {

using Clock = std::chrono::steady_clock;

StoreTime at(int64_t s) {
  return StoreTime(std::chrono::seconds(s));
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

// A statement's counters over one minute: varied per statement and cycle, so that every
// hourly row changes.
Measures measures_for(int statement, int cycle) {
  Measures m;
  m.calls = 1 + (statement * 7 + cycle) % 200;
  m.total_time = 0.0005 * (1 + statement % 97) * static_cast<double>(m.calls);
  m.sum_sq = m.total_time * 0.001 * (1 + statement % 97);
  m.min_time = 0.0001;
  m.max_time = 0.002 * (1 + statement % 13);
  m.row_count = (statement % 10) * m.calls;
  m.shared_blks_hit = 40 * m.calls;
  m.shared_blks_read = (statement + cycle) % 5;
  m.shared_blks_dirtied = statement % 3;
  m.blk_read_time = 0.0001 * static_cast<double>(m.shared_blks_read);
  m.wal_records = statement % 4;
  m.wal_bytes = 120 * m.wal_records;
  return m;
}

// Bytes a compressor cannot shrink, different each cycle (xorshift).
std::string checkpoint_bytes(size_t size, uint64_t seed) {
  std::string bytes(size, '\0');
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (size_t i = 0; i < size; i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    for (size_t k = 0; k < 8 && i + k < size; ++k) bytes[i + k] = static_cast<char>(x >> (8 * k));
  }
  return bytes;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return v[i];
}

struct WriterResult {
  std::vector<double> cycle_ms;  // timed cycles
  std::vector<double> cpu_ms;    // this thread's CPU in each timed write_cycle
  std::vector<double> flush_ms;  // Store::flush_wal() after each timed cycle
  double first_ms = 0;           // the cycle registering the statements
  double warm_ms = 0;            // the first cycle of samples (prepares the batch statements)
  int64_t calls = 0;             // summed over every sample written
  std::string error;
};

}  // namespace

int main(int argc, char** argv) {
  std::string location_text;
  int writers = 1;
  int statements = 5000;
  int cycles = 30;
  int warmup = 2;
  int checkpoint_per_statement = 110;
  CLI::App app(
      "Writes back-to-back 1-minute collection cycles into STORE from WRITERS threads, a "
      "target each, and prints the sustained sample write rate.",
      "store-write-rate");
  app.add_option("STORE", location_text, "sqlite:PATH or postgresql://...")->required();
  app.add_option("--writers", writers, "Concurrent writers, one target and connection each")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  app.add_option("--statements", statements, "Samples per cycle (statements of a target)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--cycles", cycles, "Timed cycles per writer")
      ->capture_default_str()
      ->check(CLI::Range(1, 100'000));
  app.add_option("--warmup", warmup, "Untimed cycles of samples first (prepares statements)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--checkpoint-bytes-per-statement", checkpoint_per_statement,
                 "Size of each cycle's checkpoint, per statement")
      ->capture_default_str()
      ->check(CLI::Range(0, 10'000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int printed = app.exit(e);  // 0 after --help
    return printed == 0 ? 0 : 2;
  }
  const StoreLocation location = StoreLocation::parse(location_text);
  {
    // Created and migrated once, before the writers start.
    Store created = Store::open(location, StoreOpen::kCreate);
  }

  // Buckets of the last minutes up to now, one minute apart, the same for every writer
  // (collectors wake at the same interval boundaries).
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const int total_cycles = warmup + cycles;
  const int64_t first_bucket = floor_to(now, 60) - 60 * (total_cycles + 1);

  std::vector<WriterResult> results(static_cast<size_t>(writers));
  std::latch ready(writers);  // everyone registered and warmed up: the timed part starts
  Clock::time_point timed_start;
  std::mutex mutex;
  std::vector<Clock::time_point> ends(static_cast<size_t>(writers));
  auto writer = [&](int w) {
    WriterResult& r = results[static_cast<size_t>(w)];
    bool arrived = false;
    try {
      Store store = Store::open(location, StoreOpen::kCreate);
      const std::string target = "writer-" + std::to_string(w + 1);
      store.ensure_target(target, Engine::kPostgres);
      store.take_lease(target, LeaseHolder::this_process(), at(now), std::chrono::hours(1));
      const ServerIdentity server{std::to_string(7'000'000'000'000'000'000 + w), "15"};
      std::vector<StatementKey> keys;
      CycleWrite first{target, server, at(first_bucket), {}, {}, {}, {}};
      for (int i = 0; i < statements; ++i) {
        NewStatement s;
        s.key = StatementKey{"16384", "10", std::to_string(1'000'000'000'000 + i), true};
        // Shapes of a target's own: the worst case for the shared shapes table.
        s.shape.hash = "w" + std::to_string(w + 1) + "-" + std::to_string(i);
        s.shape.fingerprint = "SELECT v FROM t" + std::to_string(i % 50) + " WHERE id IN ($1) /* " +
                              s.shape.hash + " */";
        s.shape.tables = {"t" + std::to_string(i % 50)};
        keys.push_back(s.key);
        first.new_statements.push_back(std::move(s));
      }
      auto t0 = Clock::now();
      store.write_cycle(first);
      r.first_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();

      for (int c = 0; c < total_cycles; ++c) {
        const int64_t bucket = first_bucket + 60 * c;
        CycleWrite cycle{target, server, at(bucket + 60), {}, {}, {}, {}};
        cycle.samples.reserve(keys.size());
        for (int i = 0; i < statements; ++i) {
          Sample s;
          s.key = keys[static_cast<size_t>(i)];
          s.bucket_start = at(bucket);
          s.interval = std::chrono::seconds(60);
          s.measures = measures_for(i, c);
          r.calls += s.measures.calls;
          cycle.samples.push_back(std::move(s));
        }
        cycle.checkpoints.push_back(
            {"pg_stat_statements/v1",
             checkpoint_bytes(
                 static_cast<size_t>(checkpoint_per_statement) * static_cast<size_t>(statements),
                 static_cast<uint64_t>(w) * 100'000 + static_cast<uint64_t>(c))});
        if (c == warmup) {
          ready.arrive_and_wait();
          arrived = true;
          std::lock_guard lock(mutex);
          if (timed_start == Clock::time_point{}) timed_start = Clock::now();
        }
        const double cpu0 = thread_cpu_ms();
        t0 = Clock::now();
        store.write_cycle(cycle);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        const double cpu = thread_cpu_ms() - cpu0;
        // As collect does after each cycle, outside the cycle's time: SQLite's log folded
        // into the database file (a no-op on PostgreSQL). It counts in the rate.
        t0 = Clock::now();
        store.flush_wal();
        const double flush = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        if (c == 0) r.warm_ms = ms;
        if (c >= warmup) {
          r.cycle_ms.push_back(ms);
          r.cpu_ms.push_back(cpu);
          r.flush_ms.push_back(flush);
        }
      }
      ends[static_cast<size_t>(w)] = Clock::now();
    } catch (const std::exception& e) {
      r.error = e.what();
      if (!arrived) ready.count_down();
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) threads.emplace_back(writer, w);
  for (auto& t : threads) t.join();

  // Whether a store slows down as it fills: the cycles of the first and of the last fifth.
  std::vector<double> early_ms, late_ms;
  std::vector<double> all_ms, all_cpu, all_flush, first_ms, warm_ms;
  Clock::time_point last_end = timed_start;
  for (int w = 0; w < writers; ++w) {
    const WriterResult& r = results[static_cast<size_t>(w)];
    if (!r.error.empty()) {
      std::fprintf(stderr, "store-write-rate: writer-%d: %s\n", w + 1, r.error.c_str());
      return 1;
    }
    all_ms.insert(all_ms.end(), r.cycle_ms.begin(), r.cycle_ms.end());
    const size_t fifth = std::max<size_t>(1, r.cycle_ms.size() / 5);
    early_ms.insert(early_ms.end(), r.cycle_ms.begin(), r.cycle_ms.begin() + fifth);
    late_ms.insert(late_ms.end(), r.cycle_ms.end() - fifth, r.cycle_ms.end());
    all_cpu.insert(all_cpu.end(), r.cpu_ms.begin(), r.cpu_ms.end());
    all_flush.insert(all_flush.end(), r.flush_ms.begin(), r.flush_ms.end());
    first_ms.push_back(r.first_ms);
    warm_ms.push_back(r.warm_ms);
    last_end = std::max(last_end, ends[static_cast<size_t>(w)]);
  }
  const double wall = std::chrono::duration<double>(last_end - timed_start).count();
  const double samples = static_cast<double>(writers) * cycles * statements;
  const double rate = samples / wall;

  // What the store holds: every sample of every cycle, once (the calls of each target's
  // shapes over the whole run, as `top` reads them).
  Store store = Store::open(location, StoreOpen::kMustExist);
  bool complete = true;
  for (int w = 0; w < writers; ++w) {
    int64_t stored = 0;
    const std::string target = "writer-" + std::to_string(w + 1);
    for (const ShapeTotals& shape : store.top(
             {target, at(first_bucket - 3600), at(now + 3600), TopOrder::kCalls, statements})) {
      stored += shape.measures.calls;
    }
    if (stored != results[static_cast<size_t>(w)].calls) {
      std::fprintf(stderr, "store-write-rate: %s: %lld calls stored, %lld written\n",
                   target.c_str(), static_cast<long long>(stored),
                   static_cast<long long>(results[static_cast<size_t>(w)].calls));
      complete = false;
    }
  }
  const char* backend = location.kind == StoreLocation::Kind::kSqlite ? "sqlite" : "postgres";
  std::printf(
      "result backend=%s writers=%d statements=%d cycles=%d samples_per_s=%.0f wall_s=%.2f "
      "cycle_median_ms=%.1f cycle_p90_ms=%.1f cycle_max_ms=%.1f cpu_median_ms=%.1f "
      "flush_median_ms=%.1f register_ms=%.0f first_samples_ms=%.0f early_median_ms=%.1f "
      "late_median_ms=%.1f\n",
      backend, writers, statements, cycles, rate, wall, percentile(all_ms, 0.5),
      percentile(all_ms, 0.9), percentile(all_ms, 1.0), percentile(all_cpu, 0.5),
      percentile(all_flush, 0.5), percentile(first_ms, 0.5), percentile(warm_ms, 0.5),
      percentile(early_ms, 0.5), percentile(late_ms, 0.5));
  std::printf(
      "%s, %d writer(s) x %d cycles of %d samples: %.0f samples/s over %.2f s; a cycle %.1f ms "
      "median, %.1f ms p90 (client CPU %.1f ms)\n",
      backend, writers, cycles, statements, rate, wall, percentile(all_ms, 0.5),
      percentile(all_ms, 0.9), percentile(all_cpu, 0.5));
  return complete ? 0 : 1;
}
