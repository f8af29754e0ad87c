#include "connectors/postgres/pgss_collector.h"

#include <time.h>

#include <algorithm>
#include <set>

#include "analyzer/error/errors.h"
#include "analyzer/store/tiers.h"
#include "connectors/common/collector.h"
#include "connectors/postgres/query_shape.h"

namespace slowscope {
namespace {

int64_t epoch_us(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

StoreTime to_store_time(int64_t seconds) {
  return StoreTime(std::chrono::seconds(seconds));
}

// A statement whose text the server no longer has still needs a shape: one per queryid, so
// that it is not merged with unrelated statements.
ShapeInfo unavailable_text_shape(const StatementKey& key) {
  ShapeInfo shape;
  shape.fingerprint = "<query text unavailable: queryid " + key.query_id + ">";
  shape.hash = std::string(kUnparsedShapePrefix) + "queryid" + key.query_id;
  return shape;
}

// `name` quoted as PostgreSQL's referential-integrity queries quote it: always.
std::string always_quoted(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

bool runs_inside_store_writes(const StatementKey& key, std::string_view text,
                              const ServerIdentity& server,
                              const std::optional<StoreTablesLocation>& store) {
  if (key.toplevel || !store || server.system_id != store->system_id ||
      key.database != store->database_oid) {
    return false;
  }
  const std::string schema = always_quoted(store->schema);
  for (const std::string_view table : store_table_names()) {
    if (text.find("ONLY " + schema + "." + always_quoted(table) + " ") != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string hidden_entries_message(int64_t hidden, std::string_view role) {
  return std::to_string(hidden) +
         " pg_stat_statements entries of other roles show <insufficient privilege> and are "
         "not collected: GRANT pg_read_all_stats TO " +
         std::string(role.empty() ? "<collector role>" : role);
}

std::vector<CollectorEvent> interval_events(const IntervalDeltas& deltas, int64_t hidden_before,
                                            int64_t hidden_now, std::string_view role,
                                            StoreTime at) {
  std::vector<CollectorEvent> events;
  if (deltas.server_break == EpochBreak::kServerChanged ||
      deltas.server_break == EpochBreak::kStatsReset ||
      deltas.server_break == EpochBreak::kServerRestart) {
    events.push_back({at, std::string(event_kind::kEpochBreak),
                      std::string(to_string(deltas.server_break)) +
                          ": samples of this interval are marked as an epoch break"});
  }
  if (deltas.entries_restarted > 0) {
    std::string evidence;
    const int64_t since =
        deltas.entries_restarted - deltas.restarted_backwards - deltas.restarted_impossible;
    for (const auto& [count, what] :
         {std::pair{deltas.restarted_backwards, "counters went backwards"},
          std::pair{deltas.restarted_impossible,
                    "counters that cannot have grown from the last poll's"},
          std::pair{since, "stats_since changed"}}) {
      if (count > 0) {
        evidence += (evidence.empty() ? "" : ", ") + std::to_string(count) + " " + what;
      }
    }
    events.push_back({at, std::string(event_kind::kEpochBreak),
                      std::to_string(deltas.entries_restarted) +
                          " entries restarted their counters (" + evidence +
                          "; pg_stat_statements_reset of single entries, or evictions): their "
                          "samples hold what ran since the restart and are marked as an epoch "
                          "break; what ran between the last poll and the restart is lost"});
  }
  if (deltas.entries_vanished > 0) {
    events.push_back({at, std::string(event_kind::kEpochBreak),
                      std::to_string(deltas.entries_vanished) +
                          " entries were removed without an eviction (pg_stat_statements_reset "
                          "of single entries): what they ran since the last poll is lost; they "
                          "count anew when they run again"});
  }
  if (deltas.deallocated > 0) {
    events.push_back({at, std::string(event_kind::kCoverageGap),
                      "coverage incomplete: raise pg_stat_statements.max (entries were "
                      "evicted " +
                          std::to_string(deltas.deallocated) + " times in this interval)"});
  }
  if (hidden_now > 0 && hidden_before <= 0) {
    events.push_back(
        {at, std::string(event_kind::kCoverageGap), hidden_entries_message(hidden_now, role)});
  }
  return events;
}

PgssCollector::PgssCollector(std::string target, std::unique_ptr<PgssPoller> poller,
                             bool keep_examples)
    : target_(std::move(target)), poller_(std::move(poller)), keep_examples_(keep_examples) {}

void PgssCollector::load_state(Store& store) {
  if (state_loaded_) return;
  if (auto blob = store.checkpoint(target_, kPgssCheckpoint)) {
    try {
      state_ = decode_state(*blob);
    } catch (const CorruptData&) {
      state_.reset();  // a new baseline is the safe answer to an unreadable checkpoint
    }
  }
  state_loaded_ = true;
}

PgssCycleReport PgssCollector::run_cycle(Store& store, std::chrono::system_clock::time_point now,
                                     std::chrono::seconds interval) {
  PgssCycleReport report;
  load_state(store);
  const int64_t now_us = epoch_us(now);
  const double cpu_start = thread_cpu_ms();
  auto lap = std::chrono::steady_clock::now();
  PgssSnapshot snapshot = poller_->poll(now_us);
  report.poll_ms = ms_since(lap);
  lap = std::chrono::steady_clock::now();
  report.hidden_entries = snapshot.hidden_entries;
  report.dealloc = snapshot.dealloc;

  known_.load(store, target_, snapshot.server);

  CollectorState next;
  const PgssSnapshot* previous = state_ ? &state_->snapshot : nullptr;
  // Own statements are only comparable within one server identity.
  if (state_ && state_->snapshot.server == snapshot.server) next.own_keys = state_->own_keys;
  next.last_bucket_start = state_ ? state_->last_bucket_start : 0;

  const int64_t step = interval.count();
  const int64_t bucket = floor_to(now_us / 1'000'000, step) - step;
  report.bucket_start = to_store_time(bucket);
  report.interval = interval;
  report.covered_from = report.bucket_start;
  if (previous != nullptr && previous->server == snapshot.server &&
      bucket <= state_->last_bucket_start) {
    // This bucket is already written; what ran since belongs to the next one.
    return report;
  }
  // The deltas cover what ran since the previous poll, which ran just after the boundary
  // that starts the span: one interval back, or more after downtime.
  int64_t covered_from = bucket;
  if (previous != nullptr && previous->server == snapshot.server) {
    covered_from = std::min(bucket, floor_to(previous->collected_at_us / 1'000'000, step));
  }
  report.covered_from = to_store_time(covered_from);

  // Texts of statements seen for the first time, in one query.
  std::vector<StatementKey> unknown;
  for (const PgssEntry& e : snapshot.entries) {
    if (!known_.contains(e.key) && !next.is_own(e.key)) unknown.push_back(e.key);
  }
  std::map<StatementKey, std::string> texts;
  bool texts_failed = false;
  if (!unknown.empty()) {
    try {
      texts = poller_->fetch_texts(unknown);
    } catch (const SourceError& e) {
      texts_failed = true;
      report.warnings.push_back(std::string(e.what()) + " (retried next cycle)");
    }
  }
  CycleWrite cycle;
  cycle.target = target_;
  cycle.keep_examples = keep_examples_;
  cycle.server = snapshot.server;
  cycle.collected_at = to_store_time(now_us / 1'000'000);
  std::set<StatementKey> deferred;
  std::vector<StatementKey> new_own;
  // The store's own statements are marked; what PostgreSQL runs inside them is not.
  const std::optional<StoreTablesLocation> store_tables =
      unknown.empty() ? std::nullopt : store.postgres_location();
  for (const StatementKey& key : unknown) {
    auto it = texts.find(key);
    if (it != texts.end() &&
        (is_own_statement(it->second) ||
         runs_inside_store_writes(key, it->second, snapshot.server, store_tables))) {
      new_own.push_back(key);
      continue;
    }
    if (texts_failed) {
      deferred.insert(key);
      continue;
    }
    NewStatement statement;
    statement.key = key;
    if (it != texts.end()) {
      statement.shape = postgres_query_shape(it->second);
      statement.query_text = std::move(it->second);
    } else {
      statement.shape = unavailable_text_shape(key);
    }
    cycle.new_statements.push_back(std::move(statement));
  }
  report.own_statements = new_own.size();
  report.texts_deferred = deferred.size();
  next.own_keys.insert(next.own_keys.end(), new_own.begin(), new_own.end());
  std::sort(next.own_keys.begin(), next.own_keys.end());

  report.texts_ms = ms_since(lap);
  lap = std::chrono::steady_clock::now();
  IntervalDeltas deltas = compute_interval(previous, snapshot);
  report.server_break = deltas.server_break;
  cycle.samples.reserve(deltas.deltas.size());
  for (EntryDelta& d : deltas.deltas) {
    if (next.is_own(d.key) || deferred.count(d.key) != 0) continue;
    Sample sample;
    sample.key = std::move(d.key);
    sample.bucket_start = report.covered_from;
    sample.interval = std::chrono::seconds(bucket + step - covered_from);
    sample.flags = d.flags;
    sample.measures = d.measures;
    cycle.samples.push_back(std::move(sample));
  }
  report.samples = cycle.samples.size();
  report.new_statements = cycle.new_statements.size();

  cycle.events =
      interval_events(deltas, previous ? previous->hidden_entries : -1, snapshot.hidden_entries,
                      poller_->current_user(), cycle.collected_at);
  if (auto gap = collection_gap_event(cycle.collected_at, covered_from, bucket + step, step)) {
    cycle.events.push_back(std::move(*gap));
  }
  if (snapshot.hidden_entries > 0) {
    report.warnings.push_back(
        hidden_entries_message(snapshot.hidden_entries, poller_->current_user()));
  }

  // The next state: entries whose text is pending keep their previous counters (or stay
  // out), so their delta is not lost but counted in the cycle that stores them.
  next.snapshot = std::move(snapshot);
  if (!deferred.empty()) {
    std::vector<PgssEntry> kept;
    kept.reserve(next.snapshot.entries.size());
    for (PgssEntry& e : next.snapshot.entries) {
      if (deferred.count(e.key) == 0) {
        kept.push_back(std::move(e));
      } else if (previous != nullptr) {
        auto it =
            std::lower_bound(previous->entries.begin(), previous->entries.end(), e.key,
                             [](const PgssEntry& p, const StatementKey& k) { return p.key < k; });
        if (it != previous->entries.end() && it->key == e.key) kept.push_back(*it);
      }
    }
    next.snapshot.entries = std::move(kept);
  }
  if (!cycle.samples.empty()) next.last_bucket_start = bucket;
  if (deltas.server_break == EpochBreak::kServerChanged) next.last_bucket_start = 0;
  cycle.checkpoints.push_back({std::string(kPgssCheckpoint), encode_state(next)});

  report.delta_ms = ms_since(lap);
  lap = std::chrono::steady_clock::now();
  store.write_cycle(cycle);
  report.store_ms = ms_since(lap);
  report.cpu_ms = thread_cpu_ms() - cpu_start;

  known_.committed(cycle);
  state_ = std::move(next);
  report.written = true;
  report.events = std::move(cycle.events);
  return report;
}

}  // namespace slowscope
