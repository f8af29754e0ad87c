#include "app/collect.h"

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "analyzer/config/setting_rules.h"
#include "analyzer/error/errors.h"
#include "analyzer/regression/continuous_detection.h"
#include "analyzer/store/tiers.h"
#include "analyzer/time/utc_time.h"
#include "app/alert_sender.h"
#include "app/alert_setup.h"
#include "app/cycle_watchdog.h"
#include "app/finding_alerts.h"
#include "app/health_alerts.h"
#include "app/log_format.h"
#include "app/run_metrics.h"
#include "app/store_alerts.h"
#include "connectors/collector_factory.h"
#include "reports/text/digest_text.h"
#include "reports/text/finding_text.h"

namespace slowscope {
namespace {

using Clock = std::chrono::system_clock;

StoreTime store_time(Clock::time_point t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

// Daily rollups and pruning run at the first cycle — so that `collect --once`, run from
// cron, applies the retention too — then every this many cycles, from the first target's
// thread.
constexpr int kRollupEveryCycles = 15;
// Retry delays after failures: 5 s, 10 s, 20 s, ... never more than the interval.
constexpr std::chrono::seconds kFirstRetry{5};

// Waits for SIGINT/SIGTERM (blocked in every thread) and turns them into a stop request.
// SIGHUP, which service managers and log rotation tools send to reopen log files, is
// taken too, so that it never ends the process: slowscope writes no file of its own to
// reopen (it logs to stderr), and follows a rotated slow log by itself.
class SignalWatcher {
 public:
  explicit SignalWatcher(StopSignal& stop) : stop_(stop) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    thread_ = std::thread([this] { watch(); });
  }
  ~SignalWatcher() {
    done_ = true;
    thread_.join();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

 private:
  void watch() {
    const timespec tick{0, 100'000'000};
    while (!done_) {
      const int sig = sigtimedwait(&signals_, nullptr, &tick);
      if (sig == SIGINT || sig == SIGTERM) {
        spdlog::info("{} received: finishing the current cycle",
                     sig == SIGINT ? "SIGINT" : "SIGTERM");
        stop_.request();
      } else if (sig == SIGHUP) {
        spdlog::info(
            "SIGHUP received: nothing to reopen (slowscope logs to stderr and follows rotated "
            "slow logs by itself); collection goes on");
      }
    }
  }

  StopSignal& stop_;
  sigset_t signals_{};
  sigset_t previous_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// The line a newly opened, reopened or resolved finding gets: its identity, numbers and
// fingerprint (normalized text: no literal values), made safe for a terminal.
// `added_time`: the pass's findings so far, so that a shape's added time is shown once.
std::string finding_line(const FindingChange& change, AddedTimeOnce& added_time) {
  const FindingRecord& r = change.record;
  std::string text = fmt::format("finding {}: {} ({}", to_string(change.event), r.id(), r.severity);
  if (const std::optional<Finding> finding = finding_of_record(r)) {
    text += ", " + added_time.evidence(*finding);
  }
  if (!r.release.empty()) text += ", after release " + terminal_safe(r.release, 80);
  return text + "): " + terminal_safe(r.fingerprint, 200);
}

// Runs one detection pass of `what` ("detection", "trends") and logs the findings it
// opened, reopened or resolved. Never throws: detection failing must not stop collection,
// so a failure is logged, counted and the next pass tries again.
void judge(const std::string& name, const char* what,
           const std::function<DetectionPassReport()>& run_pass, int& failures) {
  const auto start = std::chrono::steady_clock::now();
  try {
    const DetectionPassReport report = run_pass();
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    AddedTimeOnce found, resolved;
    for (const FindingChange& c : report.changes) {
      if (c.event == FindingEvent::kOpened || c.event == FindingEvent::kReopened) {
        spdlog::warn("{}: {}", name, finding_line(c, found));
      } else if (c.event == FindingEvent::kResolved) {
        spdlog::info("{}: {}", name, finding_line(c, resolved));
      }
    }
    if (report.check.evaluated) {
      spdlog::debug("{}: {} {:.1f} ms: {} shapes compared, {} found", name, what, ms,
                    report.check.shapes_compared, report.check.findings.size());
    } else {
      spdlog::debug("{}: {} {:.1f} ms: not evaluated: {}", name, what, ms, report.check.reason);
    }
  } catch (const std::exception& e) {
    ++failures;
    spdlog::warn("{}: {} failed ({} so far; collection goes on): {}", name, what, failures,
                 e.what());
  }
}

// The day's trend pass of `name`, unless an earlier run (a restart, a `collect --once` from
// cron) judged this UTC day already: the store keeps the day last judged as a checkpoint.
DetectionPassReport trends_once_a_day(Store& store, const std::string& name, StoreTime at,
                                      const TrendPassOptions& trends,
                                      const FindingsHook& on_changes) {
  constexpr const char* kCheckpoint = "trends_judged_day";
  const std::string day = std::to_string(floor_to(at.time_since_epoch().count(), kSecondsPerDay));
  if (store.checkpoint(name, kCheckpoint) == day) {
    DetectionPassReport skipped;
    skipped.check.reason = "judged today already";
    return skipped;
  }
  DetectionPassReport report = run_trend_pass(store, name, at, trends, on_changes);
  store.put_checkpoint(name, {kCheckpoint, day}, at);
  return report;
}

// The detection passes due after a cycle of `run` at `now`: the recent minutes every
// `every_cycles` cycles (at the cycle's interval boundary, the end of the last bucket
// written), and the trends once a UTC day (`trend_day`: the day this process last looked).
struct DetectionSchedule {
  int cycles_since_detection = 0;
  int64_t trend_day = std::numeric_limits<int64_t>::min();
  int failures = 0;
  // The raw intervals the last pass read, for the next; forgotten after a backlog, whose
  // samples land in buckets older than a pass reads again.
  RecentIntervals kept;
};

void detect_after_cycle(Store& store, const TargetRun& run, Clock::time_point now,
                        DetectionSchedule& schedule) {
  const DetectionConfig& settings = run.detection.settings;
  if (++schedule.cycles_since_detection < settings.every_cycles) return;
  schedule.cycles_since_detection = 0;
  const std::string& name = run.target->name;
  const int64_t t =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const StoreTime boundary(std::chrono::seconds(floor_to(t, run.interval.count())));
  judge(
      name, "detection",
      [&] {
        return run_detection_pass(store, name, boundary, run.detection.options, &schedule.kept);
      },
      schedule.failures);
  const TrendPassOptions& trends = run.detection.options.trends;
  if (trends.days > 0 && floor_to(t, kSecondsPerDay) != schedule.trend_day) {
    schedule.trend_day = floor_to(t, kSecondsPerDay);
    judge(
        name, "trends",
        [&] {
          return trends_once_a_day(store, name, boundary, trends, run.detection.options.on_changes);
        },
        schedule.failures);
  }
  // A pass may have queued alert events: deliver them now rather than at the next poll.
  if (run.sender) run.sender->wake();
}

// Records the health of a cycle that ran (`problem` empty) or failed, for health alerts.
// A failure to queue them is logged: collection goes on.
void record_health(std::optional<HealthAlerts>& health, std::optional<Store>& store,
                   const TargetRun& run, CollectorHealth state, std::string_view problem,
                   Clock::time_point now) {
  if (!health || !store) return;
  try {
    if (health->after_cycle(*store, state, problem,
                            store_time(now)) &&
        run.sender) {
      run.sender->wake();
    }
  } catch (const std::exception& e) {
    spdlog::warn("{}: queueing its health alert: {}", run.target->name, e.what());
  }
}

}  // namespace

std::unique_ptr<Collector> collector_for(const TargetRun& run) {
  return make_collector(*run.target, {.once = run.once, .from_end = run.from_end});
}

namespace {

// How long a target's lease outlives its holder's last cycle: a few intervals, so that a
// standby takes over soon after a holder dies, but not because one cycle ran long.
std::chrono::seconds lease_ttl(std::chrono::seconds interval) {
  return std::max<std::chrono::seconds>(3 * interval, std::chrono::seconds(30));
}

// One target's loop. Runs a cycle only while this process holds the target's lease:
// otherwise it stands by, trying each interval, and takes over once the holder's lease
// ends. A store that cannot be used stops every target (through `stop`); a target whose
// login is refused is retried once an interval (with --once: reported as such).
TargetOutcome run_target(const TargetRun& run, std::unique_ptr<Collector> collector,
                         const CollectorMaker& make, StopSignal& stop, CycleClock& clock) {
  const std::string& name = run.target->name;
  const LogTarget log_target(name);  // named in this thread's JSON log lines
  const LeaseHolder& me = LeaseHolder::this_process();
  std::optional<Store> store;
  int failures = 0;
  int cycles = 0;
  DetectionSchedule detection;
  std::optional<HealthAlerts> health;
  if (run.alerts) health.emplace(name, *run.alerts);
  TargetOutcome outcome = TargetOutcome::kFailed;
  bool holding = false;         // this process held the lease at its last cycle
  bool collector_used = false;  // the collector holds state read from the store
  std::string standing_by;      // the owner of the lease this process waits for
  // After a store error: reconnect at the next cycle, and read the target's state afresh.
  const auto reconnect = [&] {
    store.reset();
    holding = false;
    detection.kept.forget();
  };
  while (true) {
    const Clock::time_point now = Clock::now();
    CycleMeter meter(run.metrics, name, failures);
    bool more = false;
    bool stand_by = false;
    bool refused = false;
    try {
      if (!store) {
        store.emplace(Store::open(run.config->store, StoreOpen::kCreate));
        store->ensure_target(name, run.target->engine);
      }
      try {
        store->take_lease(name, me, store_time(now),
                          lease_ttl(run.interval));
      } catch (const LeaseHeld& e) {
        holding = false;
        if (run.once) throw;
        if (e.lease().holder.owner != standing_by) {
          spdlog::warn("{}: {}; standing by to take over", name, e.what());
          standing_by = e.lease().holder.owner;
        }
        stand_by = true;
      }
      if (!stand_by) {
        if (!holding) {
          // Whoever wrote the target meanwhile (another process, or a cycle whose commit
          // failed or seemed to) moved its state on: read it afresh.
          if (collector_used) collector = make(run);
          if (health) health->reload();
          if (!standing_by.empty()) spdlog::info("{}: took over collecting it", name);
          standing_by.clear();
          holding = true;
        }
        collector_used = true;
        clock.began(store_time(now));
        const CycleReport report = collector->run_cycle(*store, now, run.interval);
        meter.ran(report);
        for (const CycleNote& note : report.notes)
          spdlog::log(note.level, "{}: {}", name, note.text);
        more = report.more_waiting;
        failures = 0;
        outcome = TargetOutcome::kOk;
        record_health(health, store, run, report.health, report.problem, now);
        // A backlog is judged once it is read, not part way.
        if (more) detection.kept.forget();
        if (run.detection.settings.enabled && !more) {
          detect_after_cycle(*store, run, now, detection);
        }
      }
      if (run.runs_rollups && cycles++ % kRollupEveryCycles == 0) {
        const auto rolled = store->rollup_and_prune(
            store_time(now), run.config->retention);
        spdlog::debug("rollup: {} day buckets over {} targets", rolled.days_rolled, rolled.targets);
      }
      if (run.store_health) run.store_health->worked(name);
    } catch (const StoreUnusableError& e) {
      // Every target shares the store: the whole process stops, whatever the mode.
      spdlog::error("{}; stopping: retrying cannot help", e.what());
      clock.ended();
      if (run.store_health) run.store_health->failed(name, e.what(), store_time(now), true);
      stop.request();
      return TargetOutcome::kStoreUnusable;
    } catch (const CollectorError& e) {
      ++failures;
      outcome = TargetOutcome::kFailed;
      // A collector's error names the target itself, and says whether retrying sooner than
      // once an interval can help.
      for (const CycleNote& note : e.notes()) spdlog::log(note.level, "{}: {}", name, note.text);
      refused = needs_a_person(e.health());
      record_health(health, store, run, e.health(), e.what(), now);
      if (refused && !run.once) {
        spdlog::error("{}; retried every {}s, the other targets go on", e.what(),
                      run.interval.count());
      } else {
        spdlog::error("{}", e.what());
      }
      if (refused && run.once) outcome = TargetOutcome::kLoginRefused;
    } catch (const LeaseHeld& e) {
      ++failures;
      outcome = TargetOutcome::kFailed;
      if (run.once) {
        spdlog::error("{}: {}; not collected by this run", name, e.what());
      } else {
        spdlog::error("{}: {}", name, e.what());
      }
      reconnect();
    } catch (const StoreError& e) {
      ++failures;
      outcome = TargetOutcome::kFailed;
      spdlog::error("{}: {}", name, e.what());
      if (run.store_health) run.store_health->failed(name, e.what(), store_time(now));
      reconnect();
    } catch (const std::exception& e) {
      ++failures;
      outcome = TargetOutcome::kFailed;
      spdlog::error("{}: {}", name, e.what());
    }
    if (clock.in_cycle_since()) clock.ended();
    meter.end(failures, store ? &*store : nullptr);
    if (stop.requested()) break;
    if (more) continue;  // a backlog: read on at once, each part in its own transaction
    if (run.once) break;
    Clock::time_point next;
    if (failures > 0) {
      // A refused login waits for a person: try once an interval, not ever faster.
      const auto backoff = refused
                               ? run.interval
                               : std::min<std::chrono::seconds>(
                                     run.interval, kFirstRetry * (1 << std::min(failures - 1, 10)));
      next = now + backoff;
      spdlog::info("{}: retrying in {}s", name, backoff.count());
    } else {
      // The next interval boundary, so that buckets line up across targets and restarts.
      const int64_t step = run.interval.count();
      const int64_t t =
          std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
      next = Clock::time_point(std::chrono::seconds(floor_to(t, step) + step));
    }
    if (stop.wait_until(next)) break;
  }
  if (store && holding) {
    // Stopping: let another process take over at once rather than after the lease expires.
    try {
      store->release_lease(name, me);
    } catch (const std::exception& e) {
      spdlog::debug("{}: giving up its lease: {}", name, e.what());
    }
  }
  return outcome;
}

// The watchdog's thread: checks the targets' cycles every few seconds until `stop`, with a
// store connection of its own for the alerts.
void watch_cycles(const std::vector<TargetRun>& runs, const std::vector<CycleClock>& clocks,
                  StopSignal& stop) {
  std::vector<WatchedTarget> targets;
  for (size_t i = 0; i < runs.size(); ++i) targets.push_back({runs[i].target->name, &clocks[i]});
  const TargetRun& first = runs.front();
  const std::chrono::seconds limit =
      first.stalled_after.count() > 0 ? first.stalled_after : stalled_after(first.interval);
  CycleWatchdog watchdog(std::move(targets), limit, first.alerts);
  const auto every = std::clamp<std::chrono::seconds>(first.interval / 4, std::chrono::seconds(1),
                                                      std::chrono::seconds(15));
  std::optional<Store> store;
  bool said = false;  // a store failure, said once until it works again
  while (!stop.wait_until(Clock::now() + every)) {
    const StoreTime now = store_time(Clock::now());
    if (!first.alerts) {
      watchdog.check_log_only(now);
      continue;
    }
    try {
      if (!store) store.emplace(Store::open(first.config->store, StoreOpen::kCreate));
      if (watchdog.check(*store, now) && first.sender) first.sender->wake();
      said = false;
    } catch (const std::exception& e) {
      if (!said) spdlog::warn("watchdog: queueing its alerts: {}", e.what());
      said = true;
      store.reset();
    }
  }
}

// A --detect-* duration (checked while parsing), or `configured` when not given.
std::chrono::seconds detection_duration(const std::string& text, std::chrono::seconds configured) {
  return text.empty() ? configured : read_span(text);
}

CollectDetection collect_detection(const DetectionConfig& config) {
  CollectDetection d;
  d.settings = config;
  d.options.recent.post_window = config.window;
  d.options.recent.baseline = config.baseline;
  d.options.lifecycle.resolve_after = config.resolve_after;
  d.options.trends.days = config.trend_days;
  d.options.recent.baseline_mode = parse_baseline_mode(config.baseline_mode).value();  // checked
  LatencyThresholds& latency = d.options.recent.detection.latency;
  latency.min_ratio = config.min_ratio.value_or(latency.min_ratio);
  if (config.min_delta)
    latency.min_delta = std::chrono::duration<double>(*config.min_delta).count();
  latency.fdr = config.fdr.value_or(latency.fdr);
  latency.min_calls = config.min_calls.value_or(latency.min_calls);
  d.options.recent.detection.share_latency_fdr_and_min_calls();
  return d;
}

}  // namespace

void StopSignal::request() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
}

bool StopSignal::requested() {
  std::lock_guard lock(mutex_);
  return stop_;
}

bool StopSignal::wait_until(Clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return wake_.wait_until(lock, deadline, [this] { return stop_; });
}

DetectionConfig with_overrides(DetectionConfig config, const DetectionOverrides& o) {
  config.enabled = o.no_detect ? false : (o.detect || config.enabled);
  if (o.every > 0) config.every_cycles = o.every;
  config.window = detection_duration(o.window, config.window);
  config.baseline = detection_duration(o.baseline, config.baseline);
  if (o.resolve_after > 0) config.resolve_after = o.resolve_after;
  if (!o.baseline_mode.empty()) config.baseline_mode = o.baseline_mode;
  return config;
}

int run_targets(const std::vector<TargetRun>& runs,
                std::vector<std::unique_ptr<Collector>> collectors, const CollectorMaker& make,
                StopSignal& stop) {
  std::vector<TargetOutcome> outcomes(runs.size(), TargetOutcome::kFailed);
  std::vector<CycleClock> clocks(runs.size());
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < runs.size(); ++i) {
      threads.emplace_back([&, i] {
        outcomes[i] = run_target(runs[i], std::move(collectors[i]), make, stop, clocks[i]);
      });
    }
    std::thread watchdog;
    if (!runs.empty() && !runs.front().once) {
      watchdog = std::thread([&] { watch_cycles(runs, clocks, stop); });
    }
    for (auto& t : threads) t.join();
    // Every target's thread ended: so does the watchdog (its stop was requested, or the
    // store was unusable and that requested it).
    stop.request();
    if (watchdog.joinable()) watchdog.join();
  }
  const auto any = [&](TargetOutcome o) {
    return std::find(outcomes.begin(), outcomes.end(), o) != outcomes.end();
  };
  if (any(TargetOutcome::kStoreUnusable)) return 2;
  if (!runs.empty() && runs.front().once) {
    if (any(TargetOutcome::kLoginRefused)) return 2;
    return any(TargetOutcome::kFailed) ? 1 : 0;
  }
  spdlog::info("stopped");
  return 0;
}

namespace {

int collect_with_metrics(const CollectSettings& settings, RunMetrics* metrics) {
  Config config;
  std::chrono::seconds interval;
  std::vector<CollectDetection> detections;  // per target
  std::optional<AlertRouting> alerts;
  std::vector<std::unique_ptr<AlertSink>> sinks;
  try {
    config = load_config(settings.config);
    // As `config check` does: refused, or started with its warnings said.
    for (const std::string& warning : check_collectable(config)) spdlog::warn("{}", warning);
    interval = config.interval;
    if (!settings.interval.empty()) {
      const auto us = parse_duration(settings.interval);
      if (!us || *us < 1'000'000 || *us % 1'000'000 != 0) {
        throw InvalidInput(
            "--interval must be a whole number of seconds, at least 1s (e.g. 60s, 5m)");
      }
      interval = std::chrono::seconds(*us / 1'000'000);
    }
    for (const TargetConfig& target : config.targets) {
      const DetectionConfig detection = with_overrides(target.detection, settings.detection);
      if (const auto problem = detection_problem(detection)) {
        throw InvalidInput(target.name + ": detection " + *problem);
      }
      CollectDetection& d = detections.emplace_back(collect_detection(detection));
      // Short windows of a few cycles catch a fresh step within two of them, and each
      // shape's drift is measured on the 180 cycles before each window (recent_detection.h).
      d.options.recent.short_windows = {2 * interval, 5 * interval};
      d.options.recent.noise_span = 180 * interval;
    }
    if (config.alerts) {
      alerts = alert_routing(*config.alerts);
      sinks = make_alert_sinks(*config.alerts, interval);
      for (CollectDetection& d : detections) d.options.on_changes = finding_alerts_hook(*alerts);
    }
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 2;
  }
  std::vector<TargetRun> runs;
  std::vector<std::unique_ptr<Collector>> collectors;
  for (size_t i = 0; i < config.targets.size(); ++i) {
    const TargetConfig& target = config.targets[i];
    TargetRun run{&config,           &target,      interval,     settings.once,
                  settings.from_end, runs.empty(), detections[i]};
    std::unique_ptr<Collector> collector;
    try {
      collector = collector_for(run);
    } catch (const std::exception& e) {
      spdlog::error("{}: {}", target.name, e.what());
      return 2;
    }
    if (!collector) continue;
    runs.push_back(run);
    collectors.push_back(std::move(collector));
  }
  if (runs.empty()) {
    spdlog::error("{}: no targets to collect", settings.config);
    return 2;
  }
  spdlog::info("collecting {} target(s) every {}s into {}", runs.size(), interval.count(),
               config.store.redacted());
  for (const TargetRun& run : runs) {
    spdlog::info("{}: regression detection {}", run.target->name,
                 run.detection.settings.to_string());
  }
  if (metrics) {
    std::vector<std::string> targets;
    for (TargetRun& run : runs) {
      run.metrics = metrics;
      targets.push_back(run.target->name);
    }
    metrics->add_targets(targets);
    if (config.alerts) {
      std::vector<std::string> names;
      for (const AlertSinkConfig& sink : config.alerts->sinks) names.push_back(sink.name);
      metrics->add_sinks(names);
    }
    try {
      metrics->write();  // a path that cannot be written is a bad setting: said at once
    } catch (const std::exception& e) {
      spdlog::error("--metrics-file: {}", e.what());
      return 2;
    }
  }
  // Before any thread starts, the alert sender's included: a thread that does not block
  // SIGINT/SIGTERM would take them, and die of them, instead of the watcher.
  StopSignal stop;
  SignalWatcher watcher(stop);
  // A store failure that lasts as long as three cycles is raised, as a target's would be.
  StoreHealth store_health(config.store.redacted(), 3 * interval);
  std::unique_ptr<AlertSender> sender;  // after store_health, which its threads use
  if (alerts) {
    spdlog::info("alerts go to {} sink(s)", sinks.size());
    SenderOptions sending = sender_options(*config.alerts);
    sending.routing = &*alerts;
    sending.store_health = &store_health;
    sender = std::make_unique<AlertSender>(config.store, std::move(sinks), sending);
    for (TargetRun& run : runs) {
      run.alerts = &*alerts;
      run.sender = sender.get();
      run.store_health = &store_health;
    }
  }
  const int status = run_targets(runs, std::move(collectors), collector_for, stop);
  // What the last cycles queued goes out before the process ends (a --once job has no
  // next run soon).
  if (sender) sender->finish();
  // The outbox as the sender left it, for the file's last write.
  if (metrics) metrics->read_store(config.store);
  return status;
}

}  // namespace

int run_collect(const CollectSettings& settings) {
  if (settings.metrics_file.empty()) return collect_with_metrics(settings, nullptr);
  const auto start = std::chrono::steady_clock::now();
  RunMetrics metrics("collect", settings.metrics_file);
  const int status = collect_with_metrics(settings, &metrics);
  metrics.command_ended(
      status, status == 0, Clock::now(),
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  metrics.write_or_warn();
  return status;
}

}  // namespace slowscope
