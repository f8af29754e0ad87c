// Detection-quality simulator: writes realistic per-interval samples of thousands of query
// shapes into a fresh SQLite store through Store::write_cycle, injects latency regressions
// of known size, kind and start time into one target while a second target (same
// generator) stays untouched, runs detection the way `collect` does (detect_recent after
// every interval) and the way `check --release` does (compare_windows over the 30 minutes
// after each release), and prints recall by effect size and call volume, false findings
// per shape-day on the control target and the intervals from injection to detection.
//
// The generator, per shape: per-call latency lognormal (median 0.2–50 ms, log-sd 0.5–1.5:
// heavy-tailed); a daily cycle of the call rate (±60 %, peak at a per-target hour) and of
// latency with load (±10 %); per-interval latency jitter of the shape (lognormal, sd 0.1,
// or drawn from 0.1 to --max-minute-noise for noisier targets) and of the whole target
// (sd 0.05: a busy minute slows every shape); call counts negative-binomial (Poisson with a
// gamma(20) rate) around the seasonal rate, the mean rate log-uniform over 0.5–500 calls per
// minute. Sums (calls, Σx, Σx²) are of individually drawn calls, exactly as a slow-log
// source would store them.
//
// The week of baseline before the live days is written as one sample per shape and hour
// (the sum of its 60 generated minutes: what the hourly rollup would hold), then rolled up;
// the live days are written minute by minute, rolled up every hour like `collect` does.
//
// Usage: detection-quality-sim STORE_PATH [options]; --help lists them.
//
// The peer, run on the same data unless --no-peer: the method before the same-hours
// baseline and the confidence-bound size (a 7-day baseline right before the recent
// minutes, sizes judged on the measured ratio). --control-only writes and judges the
// control target alone, for long runs that bound the false-finding rate. The thresholds
// options tune continuous detection; release checks judge with check's defaults (and
// --min-ratio).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analyzer/regression/recent_detection.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store.h"

using namespace slowscope;

namespace {

constexpr int64_t kInterval = 60;
constexpr int64_t kDay = 86400;
constexpr int64_t kBaselineDays = 7;
// Monday 2026-01-05 00:00 UTC: a fixed start keeps runs reproducible.
constexpr int64_t kStart = 1767571200;
constexpr double kPi = 3.14159265358979323846;
// Each shape's mean drifts from minute to minute by a lognormal factor of this sd, and the
// whole target's by kTargetNoise: load, cache and lock effects the calls' own spread does
// not tell.
constexpr double kMinuteNoise = 0.1;
constexpr double kTargetNoise = 0.05;

StoreTime at(int64_t s) {
  return StoreTime(std::chrono::seconds(s));
}

struct Options {
  std::string store_path;
  int shapes = 1000;  // per target
  int days = 1;       // live days: detection passes at every interval
  uint64_t seed = 1;
  int release_every = 60;            // minutes between releases (injection times)
  bool peer = true;                  // also run the previous method
  bool control_only = false;         // no injected target, no release checks
  bool read_afresh = false;          // raw intervals read every pass, not kept as collect does
  double min_ratio = 0;              // 0: the detector's default
  double short_min_ratio = 0;        // 0: detect_recent's default
  double size_z = -1;                // < 0: the detector's default size_confidence_z
  double short_size_z = -1;          // < 0: detect_recent's default
  double short_interval_ratio = -1;  // < 0: detect_recent's default
  int64_t short_min_calls = -1;      // < 0: detect_recent's default
  int spread_floor = -1;             // short windows' spread floor; < 0: detect_recent's default
  double short_low = -1;             // short windows' min_ratio_low; < 0: detect_recent's default
  double short_low_z = -1;           // and its z; < 0: detect_recent's default
  double precise_min_ratio = -1;     // short windows' precise rule; < 0: the default
  double short_noise = -1;           // its interval noise; < 0: the default
  double precise_min_z = -1;         // its min z; < 0: the default
  double max_minute_noise = kMinuteNoise;  // shapes' minute noise drawn up to this
  double drift_z = -1;                     // detect_recent's drift_z; < 0: the default
  int noise_span = -1;                     // minutes of drift measurement; < 0: the default
  double drift_widening = -1;              // drift_estimate_widening; < 0: the default
  std::vector<int> short_windows;          // minutes; empty: detect_recent's default
  std::vector<int> long_windows;           // minutes; empty: detect_recent's default
  std::string baseline_mode;               // empty: detect_recent's default
};

// The regressions injected: steps of these ratios, then ramps.
struct InjectionKind {
  std::string name;
  double factor;
  int64_t ramp_seconds;  // 0 for a step
};

const std::vector<InjectionKind>& injection_kinds() {
  static const std::vector<InjectionKind> kinds = {
      {"step 1.2x", 1.2, 0},
      {"step 1.5x", 1.5, 0},
      {"step 2x", 2, 0},
      {"step 3x", 3, 0},
      {"step 5x", 5, 0},
      {"ramp to 2x in 1 h", 2, 3600},
      {"ramp to 3x in 6 h", 3, 6 * 3600},
  };
  return kinds;
}

// Passes after the end of a ramp (or after a step) within which a detection counts.
constexpr int64_t kHorizonIntervals = 60;

struct ShapeModel {
  double median;                       // per-call seconds
  double log_sd;                       // of the per-call lognormal
  double rate;                         // mean calls per minute
  double minute_noise = kMinuteNoise;  // sd of its per-minute log-mean drift
  int kind = -1;                       // index into injection_kinds(); -1: never injected
  int64_t start = 0;                   // injection time
};

// The mean per-call time of a lognormal is its median times exp(sd² / 2).
double mean_time(const ShapeModel& m) {
  return m.median * std::exp(m.log_sd * m.log_sd / 2);
}

// Whether the injected regression adds at least `min_delta` seconds per call (at average
// load): smaller ones are not regressions by the detector's own thresholds, and are left
// out of recall.
bool practically_large(const ShapeModel& m, double min_delta) {
  return m.kind >= 0 && mean_time(m) * (injection_kinds()[m.kind].factor - 1) >= min_delta;
}

// The per-call coefficient of variation of a lognormal: sqrt(exp(sd²) - 1).
double per_call_cv(const ShapeModel& m) {
  return std::sqrt(std::exp(m.log_sd * m.log_sd) - 1);
}

// A step of at least `factor` that counts in recall (2x: what "within 2 intervals" is
// asked of).
bool counted_step(const ShapeModel& m, double min_delta, double factor) {
  if (!practically_large(m, min_delta)) return false;  // also: not injected
  const InjectionKind& k = injection_kinds()[m.kind];
  return k.ramp_seconds == 0 && k.factor >= factor;
}

// Volume classes by the calls a 15-minute window holds at the mean rate.
int volume_class(double rate) {
  const double per_window = rate * 15;
  return per_window < 100 ? 0 : per_window < 1000 ? 1 : 2;
}
const char* const kVolumeNames[] = {"<100", "100-1k", ">=1k"};

class Target {
 public:
  // Shapes' minute noise is drawn uniformly from kMinuteNoise to max_minute_noise; at
  // kMinuteNoise no draw is made, so the default runs keep their random streams.
  Target(std::string name, int shapes, double peak_hour, double max_minute_noise,
         std::mt19937_64& rng)
      : name_(std::move(name)), peak_hour_(peak_hour) {
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < shapes; ++i) {
      ShapeModel m;
      m.median = 0.0002 * std::pow(250.0, u(rng));
      m.log_sd = 0.5 + u(rng);
      m.rate = 0.5 * std::pow(1000.0, u(rng));
      if (max_minute_noise > kMinuteNoise) {
        m.minute_noise = kMinuteNoise + (max_minute_noise - kMinuteNoise) * u(rng);
      }
      models_.push_back(m);
    }
  }

  const std::string& name() const { return name_; }
  std::vector<ShapeModel>& models() { return models_; }
  const ShapeModel& model(int i) const { return models_[i]; }
  std::string hash(int i) const { return name_ + "-" + std::to_string(i); }

  // Shape i's expected calls per minute at time t (its daily cycle, without noise).
  double rate_at(int i, int64_t t) const {
    return models_[i].rate * (1 + 0.6 * std::cos(phase_at(t)));
  }

  // The regression multiplier of shape i at time t.
  double regression(int i, int64_t t) const {
    const ShapeModel& m = models_[i];
    if (m.kind < 0 || t < m.start) return 1;
    const InjectionKind& k = injection_kinds()[m.kind];
    if (k.ramp_seconds == 0 || t >= m.start + k.ramp_seconds) return k.factor;
    return 1 + (k.factor - 1) * static_cast<double>(t - m.start) / k.ramp_seconds;
  }

  // One interval [t, t + kInterval) of every shape, appended per shape to `sums`.
  void generate(int64_t t, std::mt19937_64& rng, std::vector<Measures>& sums) const {
    const double load = std::cos(phase_at(t));  // 1 at the peak hour
    std::normal_distribution<double> z(0, 1);
    const double target_jitter = std::exp(kTargetNoise * z(rng));
    std::gamma_distribution<double> rate_noise(20, 1.0 / 20);
    for (size_t i = 0; i < models_.size(); ++i) {
      const ShapeModel& m = models_[i];
      const double rate = m.rate * (1 + 0.6 * load) * rate_noise(rng);
      const int64_t calls = std::poisson_distribution<int64_t>(rate)(rng);
      const double scale = m.median * (1 + 0.1 * load) * target_jitter *
                           std::exp(m.minute_noise * z(rng)) * regression(static_cast<int>(i), t);
      Measures& s = sums[i];
      s.calls += calls;
      for (int64_t c = 0; c < calls; ++c) {
        const double x = scale * std::exp(m.log_sd * z(rng));
        s.total_time += x;
        s.sum_sq += x * x;
      }
    }
  }

  // Writes one sample per shape covering [t, t + step).
  void write(Store& store, int64_t t, int64_t step, const std::vector<Measures>& sums) {
    CycleWrite cycle;
    cycle.target = name_;
    cycle.server = {"7100000000000000001", "15"};
    cycle.collected_at = at(t + step);
    for (size_t i = 0; i < models_.size(); ++i) {
      const StatementKey key{"1", "10", hash(static_cast<int>(i)), true};
      if (!registered_) {
        cycle.new_statements.push_back(
            {key, ShapeInfo{hash(static_cast<int>(i)), "select " + hash(static_cast<int>(i)), {}},
             "q"});
      }
      if (sums[i].calls == 0) continue;  // collectors write only statements that ran
      Sample s;
      s.key = key;
      s.bucket_start = at(t);
      s.interval = std::chrono::seconds(step);
      s.measures = sums[i];
      cycle.samples.push_back(std::move(s));
    }
    store.write_cycle(cycle);
    registered_ = true;
  }

 private:
  double phase_at(int64_t t) const {
    return 2 * kPi * (static_cast<double>(t % kDay) / kDay - peak_hour_ / 24);
  }

  std::string name_;
  double peak_hour_;
  std::vector<ShapeModel> models_;
  bool registered_ = false;
};

// Shape index from a finding's hash ("target-123").
int shape_index(const std::string& hash) {
  return std::atoi(hash.c_str() + hash.rfind('-') + 1);
}

struct Cell {
  int injected = 0;
  int detected = 0;
  std::vector<int64_t> intervals;  // to detection
};

struct CheckCell {
  int checked = 0;  // by a release check 30 minutes after the injection
  int detected = 0;
};

// One way of running continuous detection, and what it found.
struct Method {
  std::string name;
  RecentDetectionOptions options;
  std::vector<int64_t> detected_at;        // per injected shape; -1: not yet
  std::set<std::string> previous_control;  // control findings of the previous pass
  int control_findings = 0;                // new ones: not found in the previous pass
  int64_t finding_passes = 0;              // control findings summed over passes
  double seconds = 0;
  int64_t passes = 0;
  // Each target's raw intervals kept between passes, as collect keeps them; null: read afresh.
  std::unique_ptr<RecentIntervals> kept_control, kept_injected;

  void pass(Store& store, const Target& control, const Target* injected, int64_t now) {
    const auto t0 = std::chrono::steady_clock::now();
    const TargetCheck c =
        detect_recent(store, control.name(), at(now), options, kept_control.get());
    const TargetCheck i =
        injected ? detect_recent(store, injected->name(), at(now), options, kept_injected.get())
                 : TargetCheck{};
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    passes += injected ? 2 : 1;
    std::set<std::string> current;
    for (const Finding& f : c.findings) {
      current.insert(f.key.id());
      if (previous_control.count(f.key.id())) continue;
      ++control_findings;
      std::fprintf(stderr,
                   "%s: control finding at +%lld min: %s ratio %.2f, %lld calls (%lld before; "
                   "%.1f a minute on average, minute noise %.2f)\n",
                   name.c_str(), static_cast<long long>((now % kDay) / 60), f.key.id().c_str(),
                   f.ratio, static_cast<long long>(f.after_calls),
                   static_cast<long long>(f.before_calls),
                   control.model(shape_index(f.key.shape_hash)).rate,
                   control.model(shape_index(f.key.shape_hash)).minute_noise);
    }
    finding_passes += static_cast<int64_t>(current.size());
    previous_control = std::move(current);
    for (const Finding& f : i.findings) {
      const int s = shape_index(f.key.shape_hash);
      const ShapeModel& m = injected->model(s);
      if (m.kind < 0 || now <= m.start || detected_at[s] >= 0) continue;
      detected_at[s] = now;
    }
  }

  // Recall and time to detection per (kind, volume class).
  std::vector<Cell> cells(const Target& injected, double min_delta) const {
    std::vector<Cell> out(injection_kinds().size() * 3);
    for (int s = 0; s < static_cast<int>(detected_at.size()); ++s) {
      const ShapeModel& m = injected.model(s);
      if (m.kind < 0) continue;
      const InjectionKind& k = injection_kinds()[m.kind];
      if (!practically_large(m, min_delta)) continue;
      Cell& cell = out[m.kind * 3 + volume_class(m.rate)];
      ++cell.injected;
      const int64_t horizon = m.start + k.ramp_seconds + kHorizonIntervals * kInterval;
      if (detected_at[s] >= 0 && detected_at[s] <= horizon) {
        ++cell.detected;
        cell.intervals.push_back((detected_at[s] - m.start) / kInterval);
      }
    }
    return out;
  }
};

// "not found", or how many intervals after `start` detection came.
std::string found_text(int64_t at, int64_t start) {
  return at < 0 ? "not found" : std::to_string((at - start) / kInterval) + " intervals";
}

int64_t percentile(std::vector<int64_t> v, double q) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

// "median / p90 / max" intervals to detection.
std::string interval_text(const Cell& c) {
  if (c.intervals.empty()) return "–";
  return std::to_string(percentile(c.intervals, 0.5)) + " / " +
         std::to_string(percentile(c.intervals, 0.9)) + " / " +
         std::to_string(percentile(c.intervals, 1.0));
}

std::string percent(int num, int den) {
  if (den == 0) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %% (%d/%d)", 100.0 * num / den, num, den);
  return buf;
}

// Parses the command line with CLI11; prints CLI11's message and exits, 2 on a usage error, 0
// after --help. Tuning options left out keep the detector's defaults (the sentinels in Options).
Options parse(int argc, char** argv) {
  Options o;
  CLI::App app(
      "Writes simulated per-interval samples of thousands of query shapes into a fresh SQLite "
      "store, injects latency regressions of known size into one target, keeps a second "
      "target as the control, runs detection the way collect and check --release do, and "
      "prints recall, false findings per shape-day and intervals to detection.",
      "detection-quality-sim");
  app.add_option("STORE_PATH", o.store_path, "SQLite store to create; it must not exist yet")
      ->required()
      ->check(CLI::NonexistentPath);
  app.add_option("--shapes", o.shapes, "Query shapes per target")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  app.add_option("--days", o.days, "Live days (detection after every 1-minute interval)")
      ->capture_default_str()
      ->check(CLI::Range(1, 366));
  app.add_option("--seed", o.seed, "Random seed: the same seed writes the same data")
      ->capture_default_str();
  app.add_option("--release-every", o.release_every, "Minutes between releases (injections)")
      ->capture_default_str()
      ->check(CLI::Range(1, 24 * 60));
  app.add_option("--max-minute-noise", o.max_minute_noise,
                 "Each shape's minute-to-minute drift (log sd) is drawn from 0.1 up to this; "
                 "0.1 keeps every shape at 0.1")
      ->capture_default_str()
      ->check(CLI::Range(kMinuteNoise, 5.0));
  bool no_peer = false;
  app.add_flag("--no-peer", no_peer, "Skip the previous method's run on the same data");
  app.add_flag("--control-only", o.control_only,
               "Write and judge the control target only (long false-finding runs)");
  app.add_flag("--read-afresh", o.read_afresh,
               "Read each pass's raw intervals afresh instead of keeping them between passes "
               "as collect does (the same findings, slower)");

  // Detection tuning, each option in its own help group: most take a non-negative number.
  const auto tune = [&](const std::string& name, auto& value, const std::string& what) {
    return app.add_option(name, value, what)
        ->group("Detection tuning (default: the detector's value)");
  };
  const auto tune_nonnegative = [&](const std::string& name, auto& value, const std::string& what) {
    return tune(name, value, what)->check(CLI::Range(0.0, 1e9));
  };
  tune("--min-ratio", o.min_ratio, "Latency min_ratio of every window")
      ->check(CLI::Range(1.0, 1000.0));
  tune("--short-min-ratio", o.short_min_ratio, "min_ratio of the short windows")
      ->check(CLI::Range(1.0, 1000.0));
  tune_nonnegative("--size-z", o.size_z, "size_confidence_z of the post window");
  tune_nonnegative("--short-size-z", o.short_size_z, "size_confidence_z of the short windows");
  tune_nonnegative("--short-interval-ratio", o.short_interval_ratio,
                   "Short windows: ratio every interval must show");
  tune_nonnegative("--short-min-calls", o.short_min_calls, "Short windows' min calls");
  tune("--spread-floor", o.spread_floor, "Short windows' spread floor: 0 or 1")
      ->check(CLI::IsMember({0, 1}));
  tune_nonnegative("--short-low", o.short_low, "Short windows' min_ratio_low");
  tune_nonnegative("--short-low-z", o.short_low_z, "z of the short windows' min_ratio_low");
  tune_nonnegative("--precise-min-ratio", o.precise_min_ratio, "Short windows' precise rule");
  tune_nonnegative("--short-noise", o.short_noise, "Short windows' interval-noise floor");
  tune_nonnegative("--precise-min-z", o.precise_min_z, "Min z of the precise rule");
  tune_nonnegative("--drift-z", o.drift_z, "drift_z of every window");
  tune_nonnegative("--noise-span", o.noise_span,
                   "Minutes before each window its shapes' drift is measured on");
  tune_nonnegative("--drift-widening", o.drift_widening,
                   "drift_estimate_widening: drift_z raised for a drift measured on few intervals");
  tune("--short-windows", o.short_windows, "Short windows in minutes, e.g. 2,5")
      ->delimiter(',')
      ->check(CLI::Range(1, 24 * 60));
  tune("--long-windows", o.long_windows, "Long windows in minutes, e.g. 60")
      ->delimiter(',')
      ->check(CLI::Range(1, 24 * 60));
  tune("--baseline-mode", o.baseline_mode, "Baseline of the continuous windows")
      ->check(CLI::IsMember({"same-hours", "previous"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int printed = app.exit(e);  // 0 after --help
    std::exit(printed == 0 ? 0 : 2);
  }
  o.peer = !no_peer;
  return o;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  std::mt19937_64 rng(o.seed);
  Store store(std::make_unique<SqliteConnection>(o.store_path));
  std::vector<Target> targets;
  targets.emplace_back("control", o.shapes, 14.0, o.max_minute_noise, rng);
  targets.emplace_back("injected", o.shapes, 14.0, o.max_minute_noise, rng);
  Target& control = targets[0];
  Target& injected = targets[1];
  for (Target& t : targets) store.ensure_target(t.name(), Engine::kPostgres);

  const int64_t live_from = kStart + kBaselineDays * kDay;
  const int64_t live_until = live_from + o.days * kDay;
  // Releases every release_every minutes from the second hour; each injects into an equal
  // share of the injected target's shapes, every kind at every release where it fits.
  std::vector<int64_t> releases;
  for (int64_t r = live_from + 3600; !o.control_only && r < live_until; r += o.release_every * 60) {
    releases.push_back(r);
  }
  {
    std::vector<int> order(o.shapes);
    for (int i = 0; i < o.shapes; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    const int kinds = static_cast<int>(injection_kinds().size());
    for (int j = 0; j < o.shapes; ++j) {
      ShapeModel& m = injected.models()[order[j]];
      m.kind = j % kinds;
      const InjectionKind& k = injection_kinds()[m.kind];
      const int64_t latest = live_until - k.ramp_seconds - kHorizonIntervals * kInterval;
      std::vector<int64_t> fitting;
      for (int64_t r : releases) {
        if (r <= latest) fitting.push_back(r);
      }
      if (fitting.empty()) {
        m.kind = -1;
        continue;
      }
      m.start = fitting[(j / kinds) % fitting.size()];
    }
  }

  const auto t0 = std::chrono::steady_clock::now();
  std::mt19937_64 gen_rng(o.seed * 7919 + 1);
  std::vector<Target*> simulated{&control};
  if (!o.control_only) simulated.push_back(&injected);
  // The baseline week, one sample per shape and hour.
  for (int64_t h = kStart; h < live_from; h += 3600) {
    for (Target* t : simulated) {
      std::vector<Measures> sums(o.shapes);
      for (int64_t m = h; m < h + 3600; m += kInterval) t->generate(m, gen_rng, sums);
      t->write(store, h, 3600, sums);
    }
  }
  const Retention retention;  // the defaults `collect` uses
  store.rollup_and_prune(at(live_from), retention);
  const double history_seconds = seconds_since(t0);

  // The method judged, and the previous one as its peer on the same data.
  std::vector<Method> methods(o.peer ? 2 : 1);
  methods[0].name = "default";
  if (o.min_ratio > 0) methods[0].options.detection.latency.min_ratio = o.min_ratio;
  if (o.short_min_ratio > 0) methods[0].options.short_window_min_ratio = o.short_min_ratio;
  if (o.size_z >= 0) methods[0].options.detection.latency.size_confidence_z = o.size_z;
  if (!o.baseline_mode.empty()) {
    const auto mode = parse_baseline_mode(o.baseline_mode);
    if (!mode) {
      std::fprintf(stderr, "--baseline-mode: same-hours or previous\n");
      return 2;
    }
    methods[0].options.baseline_mode = *mode;
  }
  if (o.short_size_z >= 0) methods[0].options.short_window_size_z = o.short_size_z;
  if (o.spread_floor >= 0)
    methods[0].options.short_window_spread_at_least_baseline = o.spread_floor != 0;
  if (o.short_interval_ratio >= 0) {
    methods[0].options.short_window_min_interval_ratio = o.short_interval_ratio;
  }
  if (o.short_min_calls >= 0) methods[0].options.short_window_min_calls = o.short_min_calls;
  if (o.short_low >= 0) methods[0].options.short_window_min_ratio_low = o.short_low;
  if (o.short_low_z >= 0) methods[0].options.short_window_low_z = o.short_low_z;
  if (o.precise_min_ratio >= 0) {
    methods[0].options.short_window_precise_min_ratio = o.precise_min_ratio;
  }
  if (o.short_noise >= 0) methods[0].options.short_window_interval_noise = o.short_noise;
  if (o.drift_z >= 0) methods[0].options.drift_z = o.drift_z;
  if (o.noise_span >= 0) methods[0].options.noise_span = std::chrono::minutes(o.noise_span);
  if (o.drift_widening >= 0) methods[0].options.drift_estimate_widening = o.drift_widening;
  if (o.precise_min_z >= 0) methods[0].options.short_window_precise_min_z = o.precise_min_z;
  if (!o.short_windows.empty()) {
    methods[0].options.short_windows.clear();
    for (int w : o.short_windows)
      methods[0].options.short_windows.push_back(std::chrono::minutes(w));
  }
  if (!o.long_windows.empty()) {
    methods[0].options.long_windows.clear();
    for (int w : o.long_windows) methods[0].options.long_windows.push_back(std::chrono::minutes(w));
  }
  if (o.peer) {
    methods[1].name = "previous baseline, measured size";
    methods[1].options = methods[0].options;
    methods[1].options.baseline_mode = BaselineMode::kPrevious;
    methods[1].options.detection.latency.size_confidence_z = 0;
    methods[1].options.short_window_size_z = 0;
    methods[1].options.short_window_min_interval_ratio = 0;
    methods[1].options.short_window_min_calls = 0;
    methods[1].options.short_window_spread_at_least_baseline = false;
    methods[1].options.short_window_precise_min_ratio = 0;
  }
  for (Method& m : methods) {
    m.detected_at.assign(o.shapes, -1);
    if (!o.read_afresh) {
      m.kept_control = std::make_unique<RecentIntervals>();
      m.kept_injected = std::make_unique<RecentIntervals>();
    }
  }
  const DetectionOptions& detection = methods[0].options.detection;
  // Release checks judge as `check` does: with its own defaults (and --min-ratio).
  DetectionOptions check_detection;
  check_detection.latency.min_ratio = detection.latency.min_ratio;
  const int kinds = static_cast<int>(injection_kinds().size());
  std::vector<CheckCell> check_cells(kinds * 3);
  int check_false = 0;
  int64_t check_shape_tests = 0;
  const auto live_t0 = std::chrono::steady_clock::now();
  for (int64_t t = live_from; t < live_until; t += kInterval) {
    for (Target* target : simulated) {
      std::vector<Measures> sums(o.shapes);
      target->generate(t, gen_rng, sums);
      target->write(store, t, kInterval, sums);
    }
    const int64_t now = t + kInterval;
    if (now % 3600 == 0) store.rollup_and_prune(at(now), retention);
    for (Method& m : methods) m.pass(store, control, o.control_only ? nullptr : &injected, now);

    // Release checks 30 minutes after each release, on both targets.
    for (int64_t r : releases) {
      if (now != r + 1800) continue;
      const ComparisonWindows w = comparison_windows(
          {at(r), at(now)}, std::chrono::days(kBaselineDays), BaselineMode::kPrevious);
      const TargetCheck rc = compare_windows(store, injected.name(), w, check_detection);
      std::set<int> found;
      for (const Finding& f : rc.findings) found.insert(shape_index(f.key.shape_hash));
      for (int s = 0; s < o.shapes; ++s) {
        const ShapeModel& m = injected.models()[s];
        if (!practically_large(m, detection.latency.min_delta) || m.start != r) continue;
        CheckCell& cell = check_cells[m.kind * 3 + volume_class(m.rate)];
        ++cell.checked;
        if (found.count(s)) ++cell.detected;
      }
      const TargetCheck cc = compare_windows(store, control.name(), w, check_detection);
      check_false += static_cast<int>(cc.findings.size());
      check_shape_tests += cc.shapes_compared;
    }
  }
  const double live_seconds = seconds_since(live_t0);

  std::vector<std::vector<Cell>> cells;
  const double min_delta = detection.latency.min_delta;
  for (const Method& m : methods) cells.push_back(m.cells(injected, min_delta));
  int small = 0;
  for (const ShapeModel& m : injected.models())
    small += m.kind >= 0 && !practically_large(m, min_delta);

  std::printf(
      "detection-quality: %d shapes per target (%s), %d live day(s) after a "
      "%lld-day baseline, seed %llu, %zu releases\n",
      o.shapes, o.control_only ? "control only" : "control, injected", o.days,
      static_cast<long long>(kBaselineDays), static_cast<unsigned long long>(o.seed),
      releases.size());
  std::printf("time: baseline written in %.1f s; live phase %.1f s\n", history_seconds,
              live_seconds);
  for (const Method& m : methods) {
    std::printf("detect_recent, %s: %.1f ms per pass over %d shapes (%lld passes)\n",
                m.name.c_str(), 1000 * m.seconds / static_cast<double>(m.passes), o.shapes,
                static_cast<long long>(m.passes));
  }
  std::printf(
      "\nContinuous detection (detect_recent after every 1-minute interval): recall "
      "within %lld intervals (after the end of a ramp) and intervals from injection to "
      "detection (median / p90 / max)%s; release check 30 minutes after the release.\n\n",
      static_cast<long long>(kHorizonIntervals),
      o.peer ? "; the same for the previous method" : "");
  std::printf(
      "%d injected regressions add less than %.1f ms per call (--min-delta) and are left out "
      "of the table.\n\n",
      small, 1000 * min_delta);
  std::printf("| injected | calls per 15 min | recall | intervals | %scheck recall |\n",
              o.peer ? "recall, previous method | intervals, previous method | " : "");
  std::printf("| --- | --- | --- | --- | %s--- |\n", o.peer ? "--- | --- | " : "");
  for (int k = 0; k < kinds; ++k) {
    for (int v = 0; v < 3; ++v) {
      std::printf("| %s | %s |", injection_kinds()[k].name.c_str(), kVolumeNames[v]);
      for (const auto& method_cells : cells) {
        const Cell& c = method_cells[k * 3 + v];
        std::printf(" %s | %s |", percent(c.detected, c.injected).c_str(),
                    interval_text(c).c_str());
      }
      const CheckCell& cc = check_cells[k * 3 + v];
      std::printf(" %s |\n", percent(cc.detected, cc.checked).c_str());
    }
  }
  std::printf("\n");
  const double shape_days = static_cast<double>(o.shapes) * o.days;
  for (size_t i = 0; i < methods.size(); ++i) {
    // Targets of the issue, summarized.
    int big_n = 0, big_hit = 0, step2_n = 0, step2_fast = 0, busy2_n = 0, busy2_fast = 0;
    int shown2_n = 0, shown2_fast = 0;
    for (int k = 0; k < kinds; ++k) {
      const InjectionKind& kind = injection_kinds()[k];
      if (kind.ramp_seconds != 0) continue;
      for (int v = 1; v < 3; ++v) {
        const Cell& c = cells[i][k * 3 + v];
        if (kind.factor >= 1.5) {
          big_n += c.injected;
          big_hit += c.detected;
        }
        if (kind.factor >= 2) {
          step2_n += c.injected;
          for (int64_t d : c.intervals) step2_fast += d <= 2;
          if (v == 2) {
            busy2_n += c.injected;
            for (int64_t d : c.intervals) busy2_fast += d <= 2;
          }
        }
      }
    }
    const Method& m = methods[i];
    // Steps >= 2x whose first 2 intervals carry the evidence: a mean over n calls of a
    // per-call CV c tells a 2x step by at most 0.5 sqrt(n) / c standard errors (the
    // difference of means over the post mean's standard error), at least 4.5 here.
    // And those a test at 4.5 standard errors finds in 2 intervals 95 % of the time: a 2x
    // step's log ratio, ln 2, at least 4.5 + 1.645 standard errors of the 2-interval log
    // mean, its calls' (c² / n) and its drift's (the shape's and the target's, over 2).
    int powered_n = 0, powered_fast = 0;
    for (int s = 0; s < o.shapes; ++s) {
      const ShapeModel& sm = injected.model(s);
      if (!counted_step(sm, min_delta, 2)) continue;
      const double calls = 2 * injected.rate_at(s, sm.start);
      const double cv = per_call_cv(sm);
      const int64_t at = m.detected_at[s];
      const bool fast = at >= 0 && (at - sm.start) / kInterval <= 2;
      if (0.5 * std::sqrt(calls) / cv >= 4.5) {
        ++shown2_n;
        shown2_fast += fast;
      }
      const double drift2 = sm.minute_noise * sm.minute_noise + kTargetNoise * kTargetNoise;
      if (std::log(2.0) / std::sqrt(cv * cv / calls + drift2 / 2) >= 4.5 + 1.645) {
        ++powered_n;
        powered_fast += fast;
      }
    }
    std::printf("%s:\n", m.name.c_str());
    std::printf("  recall, steps >= 1.5x, >= 100 calls per 15 min at the mean rate: %s\n",
                percent(big_hit, big_n).c_str());
    // The volume classes go by a shape's mean rate; the 15-minute window at the injection
    // hour holds 0.4-1.6 times that (daily load). Recall of the steps whose window there
    // holds >= 100 calls, and those missed among either, with what makes them hard.
    int window_n = 0, window_hit = 0;
    for (int s = 0; s < o.shapes; ++s) {
      const ShapeModel& sm = injected.model(s);
      if (!counted_step(sm, min_delta, 1.5)) continue;
      const InjectionKind& k = injection_kinds()[sm.kind];
      const double window_calls = 15 * injected.rate_at(s, sm.start);
      const int64_t at = m.detected_at[s];
      const bool found = at >= 0 && at <= sm.start + kHorizonIntervals * kInterval;
      if (window_calls >= 100) {
        ++window_n;
        window_hit += found;
      }
      if (found || (volume_class(sm.rate) == 0 && window_calls < 100)) continue;
      std::printf(
          "    missed: %s on shape %d at +%lld min, %.0f calls a minute (%.0f at that hour), "
          "per-call CV %.1f, minute noise %.2f: %s\n",
          k.name.c_str(), s, static_cast<long long>((sm.start % kDay) / 60), sm.rate,
          injected.rate_at(s, sm.start), per_call_cv(sm), sm.minute_noise,
          found_text(at, sm.start).c_str());
    }
    std::printf(
        "  recall, steps >= 1.5x, >= 100 calls in the 15 minutes after the injection (at that "
        "hour's rate): %s\n",
        percent(window_hit, window_n).c_str());
    std::printf("  steps >= 2x, >= 100 calls per 15 min, found within 2 intervals: %s\n",
                percent(step2_fast, step2_n).c_str());
    std::printf(
        "  steps >= 2x, >= 1,000 calls per 15 min (>= 133 per 2 intervals), found within 2 "
        "intervals: %s\n",
        percent(busy2_fast, busy2_n).c_str());
    std::printf(
        "  steps >= 2x whose 2 intervals show 2x at >= 4.5 standard errors of the mean (calls "
        "in 2 intervals at that hour >= (9 CV)^2), found within 2 intervals: %s\n",
        percent(shown2_fast, shown2_n).c_str());
    std::printf(
        "  steps >= 2x that a 4.5-standard-error test finds in 2 intervals 95 %% of the time "
        "(ln 2 >= 6.1 standard errors of the 2-interval log mean, calls and drift), found "
        "within 2 intervals: %s\n",
        percent(powered_fast, powered_n).c_str());
    // The busy steps that took longer, with what makes them hard: per-call spread, volume.
    for (int s = 0; s < o.shapes; ++s) {
      const ShapeModel& sm = injected.model(s);
      if (!counted_step(sm, min_delta, 2) || volume_class(sm.rate) != 2) continue;
      const InjectionKind& k = injection_kinds()[sm.kind];
      const int64_t at = m.detected_at[s];
      if (at >= 0 && (at - sm.start) / kInterval <= 2) continue;
      std::printf(
          "    after 2 intervals: %s on shape %d at +%lld min, %.0f calls a minute (%.0f at that "
          "hour), per-call CV %.1f: %s\n",
          k.name.c_str(), s, static_cast<long long>((sm.start % kDay) / 60), sm.rate,
          injected.rate_at(s, sm.start), per_call_cv(sm), found_text(at, sm.start).c_str());
    }
    std::printf(
        "  control target: %d new findings in %.0f shape-days = %.2f per 1,000 = %.2f per "
        "10,000 shape-days (%lld finding-passes)\n",
        m.control_findings, shape_days, 1000 * m.control_findings / shape_days,
        10000 * m.control_findings / shape_days, static_cast<long long>(m.finding_passes));
  }
  std::printf(
      "release checks on the control target: %d findings in %lld shape tests (%zu checks)\n",
      check_false, static_cast<long long>(check_shape_tests), releases.size());
  return 0;
}
