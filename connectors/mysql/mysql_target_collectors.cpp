#include "connectors/mysql/mysql_target_collectors.h"

#include <spdlog/fmt/fmt.h>

namespace slowscope {
namespace {

// The source's constructor, with a session error told as a CollectorError.
template <typename Source>
Source open_source(const TargetConfig& target) {
  try {
    return Source(target);
  } catch (const SourceError& e) {
    throw CollectorError(health_of(e), e.what());  // SourceError names the target
  }
}

}  // namespace

SlowLogFileTargetCollector::SlowLogFileTargetCollector(const TargetConfig& target, bool once,
                                                       bool from_end)
    : target_(target.name),
      once_(once),
      collector_(
          target.name, target.mysql.slow_log,
          SlowLogFileCollector::Options{
              .from_end = from_end, .take_last_entry = once, .keep_examples = target.examples}) {
  if (!target.mysql.socket.empty() || !target.mysql.host.empty()) {
    growth_.emplace(target, target.mysql.slow_log);
  }
}

CycleReport SlowLogFileTargetCollector::run_cycle(Store& store,
                                                  std::chrono::system_clock::time_point now,
                                                  std::chrono::seconds interval) {
  SlowLogCycleReport r;
  try {
    r = collector_.run_cycle(store, now, interval);
  } catch (...) {
    health_ = CollectorHealth::kFailed;
    throw;
  }
  CycleReport out;
  bool missing_now = false;
  for (const auto& e : r.events) {
    if (e.kind == "log_missing") {
      missing_now = true;
      if (once_) {
        // One cycle cannot wait for it: this run collected nothing of the target.
        health_ = CollectorHealth::kLogMissing;
        throw CollectorError(health_, target_ + ": " + e.message + "; nothing collected",
                             std::move(out.notes));
      }
      if (!missing_) out.notes.push_back({spdlog::level::warn, e.message + "; waiting for it"});
    } else {
      out.notes.push_back({spdlog::level::warn, e.message});
    }
  }
  if (missing_ && !missing_now) {
    out.notes.push_back({spdlog::level::info, collector_.path() + " is back"});
  }
  if (r.already_stored > 0) {
    out.notes.push_back(
        {spdlog::level::info, fmt::format("skipped {} bytes of {} whose entries {} had stored "
                                          "already",
                                          r.already_stored, collector_.path(), r.stored_by)});
  }
  missing_ = missing_now;
  if (r.written) out.flush_ms = flush_store_wal(store);
  if (r.written && r.bytes > 0) {
    out.notes.push_back(
        {spdlog::level::info,
         fmt::format("{} entries ({:.1f} MB, up to byte {}) -> {} samples, {} new statements{}; "
                     "read {:.1f} ms, store {:.1f} ms",
                     r.entries - r.own_entries, static_cast<double>(r.bytes) / 1e6, r.position,
                     r.samples, r.new_statements, r.caught_up ? "" : "; more to read", r.read_ms,
                     r.store_ms)});
  } else if (!missing_now && r.caught_up) {
    out.notes.push_back({spdlog::level::info, fmt::format("nothing new in {} (up to byte {})",
                                                          collector_.path(), r.position)});
  }
  out.written = r.written;
  out.more_waiting = !r.caught_up && r.bytes > 0;
  out.entries = r.entries - r.own_entries;
  out.samples = r.samples;
  out.new_statements = r.new_statements;
  out.events = r.events;
  out.read_ms = r.read_ms;
  out.store_ms = r.store_ms;
  out.health = missing_now ? CollectorHealth::kLogMissing : health_of_events(r.events);
  if (growth_ && !missing_now) {
    if (r.bytes > 0) {
      if (auto note = growth_->file_grew()) out.notes.push_back(std::move(*note));
    } else if (r.caught_up) {
      SlowLogGrowth g = growth_->check(std::chrono::time_point_cast<std::chrono::seconds>(now));
      for (CycleNote& note : g.notes) out.notes.push_back(std::move(note));
      if (g.verdict == SlowLogGrowth::Verdict::kNotGrowing) {
        out.health = CollectorHealth::kLogNotGrowing;
        out.problem = std::move(g.problem);
      }
    }
  }
  health_ = out.health;
  return out;
}

template <typename Source>
MysqlTargetCollector<Source>::MysqlTargetCollector(const TargetConfig& target)
    : collector_(open_source<Source>(target)) {}

template <typename Source>
CycleReport MysqlTargetCollector<Source>::run_cycle(Store& store,
                                                    std::chrono::system_clock::time_point now,
                                                    std::chrono::seconds interval) {
  const MysqlCycleReport r =
      run_source_cycle(health_, [&] { return collector_.run_cycle(store, now, interval); });
  CycleReport out;
  for (const auto& w : r.warnings) out.notes.push_back({spdlog::level::warn, w});
  for (const auto& e : r.events) out.notes.push_back({spdlog::level::warn, e.message});
  if (r.written) {
    out.flush_ms = flush_store_wal(store);
    if (r.baseline) {
      out.notes.push_back(
          {spdlog::level::info, "baseline taken; deltas start with the next cycle"});
    } else {
      out.notes.push_back(
          {spdlog::level::info,
           fmt::format("{} entries -> {} samples, {} new statements{}", r.entries, r.samples,
                       r.new_statements,
                       r.covered > interval ? fmt::format(" covering {}s (the collector was away)",
                                                          r.covered.count())
                                            : "")});
    }
  } else if (r.bucket_taken) {
    out.notes.push_back(
        {spdlog::level::info,
         "nothing stored: this interval's bucket is written already; what ran since goes into "
         "the next one"});
  } else {
    out.notes.push_back({spdlog::level::info, "nothing new"});
  }
  out.written = r.written;
  out.entries = static_cast<uint64_t>(r.entries);
  out.samples = r.samples;
  out.new_statements = r.new_statements;
  out.events = r.events;
  out.warnings = r.warnings;
  out.health = health_of_events(r.events);
  health_ = out.health;
  return out;
}

template class MysqlTargetCollector<SlowLogTableCollector>;
template class MysqlTargetCollector<DigestCollector>;

}  // namespace slowscope
