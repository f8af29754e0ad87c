#include "app/run_metrics.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "analyzer/regression/finding.h"
#include "reports/file_replace.h"

namespace slowscope {
namespace {

constexpr FindingKind kKinds[] = {FindingKind::kLatency,     FindingKind::kCallSurge,
                                  FindingKind::kRowsPerCall, FindingKind::kNewShape,
                                  FindingKind::kVanished,    FindingKind::kTrend};
constexpr Severity kSeverities[] = {Severity::kWarning, Severity::kCritical};
constexpr DeliveryState kBacklogStates[] = {DeliveryState::kPending, DeliveryState::kFailed};

// A file larger than this is not one this registry wrote: nothing is carried from it.
constexpr uintmax_t kMaxCarriedFileBytes = 4 << 20;

using Labels = std::vector<std::pair<std::string, std::string>>;

double epoch_seconds(std::chrono::system_clock::time_point at) {
  return static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
}

// Every kind × severity at 0, so that a series exists before its first finding (rules
// comparing with it then see 0, not nothing).
std::map<std::pair<std::string, std::string>, int64_t> zero_per_kind() {
  std::map<std::pair<std::string, std::string>, int64_t> counts;
  for (const FindingKind kind : kKinds) {
    for (const Severity severity : kSeverities) {
      counts[{std::string(to_string(kind)), std::string(to_string(severity))}] = 0;
    }
  }
  return counts;
}

std::string label(const std::map<std::string, std::string>& labels, const std::string& name) {
  const auto it = labels.find(name);
  return it == labels.end() ? "" : it->second;
}

}  // namespace

RunMetrics::RunMetrics(std::string command, std::string path)
    : command_(std::move(command)), path_(std::move(path)) {
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path_, error);
  if (error || size > kMaxCarriedFileBytes) return;  // none yet, or not one of ours
  std::ifstream in(path_, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::vector<ReadSample> samples = read_prometheus_samples(text);
  // Only what this command wrote: a file another command wrote is not its history.
  bool ours = false;
  for (const ReadSample& s : samples) ours = ours || label(s.labels, "command") == command_;
  if (!ours) return;
  for (const ReadSample& s : samples) {
    if (!std::isfinite(s.value) || s.value < 0) continue;
    const std::string target = label(s.labels, "target");
    if (s.name == "slowscope_last_success_timestamp_seconds" &&
        label(s.labels, "command") == command_) {
      if (target.empty()) {
        carried_command_success_ = s.value;
      } else {
        carried_[target].last_success = s.value;
      }
    } else if (s.name == "slowscope_cycles_total" && !target.empty()) {
      carried_[target].cycles = s.value;
    } else if (s.name == "slowscope_collection_errors_total" && !target.empty()) {
      carried_[target].errors = s.value;
    }
  }
}

void RunMetrics::add_targets(const std::vector<std::string>& targets) {
  std::lock_guard lock(mutex_);
  for (const std::string& name : targets) {
    TargetSeries& series = targets_[name];
    if (const auto it = carried_.find(name); it != carried_.end()) {
      series.last_success = it->second.last_success;
      series.cycles = it->second.cycles;
      series.errors = it->second.errors;
    }
  }
  ++generation_;
}

void RunMetrics::add_sinks(const std::vector<std::string>& sinks) {
  std::lock_guard lock(mutex_);
  sinks_.insert(sinks.begin(), sinks.end());
  ++generation_;
}

void RunMetrics::cycle_ended(const std::string& target, CycleResult result,
                             std::chrono::system_clock::time_point at, double seconds,
                             std::optional<int64_t> dealloc) {
  std::lock_guard lock(mutex_);
  TargetSeries& t = targets_[target];
  switch (result) {
    case CycleResult::kRan:
      t.last_run = t.last_success = epoch_seconds(at);
      t.cycle_seconds = seconds;
      t.cycles += 1;
      t.lease_held = true;
      if (dealloc) t.dealloc = dealloc;
      break;
    case CycleResult::kFailed:
      t.last_run = epoch_seconds(at);
      t.cycle_seconds = seconds;
      t.errors += 1;
      break;
    case CycleResult::kStandingBy:
      t.lease_held = false;
      break;
  }
  ++generation_;
}

void RunMetrics::read_store(Store& store, const std::string& target) {
  std::vector<OpenFindingCount> findings;
  std::vector<DeliveryCount> backlog;
  try {
    findings = store.open_finding_counts(target);
    backlog = store.undelivered_counts();
  } catch (const std::exception& e) {
    spdlog::debug("metrics: cannot read the findings and the alert outbox: {}", e.what());
    return;
  }
  std::lock_guard lock(mutex_);
  for (auto& [name, series] : targets_) {
    if (target.empty() || name == target) series.open_findings = zero_per_kind();
  }
  for (const OpenFindingCount& n : findings) {
    const auto it = targets_.find(n.target);
    if (it == targets_.end() || !it->second.open_findings) continue;  // not collected here
    (*it->second.open_findings)[{n.kind, n.severity}] = n.count;
  }
  backlog_.emplace();
  for (const DeliveryCount& n : backlog) {
    (*backlog_)[{n.sink, std::string(to_string(n.state))}] = n.count;
  }
  ++generation_;
}

void RunMetrics::check_findings(const CheckResult& result) {
  std::lock_guard lock(mutex_);
  check_findings_.emplace();
  for (const TargetCheck& t : result.targets) {
    if (!t.evaluated) continue;
    for (const auto& [kind_severity, zero] : zero_per_kind()) {
      (*check_findings_)[{t.target, kind_severity.first, kind_severity.second}] = zero;
    }
    for (const Finding& f : t.findings) {
      ++(*check_findings_)[{t.target, std::string(to_string(f.key.kind)),
                            std::string(to_string(f.severity))}];
    }
  }
  ++generation_;
}

void RunMetrics::command_ended(int status, bool succeeded, std::chrono::system_clock::time_point at,
                               double seconds) {
  std::lock_guard lock(mutex_);
  const double now = epoch_seconds(at);
  ending_ = Ending{status, now, seconds, succeeded ? now : carried_command_success_};
  // A run that ended before it had its targets (a bad configuration) keeps theirs as the
  // file had them: their last success must not vanish from the file, but grow old.
  if (targets_.empty()) {
    for (const auto& [name, carried] : carried_) {
      TargetSeries& series = targets_[name];
      series.last_success = carried.last_success;
      series.cycles = carried.cycles;
      series.errors = carried.errors;
    }
  }
  ++generation_;
}

std::vector<MetricFamily> RunMetrics::families() const {
  const bool collect = command_ == "collect";
  MetricFamily last_run{"slowscope_last_run_timestamp_seconds",
                        "When the command's last run ended (collect: each target's last cycle, "
                        "run or failed), in seconds since the Unix epoch.",
                        MetricType::kGauge,
                        {}};
  MetricFamily last_success{
      "slowscope_last_success_timestamp_seconds",
      "When the command last did its job (collect: a target's cycle ran; check: a verdict; "
      "report: written), in seconds since the Unix epoch; 0: never, as far as this file "
      "remembers.",
      MetricType::kGauge,
      {}};
  MetricFamily status{"slowscope_last_exit_status",
                      "The exit status of the command's last run, as its --help documents it.",
                      MetricType::kGauge,
                      {}};
  MetricFamily duration{"slowscope_last_run_duration_seconds",
                        "How long the command's last run took, in seconds.",
                        MetricType::kGauge,
                        {}};
  MetricFamily cycle{"slowscope_cycle_duration_seconds",
                     "How long the target's last cycle took: reading the source, writing the "
                     "store, detection and rollups when due.",
                     MetricType::kGauge,
                     {}};
  MetricFamily cycles{
      "slowscope_cycles_total", "Cycles of the target that ran.", MetricType::kCounter, {}};
  MetricFamily errors{"slowscope_collection_errors_total",
                      "Cycles of the target that failed (source, store or lease).",
                      MetricType::kCounter,
                      {}};
  MetricFamily lease{"slowscope_lease_held",
                     "1 while this process holds the target's lease and collects it, 0 while "
                     "another process does and this one stands by.",
                     MetricType::kGauge,
                     {}};
  MetricFamily dealloc{"slowscope_pg_stat_statements_dealloc_total",
                       "pg_stat_statements_info.dealloc of the target's server as last read: "
                       "evictions since its statistics reset (PostgreSQL 14+). Growth means "
                       "pg_stat_statements.max is too low and what ran is undercounted.",
                       MetricType::kCounter,
                       {}};
  MetricFamily open{"slowscope_findings_open",
                    "Open findings of the target in the store, by kind and severity.",
                    MetricType::kGauge,
                    {}};
  MetricFamily outbox{"slowscope_alert_outbox_deliveries",
                      "Alert deliveries in the store's outbox not delivered, by sink: pending "
                      "(waiting or being retried) or failed (given up; kept until pruned).",
                      MetricType::kGauge,
                      {}};
  MetricFamily checked{"slowscope_check_findings",
                       "Findings of the last check of a release, by target, kind and severity.",
                       MetricType::kGauge,
                       {}};

  for (const auto& [name, t] : targets_) {
    const Labels run_labels{{"command", command_}, {"target", name}};
    const Labels target{{"target", name}};
    if (t.last_run) last_run.samples.push_back({run_labels, *t.last_run});
    last_success.samples.push_back({run_labels, t.last_success});
    if (t.cycle_seconds) cycle.samples.push_back({target, *t.cycle_seconds});
    cycles.samples.push_back({target, t.cycles});
    errors.samples.push_back({target, t.errors});
    if (t.lease_held) lease.samples.push_back({target, *t.lease_held ? 1.0 : 0.0});
    if (t.dealloc) dealloc.samples.push_back({target, static_cast<double>(*t.dealloc)});
    if (t.open_findings) {
      for (const auto& [kind_severity, count] : *t.open_findings) {
        open.samples.push_back(
            {{{"target", name}, {"kind", kind_severity.first}, {"severity", kind_severity.second}},
             static_cast<double>(count)});
      }
    }
  }
  if (ending_) {
    const Labels command{{"command", command_}};
    // collect's runs are its targets' cycles: a daemon's start or stop is no success.
    if (!collect) {
      last_run.samples.push_back({command, ending_->at});
      last_success.samples.push_back({command, ending_->last_success});
    }
    status.samples.push_back({command, static_cast<double>(ending_->status)});
    duration.samples.push_back({command, ending_->seconds});
  }
  if (backlog_) {
    std::set<std::string> sinks = sinks_;
    for (const auto& [sink_state, count] : *backlog_) sinks.insert(sink_state.first);
    for (const std::string& sink : sinks) {
      for (const DeliveryState state : kBacklogStates) {
        const std::string state_text(to_string(state));
        const auto it = backlog_->find({sink, state_text});
        outbox.samples.push_back({{{"sink", sink}, {"state", state_text}},
                                  it == backlog_->end() ? 0.0 : static_cast<double>(it->second)});
      }
    }
  }
  if (check_findings_) {
    for (const auto& [key, count] : *check_findings_) {
      checked.samples.push_back({{{"target", std::get<0>(key)},
                                  {"kind", std::get<1>(key)},
                                  {"severity", std::get<2>(key)}},
                                 static_cast<double>(count)});
    }
  }
  return {std::move(last_run), std::move(last_success), std::move(status), std::move(duration),
          std::move(cycle),    std::move(cycles),       std::move(errors), std::move(lease),
          std::move(dealloc),  std::move(open),         std::move(outbox), std::move(checked)};
}

std::string RunMetrics::text() const {
  std::lock_guard lock(mutex_);
  return render_prometheus_text(families());
}

void RunMetrics::write() {
  std::string content;
  uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    content = render_prometheus_text(families());
    generation = generation_;
  }
  std::lock_guard lock(write_mutex_);
  if (generation < written_generation_) return;  // another thread wrote a newer state
  try {
    // 0644: the exporter reading it runs as another user; metrics hold no query text.
    replace_file(path_, content, {.mode = 0644});
  } catch (const std::exception& e) {
    last_failure_ = e.what();  // the caller says it; write_or_warn does not repeat it
    throw;
  }
  written_generation_ = generation;
  last_failure_.clear();
}

void RunMetrics::write_or_warn() {
  std::string said;
  {
    std::lock_guard lock(write_mutex_);
    said = last_failure_;
  }
  try {
    write();
  } catch (const std::exception& e) {
    if (e.what() != said) spdlog::warn("--metrics-file: {}", e.what());
  }
}

void RunMetrics::read_store(const StoreLocation& location) {
  try {
    Store store = Store::open(location, StoreOpen::kMustExist);
    read_store(store, "");
  } catch (const std::exception& e) {
    spdlog::debug("metrics: cannot read the findings and the alert outbox: {}", e.what());
  }
}

CycleMeter::CycleMeter(RunMetrics* metrics, const std::string& target, int failures)
    : metrics_(metrics), target_(target), failures_(failures) {}

void CycleMeter::ran(const CycleReport& report) {
  ran_ = true;
  dealloc_ = report.pgss_dealloc;
}

void CycleMeter::end(int failures, Store* store) {
  if (metrics_ == nullptr) return;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // A pass that neither failed nor ran a cycle stood by: the lease is another's.
  CycleResult result = CycleResult::kStandingBy;
  if (failures > failures_) {
    result = CycleResult::kFailed;
  } else if (ran_) {
    result = CycleResult::kRan;
  }
  metrics_->cycle_ended(target_, result, std::chrono::system_clock::now(), seconds, dealloc_);
  if (store != nullptr) metrics_->read_store(*store, target_);
  metrics_->write_or_warn();
}

}  // namespace slowscope
