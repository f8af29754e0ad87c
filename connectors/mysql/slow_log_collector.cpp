#include "connectors/mysql/slow_log_collector.h"

#include <spdlog/spdlog.h>

namespace slowscope {
namespace {

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::string_view event_kind_of(TailNotice::Kind kind) {
  switch (kind) {
    case TailNotice::Kind::kGap:
      return event_kind::kCoverageGap;
    case TailNotice::Kind::kRotated:
    case TailNotice::Kind::kRestart:
      return "log_rotation";
    case TailNotice::Kind::kWaiting:
      break;
  }
  return "log_missing";
}

}  // namespace

SlowLogFileCollector::SlowLogFileCollector(std::string target, std::string path, Options options)
    : target_(std::move(target)), options_(options), tailer_(std::move(path)) {}

SlowLogCycleReport SlowLogFileCollector::run_cycle(Store& store,
                                                   std::chrono::system_clock::time_point now,
                                                   std::chrono::seconds interval) {
  SlowLogCycleReport report;
  if (!loaded_) {
    if (auto text = store.checkpoint(target_, options_.checkpoint)) {
      position_ = SlowLogPosition::parse(*text);
      if (!position_) {
        spdlog::warn("{}: the stored slow-log position is unreadable; starting over at {}", target_,
                     options_.from_end ? "the end of the file" : "its start");
      }
    }
    statements_.load(store, target_);
    loaded_ = true;
  }

  const auto read_start = std::chrono::steady_clock::now();
  const int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  IntervalAggregator cells(interval);
  const TailBatch batch = tailer_.read(
      position_,
      [&](const QueryEvent& event) {
        ++report.entries;
        if (event.query.starts_with(kOwnStatementMarker)) {
          ++report.own_entries;
          return;
        }
        cells.add(event, now_us);
      },
      SlowLogTailer::ReadOptions{options_.max_bytes_per_cycle, options_.from_end && !position_,
                                 options_.take_last_entry, [&] {
                                   cells.clear();
                                   report.entries = 0;
                                   report.own_entries = 0;
                                 }});
  report.read_ms = ms_since(read_start);
  report.bytes = batch.bytes;
  report.caught_up = batch.caught_up;
  report.untimed = cells.untimed();
  report.skipped = batch.stats.skipped;
  report.position = batch.next ? batch.next->offset : 0;

  const StoreTime at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  CycleWrite cycle{target_, kSlowLogServer, at, {}, {}, {}, {}};
  cycle.on_conflict = SampleConflict::kAdd;
  for (const TailNotice& notice : batch.notices) {
    if (notice.kind == TailNotice::Kind::kWaiting) continue;  // logged by the caller, not stored
    cycle.events.push_back({at, std::string(event_kind_of(notice.kind)), notice.message});
  }
  if (batch.stats.skipped > 0) {
    std::string lines;
    for (const uint64_t line : batch.stats.first_skipped_lines) {
      lines += (lines.empty() ? "" : ", ") + std::to_string(line);
    }
    cycle.events.push_back({at, std::string(event_kind::kError),
                            std::to_string(batch.stats.skipped) + " unreadable spots skipped in " +
                                tailer_.path() + " (from lines " + lines + ")"});
  }
  statements_.add_to_cycle(cells, cycle);
  if (batch.next && !(position_ && *batch.next == *position_)) {
    cycle.checkpoints.push_back({options_.checkpoint, batch.next->serialize()});
  }
  report.events = cycle.events;
  for (const TailNotice& notice : batch.notices) {
    if (notice.kind == TailNotice::Kind::kWaiting) {
      report.events.push_back({at, "log_missing", notice.message});
    }
  }
  if (cycle.samples.empty() && cycle.checkpoints.empty() && cycle.events.empty()) return report;

  const auto store_start = std::chrono::steady_clock::now();
  store.write_cycle(cycle);
  report.store_ms = ms_since(store_start);
  report.written = true;
  report.samples = cycle.samples.size();
  report.new_statements = cycle.new_statements.size();
  statements_.committed(cycle);
  position_ = batch.next;
  return report;
}

}  // namespace slowscope
