#include "connectors/postgres/postgres_target_collector.h"

#include <spdlog/fmt/fmt.h>

#include <memory>

#include "analyzer/time/utc_time.h"
#include "connectors/postgres/conninfo.h"

namespace slowscope {
namespace {

std::string describe(const PgssCycleReport& r) {
  if (r.server_break == EpochBreak::kBaseline) {
    return "baseline taken; deltas start with the next cycle (" + std::to_string(r.new_statements) +
           " statements)";
  }
  std::string text = std::to_string(r.samples) + " samples for " +
                     format_utc(r.covered_from.time_since_epoch().count() * 1'000'000);
  if (r.covered_from != r.bucket_start) {
    // After downtime: one sample per statement for the whole span since the last poll.
    text +=
        " to " +
        format_utc((r.bucket_start.time_since_epoch().count() + r.interval.count()) * 1'000'000) +
        " (the collector was away)";
  }
  text += ", " + std::to_string(r.new_statements) + " new statements";
  if (r.server_break != EpochBreak::kNone) {
    text += ", epoch break: " + std::string(to_string(r.server_break));
  }
  return text;
}

std::string timings(const PgssCycleReport& r) {
  return fmt::format(
      "cycle {:.1f} ms (poll {:.1f}, texts {:.1f}, delta {:.1f}, store {:.1f}; cpu {:.1f})",
      r.poll_ms + r.texts_ms + r.delta_ms + r.store_ms, r.poll_ms, r.texts_ms, r.delta_ms,
      r.store_ms, r.cpu_ms);
}

}  // namespace

PostgresTargetCollector::PostgresTargetCollector(const TargetConfig& target)
    : collector_(
          target.name,
          std::make_unique<PgssPoller>(target.name, collector_conninfo(target, SessionLimits{})),
          target.examples) {}

CycleReport PostgresTargetCollector::run_cycle(Store& store,
                                               std::chrono::system_clock::time_point now,
                                               std::chrono::seconds interval) {
  const PgssCycleReport r =
      run_source_cycle(health_, [&] { return collector_.run_cycle(store, now, interval); });
  CycleReport out;
  out.written = r.written;
  out.entries = r.samples;
  out.samples = r.samples;
  out.new_statements = r.new_statements;
  out.events = r.events;
  out.warnings = r.warnings;
  out.read_ms = r.poll_ms + r.texts_ms;
  out.store_ms = r.store_ms;
  out.pgss_dealloc = r.dealloc;
  std::set<std::string> said;
  for (const auto& e : r.events) {
    out.notes.push_back({spdlog::level::warn, e.message});
    said.insert(e.message);
  }
  for (const auto& w : r.warnings) {
    if (!said.contains(w) && !last_warnings_.contains(w)) {
      out.notes.push_back({spdlog::level::warn, w});
    }
  }
  if (r.written) {
    last_warnings_ = std::set<std::string>(r.warnings.begin(), r.warnings.end());
    out.flush_ms = flush_store_wal(store);
    out.notes.push_back({spdlog::level::info, fmt::format("{}; {}; then log checkpoint {:.1f} ms",
                                                          describe(r), timings(r), out.flush_ms)});
  } else {
    out.notes.push_back(
        {spdlog::level::info,
         fmt::format("nothing stored: the bucket of {} is written already; what ran since goes "
                     "into the next one",
                     format_utc(r.bucket_start.time_since_epoch().count() * 1'000'000))});
  }
  out.health = health_of_events(r.events);
  health_ = out.health;
  return out;
}

}  // namespace slowscope
