#include "connectors/mysql/slow_log_collector.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

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

LogFileWrite SlowLogFileCollector::file_write(const TailSpan& span, StoreTime at) const {
  LogFileWrite w;
  if (const auto it = files_.find({span.end.file.device, span.end.file.inode}); it != files_.end()) {
    w.expected = it->second;
  }
  LogFileRecord& f = w.file;
  f.host = LeaseHolder::this_process().host;
  f.device = span.end.file.device;
  f.inode = span.end.file.inode;
  f.head_bytes = span.end.file.head_bytes;
  f.head_hash = span.end.file.head_hash;
  // Where reading this file began: kept while reads follow on from each other.
  f.read_from =
      w.expected && w.expected->read_to == span.begin ? w.expected->read_from : span.begin;
  f.read_to = span.end.offset;
  f.resume = span.end.serialize();
  f.reader = options_.reader;
  f.updated_at = at;
  return w;
}

SlowLogFileCollector::SlowLogFileCollector(std::string target, std::string path, Options options)
    : target_(std::move(target)), options_(options), tailer_(std::move(path)) {}

void SlowLogFileCollector::load(Store& store) {
  position_.reset();
  if (auto text = store.checkpoint(target_, options_.checkpoint)) {
    position_ = SlowLogPosition::parse(*text);
    if (!position_) {
      spdlog::warn("{}: the stored slow-log position is unreadable; starting over at {}", target_,
                   options_.from_end ? "the end of the file" : "its start");
    }
  }
  files_.clear();
  for (LogFileRecord& f : store.log_files(target_, LeaseHolder::this_process().host)) {
    files_.emplace(FileKey{f.device, f.inode}, std::move(f));
  }
  statements_.load(store, target_);
  loaded_ = true;
  if (position_ && !options_.follow_rotations) {
    // A position in what the path held before is not this file's.
    struct stat st {};
    if (::stat(tailer_.path().c_str(), &st) != 0 ||
        position_->file.device != static_cast<uint64_t>(st.st_dev) ||
        position_->file.inode != static_cast<uint64_t>(st.st_ino)) {
      position_.reset();
    }
  }
}

void SlowLogFileCollector::skip_stored(SlowLogCycleReport& report) {
  // The file the next read starts in — the position's, or the one at the path — may have
  // been read further by another reader: resume after what it stored.
  FileKey key;
  uint64_t offset = 0;
  if (position_) {
    key = {position_->file.device, position_->file.inode};
    offset = position_->offset;
  } else {
    struct stat st {};
    if (::stat(tailer_.path().c_str(), &st) != 0) return;
    key = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
  }
  const auto it = files_.find(key);
  if (it == files_.end() || it->second.read_to <= offset) return;
  const auto resume = SlowLogPosition::parse(it->second.resume);
  // Not found with the stored first bytes: the inode now holds another file, whose record
  // this reader replaces when it stores what it reads.
  if (!resume || !tailer_.finds(resume->file)) return;
  report.already_stored = it->second.read_to - offset;
  report.stored_by = it->second.reader;
  position_ = resume;
}

SlowLogCycleReport SlowLogFileCollector::run_cycle(Store& store,
                                                   std::chrono::system_clock::time_point now,
                                                   std::chrono::seconds interval) {
  SlowLogCycleReport report;
  if (!loaded_) load(store);
  skip_stored(report);

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
  report.position = batch.span ? batch.span->end.offset : batch.next ? batch.next->offset : 0;

  const StoreTime at = std::chrono::time_point_cast<std::chrono::seconds>(now);
  CycleWrite cycle{target_, kSlowLogServer, at, {}, {}, {}, {}};
  cycle.on_conflict = SampleConflict::kAdd;
  cycle.keep_examples = options_.keep_examples;
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
  if (batch.span) {
    cycle.log_files.push_back(file_write(*batch.span, at));
    const auto& expected = cycle.log_files.back().expected;
    if (expected && batch.span->begin < expected->read_to) {
      const auto stored = SlowLogPosition::parse(expected->resume);
      if (stored && tailer_.finds(stored->file)) {
        throw std::logic_error("slow-log reader of target '" + target_ + "' read bytes of " +
                               tailer_.path() + " that the store holds already");
      }
    }
  }
  report.events = cycle.events;
  for (const TailNotice& notice : batch.notices) {
    if (notice.kind == TailNotice::Kind::kWaiting) {
      report.events.push_back({at, "log_missing", notice.message});
    }
  }
  if (cycle.samples.empty() && cycle.checkpoints.empty() && cycle.events.empty() &&
      cycle.log_files.empty()) {
    return report;
  }

  const auto store_start = std::chrono::steady_clock::now();
  try {
    store.write_cycle(cycle);
  } catch (const LogFileMoved&) {
    // Another reader stored entries of this file since this one looked: read again from
    // what the store holds now.
    loaded_ = false;
    report.caught_up = false;
    report.events = {{at, "log_shared",
                      "another reader stored entries of " + tailer_.path() +
                          " meanwhile; resuming after them"}};
    return report;
  }
  report.store_ms = ms_since(store_start);
  for (const LogFileWrite& w : cycle.log_files) {
    files_.insert_or_assign(FileKey{w.file.device, w.file.inode}, w.file);
  }
  report.written = true;
  report.samples = cycle.samples.size();
  report.new_statements = cycle.new_statements.size();
  statements_.committed(cycle);
  position_ = batch.next;
  return report;
}

}  // namespace slowscope
