#include "connectors/mysql/mysql_collectors.h"

#include <algorithm>
#include <cstdlib>

#include "analyzer/error/errors.h"
#include "analyzer/fingerprint/fingerprint.h"
#include "analyzer/fingerprint/query_id.h"
#include "analyzer/fingerprint/tables.h"
#include "analyzer/store/tiers.h"
#include "connectors/common/collector.h"
#include "connectors/mysql/digest_delta.h"
#include "connectors/mysql/slow_log_table_state.h"

namespace slowscope {
namespace {

StoreTime seconds_of(std::chrono::system_clock::time_point t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

// The bucket of the last performance_schema cycle written and of the last one with samples
// ("SECONDS SECONDS"), stored with its samples and snapshot.
constexpr std::string_view kDigestBucketCheckpoint = "performance_schema.buckets";

}  // namespace

// --- mysql.slow_log ----------------------------------------------------------------------

SlowLogTableCollector::SlowLogTableCollector(const TargetConfig& target)
    : target_(target.name), keep_examples_(target.examples), session_(target) {}

MysqlCycleReport SlowLogTableCollector::run_cycle(Store& store,
                                                  std::chrono::system_clock::time_point now,
                                                  std::chrono::seconds interval) {
  MysqlCycleReport report;
  if (!reader_) {
    SlowLogTableState state;
    if (auto text = store.checkpoint(target_, kSlowLogTableCheckpoint)) {
      try {
        state = decode_slow_log_state(*text);
      } catch (const CorruptData& e) {
        report.warnings.push_back(
            std::string("the stored mysql.slow_log position is unreadable (") + e.what() +
            "); reading the table from its start");
      }
    }
    statements_.load(store, target_);
    reader_ = std::make_unique<SlowLogTableReader>(session_, state);
  }
  const int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  IntervalAggregator cells(interval);
  const SlowLogTableRead read =
      reader_->read([&](const QueryEvent& event) { cells.add(event, now_us); });
  report.entries = read.delivered;
  if (read.whole_second_precision && !warned_whole_seconds_) {
    report.warnings.push_back(
        "mysql.slow_log keeps whole seconds (its time columns have no fraction): query "
        "times are rounded; ALTER the table to TIME(6)/TIMESTAMP(6) for microseconds");
    warned_whole_seconds_ = true;
  }
  if (read.delivered == 0 && read.next_state == reader_->state()) return report;

  CycleWrite cycle{target_, kSlowLogServer, seconds_of(now), {}, {}, {}, {}};
  cycle.on_conflict = SampleConflict::kAdd;
  cycle.keep_examples = keep_examples_;
  statements_.add_to_cycle(cells, cycle);
  cycle.checkpoints.push_back(
      {std::string(kSlowLogTableCheckpoint), encode_slow_log_state(read.next_state)});
  store.write_cycle(cycle);
  statements_.committed(cycle);
  reader_->commit(read.next_state);
  report.written = true;
  report.samples = cycle.samples.size();
  report.new_statements = cycle.new_statements.size();
  return report;
}

// --- performance_schema ------------------------------------------------------------------

DigestCollector::DigestCollector(const TargetConfig& target)
    : target_(target.name), keep_examples_(target.examples), session_(target), poller_(session_) {}

MysqlCycleReport DigestCollector::run_cycle(Store& store, std::chrono::system_clock::time_point now,
                                            std::chrono::seconds interval) {
  MysqlCycleReport report;
  if (!loaded_) {
    if (auto blob = store.checkpoint(target_, kDigestCheckpoint)) {
      try {
        previous_ = decode_digest_snapshot(*blob);
      } catch (const CorruptData& e) {
        previous_.reset();  // a new baseline is the safe answer to an unreadable checkpoint
        report.warnings.push_back(
            std::string("the stored performance_schema snapshot is unreadable (") + e.what() +
            "); this cycle takes a new baseline");
      }
    }
    if (auto text = store.checkpoint(target_, kDigestBucketCheckpoint)) {
      char* rest = nullptr;
      last_bucket_ = std::strtoll(text->c_str(), &rest, 10);
      last_sampled_bucket_ = std::strtoll(rest, nullptr, 10);
    }
    loaded_ = true;
  }
  const DigestSnapshot snapshot = poller_.poll();
  const StoreTime at = seconds_of(now);
  const int64_t step = interval.count();
  const int64_t bucket_s = floor_to(at.time_since_epoch().count(), step) - step;
  const bool continues = previous_ && previous_->server == snapshot.server;
  if (continues && bucket_s <= last_sampled_bucket_) {
    // This bucket is already written; what ran since belongs to the next one.
    report.bucket_taken = true;
    return report;
  }
  const DigestInterval delta = compute_digest_interval(previous_ ? &*previous_ : nullptr, snapshot);
  // The deltas cover what ran since the last cycle: one interval, or more after downtime.
  const int64_t from =
      continues && last_bucket_ > 0 ? std::min(bucket_s, last_bucket_ + step) : bucket_s;
  const StoreTime bucket{std::chrono::seconds(from)};
  report.covered = std::chrono::seconds(bucket_s + step - from);

  CycleWrite cycle{target_, snapshot.server, at, {}, {}, {}, {}};
  cycle.keep_examples = keep_examples_;
  report.baseline = delta.server_break == DigestBreak::kBaseline;
  if (delta.server_break != DigestBreak::kNone && delta.server_break != DigestBreak::kBaseline) {
    cycle.events.push_back({at, std::string(event_kind::kEpochBreak),
                            std::string(to_string(delta.server_break)) +
                                ": samples of this interval are marked as an epoch break"});
  }
  if (auto gap = collection_gap_event(at, from, bucket_s + step, step)) {
    cycle.events.push_back(std::move(*gap));
  }
  if (delta.coverage_incomplete()) {
    cycle.events.push_back({at, std::string(event_kind::kCoverageGap),
                            std::string(kDigestCoverageMessage) + " (" +
                                std::to_string(delta.undigested_calls) +
                                " statements without a digest in this interval)"});
  }
  if (!report.baseline) {
    known_.load(store, target_, snapshot.server);
    Fingerprinter fingerprinter;
    for (const DigestDelta& d : delta.deltas) {
      Sample sample;
      sample.key = StatementKey{d.schema, "", d.digest, true};
      sample.bucket_start = bucket;
      sample.interval = report.covered;
      sample.flags = d.flags;
      sample.measures.calls = d.calls;
      sample.measures.total_time = d.total_time;
      sample.measures.min_time = d.min_time;
      sample.measures.max_time = d.max_time;
      sample.measures.row_count = d.rows_sent + d.rows_affected;
      sample.measures.rows_examined = d.rows_examined;
      if (!known_.contains(sample.key)) {
        // The shape of a digest: its text fingerprinted like a logged statement, so that
        // literal-free digest texts group the same way.
        const std::string fingerprint(fingerprinter.fingerprint(d.digest_text));
        cycle.new_statements.push_back(
            {sample.key,
             ShapeInfo{query_id(fingerprint), fingerprint, extract_tables(d.digest_text)},
             d.digest_text});
      }
      cycle.samples.push_back(std::move(sample));
    }
  }
  report.entries = static_cast<int64_t>(delta.deltas.size());
  cycle.checkpoints.push_back({std::string(kDigestCheckpoint), encode_digest_snapshot(snapshot)});
  const int64_t sampled = cycle.samples.empty() ? last_sampled_bucket_ : bucket_s;
  cycle.checkpoints.push_back({std::string(kDigestBucketCheckpoint),
                               std::to_string(bucket_s) + " " + std::to_string(sampled)});
  store.write_cycle(cycle);
  known_.committed(cycle);
  previous_ = snapshot;
  last_bucket_ = bucket_s;
  last_sampled_bucket_ = sampled;
  report.written = true;
  report.samples = cycle.samples.size();
  report.new_statements = cycle.new_statements.size();
  report.events = cycle.events;
  return report;
}

}  // namespace slowscope
