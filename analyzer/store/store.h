// Store: slowscope's history — per-interval samples of every statement of every target,
// their hourly and daily rollups, the query shapes they belong to, collector checkpoints and
// events — in SQLite or in a PostgreSQL database shared by several collectors.
//
// Collectors write one CycleWrite per collection cycle, atomically; readers ask for top
// shapes and timelines. The same code and SQL run on both backends (see docs/STORE.md).
//
// A Store owns one connection and is not thread-safe: use one Store per thread. Any number
// of Stores, in one process or many, may use the same database; two collectors writing
// different targets never block each other for long. One process at a time collects a
// target: the one holding the target's lease (take_lease), renewed with its cycles.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/aggregate/quantile_sketch.h"
#include "analyzer/config/config.h"
#include "analyzer/store/measures.h"
#include "analyzer/store/sql_connection.h"
#include "analyzer/store/store_error.h"

namespace slowscope {

using StoreTime = std::chrono::sys_seconds;

// Which server a target was while its statement keys were read. PostgreSQL: the system
// identifier and the major version (query ids change with either); MySQL: server_uuid and
// version.
struct ServerIdentity {
  std::string system_id;
  std::string version;

  auto operator<=>(const ServerIdentity&) const = default;
};

// Identifies a statement within one server identity. PostgreSQL: dbid, userid, queryid (as
// decimal text) and toplevel; MySQL: schema name and digest, with `user` empty.
struct StatementKey {
  std::string database;
  std::string user;
  std::string query_id;
  bool toplevel = true;

  auto operator<=>(const StatementKey&) const = default;
};

// A query shape: one normalized statement, the same across servers and targets.
struct ShapeInfo {
  std::string hash;         // stable identity, e.g. the fingerprint's query id
  std::string fingerprint;  // normalized text
  std::vector<std::string> tables;
};

// A statement a collector sees for the first time, with its text fetched once.
struct NewStatement {
  StatementKey key;
  ShapeInfo shape;         // its fingerprint holds no literal value
  std::string query_text;  // a literal example, stored only when the cycle keeps examples
};

// Bits of Sample::flags.
enum SampleFlag : uint32_t {
  kSampleEpochBreak = 1,  // counters restarted within the interval (reset, restart)
  kSamplePartial = 2,     // the interval is not fully covered (e.g. entries were evicted)
};

// The exact cost of one statement over one collection interval.
struct Sample {
  StatementKey key;
  StoreTime bucket_start;  // start of the interval; collectors align it to the interval
  std::chrono::seconds interval{60};
  uint32_t flags = 0;
  Measures measures;
  std::string sketch;  // serialized quantile sketch (slow-log sources); empty for none
};

// Collector state that must move together with the samples it produced, e.g. the
// cumulative counters the next cycle subtracts.
struct Checkpoint {
  std::string name;
  std::string value;  // bytes
};

// Something a collector wants on record: coverage gaps, epoch breaks, errors.
struct CollectorEvent {
  StoreTime at;
  std::string kind;  // one of the event_kind constants below, or a new word
  std::string message;

  bool operator==(const CollectorEvent&) const = default;
};

namespace event_kind {
inline constexpr std::string_view kEpochBreak = "epoch_break";
inline constexpr std::string_view kCoverageGap = "coverage_gap";
inline constexpr std::string_view kError = "error";
// No poll for a while (collector or server down): what ran then is counted, but in one
// sample of the whole span, not interval by interval.
inline constexpr std::string_view kCollectionGap = "collection_gap";
}  // namespace event_kind

// A slow-log file whose entries a target holds: every entry before byte read_to is stored.
// A file is its host, device and inode, and the hash of its first head_bytes bytes (inodes
// are reused). The store compares and copies these fields; it does not read files.
struct LogFileRecord {
  std::string host;
  uint64_t device = 0;
  uint64_t inode = 0;
  uint32_t head_bytes = 0;
  uint64_t head_hash = 0;
  uint64_t read_from = 0;  // where the first reader began (after the start: it began at the end)
  uint64_t read_to = 0;
  std::string resume;  // the reader's position at read_to, as the reader encodes it
  std::string reader;  // who read up to read_to, for messages: "collect", "digest"
  StoreTime updated_at;

  bool operator==(const LogFileRecord&) const = default;
};

// A cycle's claim on a slow-log file: store `file` in place of `expected`, the row as the
// writer last read it (nullopt: no row). When the stored row is not `expected` — another
// reader stored entries of the file since — the whole cycle fails with LogFileMoved.
struct LogFileWrite {
  LogFileRecord file;
  std::optional<LogFileRecord> expected;
};

// A process that collects targets, as a lease names it.
struct LeaseHolder {
  std::string owner;  // unique per process run
  std::string host;   // the machine's host name
  int64_t pid = 0;
  std::string scope;  // the machine boot and PID namespace in which pid names the process

  // This process, with an owner id drawn once per process run.
  static const LeaseHolder& this_process();

  // "pid 1234 on db1".
  std::string describe() const;

  bool operator==(const LeaseHolder&) const = default;
};

// A target's lease: while it runs, only its holder collects the target.
struct Lease {
  LeaseHolder holder;
  StoreTime acquired_at;
  StoreTime heartbeat_at;  // last renewed
  StoreTime expires_at;

  bool operator==(const Lease&) const = default;
};

// Another process holds the lease of a target: take_lease() refused it, or write_cycle()
// found that the lease this Store took has been taken over since.
class LeaseHeld : public StoreError {
 public:
  LeaseHeld(const std::string& message, std::string target, Lease lease)
      : StoreError(message), target_(std::move(target)), lease_(std::move(lease)) {}
  const std::string& target() const { return target_; }
  const Lease& lease() const { return lease_; }

 private:
  std::string target_;
  Lease lease_;
};

// A cycle's LogFileWrite found the file's stored row changed since the writer read it:
// another reader stored entries of the file meanwhile. Nothing of the cycle was written;
// read Store::log_files() again and resume after what it holds.
class LogFileMoved : public StoreError {
 public:
  using StoreError::StoreError;
};

// What write_cycle does with a sample whose (target, bucket, statement) is already stored.
enum class SampleConflict {
  // The stored sample wins and the new one is dropped (and of two samples of one key in
  // the cycle, the first), so a cycle retried after an uncertain commit changes nothing.
  // For counter sources (pg_stat_statements), whose deltas cover whole intervals.
  kKeepStored,
  // The new sample is added to the stored one (sums, min/max, merged sketch; the hour gets
  // the increment), nothing is dropped. For log sources, whose entries of one interval may
  // arrive over several cycles; a retried cycle must not repeat them, which their
  // checkpoint, written in the same transaction, ensures. Two samples of one key in one
  // cycle are refused with StoreError: the collector sums them first.
  kAdd,
};

// Everything one collection cycle of one target writes, in one transaction.
struct CycleWrite {
  std::string target;     // registered with ensure_target()
  ServerIdentity server;  // the identity the statement keys belong to
  StoreTime collected_at;
  std::vector<NewStatement> new_statements;  // keys the store has not seen for this server
  std::vector<Sample> samples;               // each key known or in new_statements
  std::vector<Checkpoint> checkpoints;
  std::vector<CollectorEvent> events;
  std::vector<LogFileWrite> log_files = {};  // the slow-log file ranges the samples came from
  SampleConflict on_conflict = SampleConflict::kKeepStored;
  // Store new statements' query_text (literal examples: the target opted in); else the
  // store keeps no statement text, only the shapes' literal-free fingerprints.
  bool keep_examples = false;
};

struct KnownStatement {
  StatementKey key;
  int64_t statement_id = 0;
  int64_t shape_id = 0;
};

struct TargetInfo {
  int64_t id = 0;
  std::string name;
  Engine engine = Engine::kPostgres;
  StoreTime created_at;
  StoreTime samples_through;  // no sample covers time after this
  StoreTime daily_through;    // the daily rollup is complete before this
  std::optional<StoreTime> last_cycle_at;
};

enum class TopOrder {
  kTotal,  // total execution time
  kMean,   // mean execution time
  kCalls,
  kRows,          // rows returned or affected (MySQL: rows sent or affected)
  kIo,            // Measures::io_blocks()
  kRowsExamined,  // MySQL sources; 0 for PostgreSQL
};

// "total", "mean", "calls", "rows", "rows_examined" or "io".
std::string_view to_string(TopOrder order);

struct TopQuery {
  std::optional<std::string> target;  // all targets when empty
  StoreTime since;
  StoreTime until;
  TopOrder order = TopOrder::kTotal;
  int limit = 20;
};

// One shape on one target, summed over a time range.
struct ShapeTotals {
  std::string target;
  int64_t shape_id = 0;
  std::string shape_hash;
  std::string fingerprint;
  Measures measures;
};

struct TimelineQuery {
  std::string target;
  int64_t shape_id = 0;
  StoreTime since;
  StoreTime until;
  // Per collection interval wherever the target's raw samples are still kept (hours and
  // days only before them), instead of as few rows as the tiers allow: what a timeline of
  // one shape shows, where minutes matter (`show`).
  bool raw_where_kept = false;
};

// One bucket of a shape's timeline: a raw interval, an hour or a day, depending on which
// tier serves that time (see plan_tiers in analyzer/store/tiers.h).
struct TimelinePoint {
  StoreTime bucket_start;
  std::chrono::seconds bucket{0};
  Measures measures;
};

struct BucketQuery {
  std::string target;
  StoreTime since;
  StoreTime until;
  // Raw samples only, at the collection interval (for a recent window, still within raw
  // retention); otherwise whole days come from the daily rollup where it is complete,
  // whole hours from the hourly rollup, and only the edges from raw samples.
  bool raw_only = false;
  // Only what ShapeBucketCounts carries, from raw samples (implies raw_only): the totals
  // then hold calls, total_time, rows_examined and the shared blocks alone. A fraction of
  // a full read's cost, for the per-interval counts of many shapes.
  bool counts_only = false;
};

// One shape in one bucket (a raw interval, an hour or a day): the counts the per-interval
// regression tests need.
struct ShapeBucketCounts {
  int64_t shape_id = 0;
  StoreTime bucket_start;
  std::chrono::seconds bucket{0};
  int64_t calls = 0;
  int64_t rows_examined = 0;  // MySQL sources
  int64_t shared_blocks = 0;  // shared blocks hit + read (PostgreSQL)
  double total_time = 0;      // seconds
};

// One target's shapes over a time range, from one read: each shape's totals and its counts
// per bucket.
struct ShapeBuckets {
  std::vector<ShapeTotals> totals;         // by shape id
  std::vector<ShapeBucketCounts> buckets;  // by shape id, then bucket start
};

struct ShapeRecord {
  int64_t id = 0;
  ShapeInfo info;
  StoreTime first_seen;
};

// Which shapes a query id typed by a user names: its hash starts with `prefix` or ends
// with `suffix` (pt-query-digest 2.x printed the last 16 hex digits of the 32-digit MySQL
// id), both compared in lower case, so pass them lowercased.
struct ShapeHashMatch {
  std::string prefix;  // not empty
  std::string suffix;  // empty: no suffix matches
  int limit = 10;
};

struct StatementRecord {
  int64_t id = 0;
  ServerIdentity server;
  StatementKey key;
  std::string query_text;
  StoreTime first_seen;
};

// A deployment marker: regression checks compare what ran after it with what ran before.
struct Release {
  std::string name;
  StoreTime at;
  std::vector<std::string> targets;         // the targets it applies to; empty: every target
  std::map<std::string, std::string> meta;  // e.g. commit=abc123, version=2.4.1

  bool operator==(const Release&) const = default;
};

// The longest release name, in characters.
inline constexpr size_t kMaxReleaseNameCharacters = 200;

// Why `name` cannot name a release — empty, longer than kMaxReleaseNameCharacters
// characters (UTF-8), or holding a control character: names are printed on terminals and
// in CI logs, where one could rewrite what is shown — or nullopt when it can. The message
// does not repeat the name.
std::optional<std::string> release_name_problem(std::string_view name);

struct ReleaseQuery {
  std::optional<std::string> target;  // releases of this target or of every target; all when empty
  StoreTime since;
  StoreTime until;
};

// Where a finding is in its lifecycle (see docs/REGRESSION.md, "Findings").
enum class FindingStatus { kOpen, kResolved };

// "open" or "resolved".
std::string_view to_string(FindingStatus status);

// A finding as the store keeps it: one row per identity (target, shape, kind). The store
// does not interpret kind, severity or evidence; analyzer/regression decides them.
struct FindingRecord {
  std::string target;
  std::string shape_hash;
  std::string kind;         // the FindingKind's text, e.g. "latency"
  std::string fingerprint;  // the shape's normalized text; filled in by reads
  FindingStatus status = FindingStatus::kOpen;
  std::string severity;      // "warning" or "critical"
  StoreTime opened_at;       // when the current episode opened
  StoreTime first_interval;  // start of the post window it was first found in (this episode)
  StoreTime last_seen_at;    // the last detection pass that found it
  std::optional<StoreTime> resolved_at;  // set while resolved
  std::string release;                   // the release it follows; empty for none
  std::string evidence;                  // JSON of the latest detection that found it
  int clean_passes = 0;                  // evaluated passes in a row without it
  int reopen_count = 0;                  // how often it came back after being resolved

  // "target/shape_hash/kind", as FindingKey::id() in analyzer/regression/finding.h.
  std::string id() const;

  bool operator==(const FindingRecord&) const = default;
};

struct FindingQuery {
  std::optional<std::string> target;    // all targets when empty
  std::optional<FindingStatus> status;  // any status when empty
  StoreTime active_since;               // open, or resolved at or after this
};

// How many findings of one target, kind and severity are open.
struct OpenFindingCount {
  std::string target;
  std::string kind;
  std::string severity;
  int64_t count = 0;
};

// A finding's shape hash and kind: what identifies it within one target.
struct FindingShapeKind {
  std::string shape_hash;
  std::string kind;
};

// An alert event in the outbox (see docs/ALERTS.md). The store keeps its document as given
// and does not read it; the sender builds each receiver's request from it.
struct OutboxAlert {
  int64_t id = 0;  // the store's, ascending in the order events were queued; 0 before
  std::string target;
  std::string dedup_key;
  std::string action;    // "trigger" or "resolve"
  std::string severity;  // "info", "warning", "error" or "critical"
  std::string summary;   // one line, for listings
  std::string document;  // the event's slowscope.alert/1 JSON
  StoreTime created_at;
  std::vector<std::string> sinks;  // the sinks to deliver it to (when queued)

  bool operator==(const OutboxAlert&) const = default;
};

// Where one sink's delivery of one event stands.
enum class DeliveryState {
  kPending,    // not delivered yet: due at next_attempt_at
  kDelivered,  // the receiver acknowledged it
  kFailed,     // refused for good, or not acknowledged in the time allowed
};

// "pending", "delivered" or "failed".
std::string_view to_string(DeliveryState state);
// The state whose to_string() is `text`; nullopt for any other text.
std::optional<DeliveryState> delivery_state_from_string(std::string_view text);

// One sink's delivery of one outbox event.
struct AlertDelivery {
  OutboxAlert alert;  // its sinks left empty
  std::string sink;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  std::optional<StoreTime> first_attempt_at;
  StoreTime next_attempt_at;
  std::string last_error;  // of the last failed attempt; empty when none
  StoreTime updated_at;
};

// What a sender made of one attempt (Store::record_attempt).
struct DeliveryAttempt {
  DeliveryState state = DeliveryState::kDelivered;
  StoreTime at;               // when the attempt ended
  StoreTime next_attempt_at;  // for kPending: when to try again
  std::string error;          // for a failed attempt: why, never a secret
};

// How many of one sink's deliveries are in one state.
struct DeliveryCount {
  std::string sink;
  DeliveryState state = DeliveryState::kPending;
  int64_t count = 0;
};

struct OutboxQuery {
  std::optional<std::string> sink;           // all sinks when empty
  std::optional<DeliveryState> state;        // any state when empty
  StoreTime since;                           // events queued at or after this
  int limit = 1000;
};

// A detection pass's writes besides its findings (Store::update_findings), made in the
// same transaction: the alert events its changes cause and the state they are judged from.
struct FindingsUpdate {
  FindingsUpdate() = default;
  FindingsUpdate(std::vector<FindingRecord> rows) : rows(std::move(rows)) {}  // NOLINT: implicit

  std::vector<FindingRecord> rows;
  std::vector<Checkpoint> checkpoints;  // of the pass's target
  std::vector<OutboxAlert> alerts;
  StoreTime at;  // when the pass judged: the checkpoints' time
};

// What one rollup_and_prune() pass did, for logs.
struct RollupReport {
  int targets = 0;
  int64_t days_rolled = 0;  // day buckets (summed over targets) rolled up
};

// One table of the store in StoreStats: its rows and, for the sample tiers, the buckets
// they span.
struct StoreTableStats {
  std::string name;
  int64_t rows = 0;
  std::optional<int64_t> bytes;          // with its indexes; PostgreSQL only
  std::optional<StoreTime> oldest, newest;  // bucket_start range: samples, hourly, daily
};

// What the store holds and how big it is (Store::stats), for `slowscope store stats`.
struct StoreStats {
  std::string location;  // as describe()
  int schema_version = 0;
  int64_t bytes = 0;       // SQLite: the file with its WAL; PostgreSQL: the store's tables
  int64_t free_bytes = 0;  // SQLite: free pages a vacuum would return; PostgreSQL: 0
  std::vector<StoreTableStats> tables;  // every table of store_table_names(), in that order
};

// What Store::open does when `location` holds no store. Only writers that fill a store
// (collect, digest --store) create one: a reader pointed at a mistyped path must say so
// rather than answer from a new, empty store.
enum class StoreOpen {
  // Create the store (the SQLite file, the tables of a PostgreSQL database) if missing.
  kCreate,
  // Throw NoStoreError, creating nothing: the SQLite file must exist and hold slowscope's
  // schema (its migration ledger and tables), and so must the PostgreSQL database (its
  // search_path). An existing store of an older schema version is still brought up to date.
  kMustExist,
};

// Where a PostgreSQL store's tables are. A collector of the same cluster needs it to tell
// what PostgreSQL runs inside the store's writes — the referential-integrity checks of its
// foreign keys, nested statements with a text of PostgreSQL's own — from the workload.
struct StoreTablesLocation {
  std::string system_id;     // pg_control_system().system_identifier
  std::string database_oid;  // the database, as pg_stat_statements' dbid
  std::string schema;        // the schema the store's tables are in
};

// The names of the store's tables (what every migration creates, the schema ledger
// included).
const std::vector<std::string_view>& store_table_names();

class Store {
 public:
  // Opens the store at `location` and brings its schema up to date; `mode` says whether a
  // missing store is created. Throws StoreError (e.g. when the store's schema is newer than
  // this binary), NoStoreError when kMustExist finds none.
  static Store open(const StoreLocation& location, StoreOpen mode = StoreOpen::kCreate);

  // As open(), over a connection the caller made (tests wrap connections this way). With
  // kMustExist, what the connection itself created (an empty SQLite file) stays behind.
  explicit Store(std::unique_ptr<SqlConnection> connection, StoreOpen mode = StoreOpen::kCreate);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // The schema version of the store (equal to latest_schema_version() once open).
  int schema_version() const;

  // Where the store is, passwords masked.
  std::string describe() const;

  // For a PostgreSQL store, where its tables are (read once per Store); nullopt for SQLite.
  // Throws StoreError.
  std::optional<StoreTablesLocation> postgres_location();

  // Registers a target (idempotent) and returns its id. Throws StoreError when the name is
  // registered with another engine.
  int64_t ensure_target(std::string_view name, Engine engine);

  // All registered targets, by name.
  std::vector<TargetInfo> targets();

  // The statements stored for `target` under `server`, so a collector knows which keys
  // need no text fetched. Empty for an unknown target or server.
  std::vector<KnownStatement> known_statements(std::string_view target,
                                               const ServerIdentity& server);

  // Takes the lease of `target` for `holder` until now + ttl, or renews it. From then on
  // every write_cycle() of `target` through this Store renews it in the cycle's transaction
  // and fails with LeaseHeld, writing nothing, if another holder has taken it since. Throws
  // LeaseHeld when another holder's lease has not expired at `now`, unless that holder ran
  // on this machine and its process is gone; StoreError otherwise.
  Lease take_lease(std::string_view target, const LeaseHolder& holder, StoreTime now,
                   std::chrono::seconds ttl);

  // Gives up the lease of `target` if `holder` holds it, so that another process can take
  // the target over at once. Throws StoreError.
  void release_lease(std::string_view target, const LeaseHolder& holder);

  // The lease of `target`, expired or not; nullopt when none. Throws StoreError.
  std::optional<Lease> lease(std::string_view target);

  // The slow-log files of `target` on `host` whose entries the store holds, by device and
  // inode. Throws StoreError.
  std::vector<LogFileRecord> log_files(std::string_view target, std::string_view host);

  // The last checkpoint `name` written for `target`, if any.
  std::optional<std::string> checkpoint(std::string_view target, std::string_view name);

  // Writes checkpoint `name` of `target` on its own (a cycle's go with its samples, in
  // write_cycle): state a collector keeps outside its cycles. Throws StoreError.
  void put_checkpoint(std::string_view target, const Checkpoint& checkpoint, StoreTime at);

  // Writes a whole cycle in one transaction: statements, samples (and their hours),
  // checkpoints, events, slow-log file ranges. On any failure nothing of the cycle is stored
  // and StoreError is thrown: LeaseHeld when another process took over the target's lease
  // this Store holds, LogFileMoved when a file range is not as the cycle expected. A sample
  // for a (target, statement, bucket) already stored is kept or added to, as on_conflict
  // says.
  void write_cycle(const CycleWrite& cycle);

  // Folds committed cycles from SQLite's write-ahead log into the database file, without
  // waiting for readers (a no-op on PostgreSQL). SQLite does this by itself only once the
  // log holds about 40 MB, so that it does not land inside a cycle's commit: a collector
  // calls this after each cycle, outside the cycle's time. Throws StoreError.
  void flush_wal();

  // Rolls complete days up for every target and drops what is older than `retention`
  // (never hours that are not in a daily row yet; collector events, and alert events that
  // are settled and not their dedup key's latest, after retention.daily). Run it every few
  // cycles; safe to run from several collectors at once, each target in its own transaction.
  RollupReport rollup_and_prune(StoreTime now, const Retention& retention);

  // Row counts, sample ranges and sizes of the store's tables. Counts every row: seconds
  // on a store of many millions. Throws StoreError.
  StoreStats stats();

  // Gives the space of deleted rows back: SQLite rewrites the file (VACUUM: writers wait
  // for it, readers go on), PostgreSQL runs VACUUM (ANALYZE) on the store's tables.
  // Outside a transaction. Throws StoreError.
  void vacuum();

  // Writes a consistent copy of an SQLite store into `path`, an empty file that exists
  // (SQLite's VACUUM INTO: a read transaction, so collectors go on writing meanwhile).
  // Throws StoreError, also for a PostgreSQL store (pg_dump backs those up).
  void copy_into(const std::string& path);

  // The shapes that cost most over [since, until), by `order`, at most `limit` rows.
  std::vector<ShapeTotals> top(const TopQuery& query);

  // One shape of one target over [since, until), oldest bucket first.
  std::vector<TimelinePoint> timeline(const TimelineQuery& query);

  // Every shape of one target over [since, until): its totals (as top() sums them) and its
  // counts per bucket — raw intervals only, or as `top` reads them (whole days where the
  // daily rollup is complete, hours elsewhere, raw samples at the edges), as `raw_only`
  // asks. Throws StoreError for an unknown target.
  ShapeBuckets shape_buckets(const BucketQuery& query);

  // Per shape, the merge of the quantile sketches over [since, until), read from the tiers
  // as shape_buckets reads them (each hour and day holds the merge of its samples'
  // sketches). Rollup rows written before rollups kept sketches have none, so a range
  // reaching into them has sketches counting fewer calls than Store::top(). Shapes without
  // sketches are absent; PostgreSQL targets, whose sources write none, have none. Throws
  // StoreError for an unknown target or an unreadable sketch.
  std::map<int64_t, QuantileSketch> merged_sketches(const BucketQuery& query);

  // The start of the raw bucket of `target` that holds `at` strictly inside — it starts
  // before `at` and ends after it, so it mixes what ran before `at` with what ran after —
  // if the raw samples have one: the last bucket starting before `at`, at the longest
  // interval stored in it. Throws StoreError for an unknown target.
  std::optional<StoreTime> raw_bucket_holding(const std::string& target, StoreTime at);

  // The shape with id `shape_id`, if any.
  std::optional<ShapeRecord> shape(int64_t shape_id);

  // The shape whose hash (the query id reports show) is `hash`, if any.
  std::optional<ShapeRecord> shape_by_hash(std::string_view hash);

  // The shapes `match` names, by hash, at most match.limit. A scan of the shapes (the hash
  // index serves only exact, same-case ids): for an id a user typed, not for collection.
  // Throws InvalidInput for an empty prefix.
  std::vector<ShapeRecord> shapes_matching(const ShapeHashMatch& match);

  // The statements of `target` that have shape `shape_id`, with their text.
  std::vector<StatementRecord> statements_of_shape(std::string_view target, int64_t shape_id);

  // Records `release`. Throws StoreError when a release with its name is recorded already,
  // or when release_name_problem() refuses its name.
  void add_release(const Release& release);

  // Releases with `at` in [since, until), oldest first.
  std::vector<Release> releases(const ReleaseQuery& query);

  // The release called `name`, if recorded.
  std::optional<Release> release(std::string_view name);

  // One detection pass's bookkeeping for `target`, in one transaction: `decide` gets the
  // stored findings the pass may change — every open finding of the target, and the stored
  // rows (any status) of `also` — and returns the rows to write, each inserted or replacing
  // the row of its identity, with the checkpoints of `target` and the alert events to queue
  // along with them. `decide` may read this Store (it runs inside the transaction). Nothing
  // is written when `decide` or a write throws; StoreError is thrown. A row whose target is
  // not `target`, or whose shape is unknown, fails it.
  void update_findings(
      std::string_view target, const std::vector<FindingShapeKind>& also,
      const std::function<FindingsUpdate(const std::vector<FindingRecord>&)>& decide);

  // Findings matching `query`, by target, then oldest opened first.
  std::vector<FindingRecord> findings(const FindingQuery& query);

  // The finding whose id is `id` ("target/shape_hash/kind"), if stored.
  std::optional<FindingRecord> finding(std::string_view id);

  // The open findings of `target` (every target when empty), counted by target, kind and
  // severity; one aggregate query, for monitoring after every cycle. Throws StoreError.
  std::vector<OpenFindingCount> open_finding_counts(std::string_view target = "");

  // Queues `alerts` with `checkpoints` of `target` (e.g. the state they were judged from),
  // in one transaction: each alert pending for each of its sinks. Throws StoreError.
  void queue_alerts(std::string_view target, const std::vector<OutboxAlert>& alerts,
                    const std::vector<Checkpoint>& checkpoints, StoreTime at);

  // Claims for `sender` until now + `hold` (longer than one attempt takes) at most `limit`
  // deliveries `sink` may attempt at `now`, oldest first: pending, due, not claimed by a
  // sender whose claim is live, and the first pending event of their dedup key for the
  // sink (events of one key go out in order). Two senders never hold one delivery at once.
  // Throws StoreError.
  std::vector<AlertDelivery> claim_deliveries(std::string_view sink, std::string_view sender,
                                              StoreTime now, std::chrono::seconds hold,
                                              int limit);

  // Records `sender`'s attempt at the delivery of event `event_id` to `sink`, and ends its
  // claim. False (nothing written) when the claim had expired and another sender claimed
  // the delivery since. Throws StoreError.
  bool record_attempt(int64_t event_id, std::string_view sink, std::string_view sender,
                      const DeliveryAttempt& attempt);

  // Deliveries matching `query`, newest event first (then by sink). Throws StoreError.
  std::vector<AlertDelivery> deliveries(const OutboxQuery& query);

  // The outbox's backlog: deliveries not delivered — pending, or failed (kept until pruned) —
  // counted by sink and state; one aggregate query, for monitoring. Throws StoreError.
  std::vector<DeliveryCount> undelivered_counts();

  // The events still firing at `sink`: each dedup key's latest event, where it is a trigger
  // delivered to the sink; oldest first. For receivers whose alerts lapse unless re-sent.
  // Throws StoreError.
  std::vector<OutboxAlert> firing_alerts(std::string_view sink);

  // Collector events of `target` in [since, until), oldest first.
  std::vector<CollectorEvent> events(std::string_view target, StoreTime since, StoreTime until);

  // The internals (analyzer/store/store_impl.h), named here only so that the store's own
  // source files can share them; not part of the interface.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace slowscope
