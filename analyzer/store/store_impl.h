// Store internals shared by store.cpp (writes) and store_queries.cpp (reads). Not part of
// the store's interface. Same thread-safety as Store: one thread at a time.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/store/sql_batch.h"
#include "analyzer/store/sql_connection.h"
#include "analyzer/store/store.h"
#include "analyzer/store/tiers.h"

namespace slowscope {

// A store time as the UTC epoch seconds the tables hold, and back.
inline int64_t epoch_seconds(StoreTime t) {
  return t.time_since_epoch().count();
}
inline StoreTime store_time(int64_t seconds) {
  return StoreTime(std::chrono::seconds(seconds));
}

struct Store::Impl {
  std::unique_ptr<SqlConnection> db;
  int version = 0;
  std::optional<StoreTablesLocation> postgres_location;  // read once, PostgreSQL only

  // Prepared statements of sql/store/<name>.sql, prepared once per connection.
  std::map<std::string, std::unique_ptr<SqlStatement>, std::less<>> statements;

  // Ids of rows known to be committed. Rows created inside a transaction join these only
  // after it commits, so a rolled-back cycle cannot leave an id that does not exist.
  std::map<std::string, std::pair<int64_t, Engine>, std::less<>> target_ids;
  std::map<std::pair<int64_t, ServerIdentity>, int64_t> server_ids;
  std::map<std::string, int64_t> shape_ids;
  std::map<std::pair<int64_t, StatementKey>, std::pair<int64_t, int64_t>> statement_ids;
  // Hash and fingerprint by shape id, read outside a transaction: a shape row never changes,
  // and a detection pass names thousands of shapes several times over (one query each).
  // Cleared when it reaches kMaxNamedShapes, to bound its memory.
  struct ShapeName {
    std::string hash;
    std::string fingerprint;
  };
  static constexpr size_t kMaxNamedShapes = 200'000;
  std::unordered_map<int64_t, ShapeName> shape_names;
  // The leases this Store took, by target id, with their length: write_cycle renews them.
  std::map<int64_t, std::pair<LeaseHolder, std::chrono::seconds>> held_leases;

  // The statement sql/store/<name>.sql, reset and ready to bind.
  SqlStatement& sql(std::string_view name);

  // sql/store/<name>.sql, a batch template (analyzer/store/sql_batch.h), with its row
  // repeated `rows` times: prepared once per connection and row count, reset.
  SqlStatement& batch(std::string_view name, int rows);

  // Parameters of one row of the batch template sql/store/<name>.sql.
  int batch_row_parameters(std::string_view name);

  // Runs the batch template sql/store/<name>.sql over `items`, a few hundred rows per
  // statement (one row per statement when `row_by_row`): bind(statement, first parameter
  // of the row, item) binds one row, and on_done(statement, first item, rows) sees each
  // statement once it has run. Returns the rows the statements changed (SqlStatement::
  // changes()).
  template <typename Item, typename Bind, typename OnDone>
  int64_t write_batches(std::string_view name, const std::vector<Item>& items, bool row_by_row,
                        Bind&& bind, OnDone&& on_done);
  template <typename Item, typename Bind>
  int64_t write_batches(std::string_view name, const std::vector<Item>& items, Bind&& bind) {
    return write_batches(name, items, false, std::forward<Bind>(bind),
                         [](const SqlStatement&, size_t, int) {});
  }

  // The shape row `get` (shape_get.sql or shape_by_hash.sql, bound) finds, with its tables.
  std::optional<ShapeRecord> read_shape(SqlStatement& get);

  // Fills each row's shape hash and fingerprint from its shape id. Throws SqlError.
  void name_shapes(std::vector<ShapeTotals>& rows);

  // The id and engine of target `name`; nullopt when not registered.
  std::optional<std::pair<int64_t, Engine>> find_target(std::string_view name);

  // As find_target, throwing StoreError when the target is not registered.
  int64_t target_id(std::string_view name);

  // Runs `work` in a transaction, rolled back on any exception, which is rethrown as a
  // StoreError naming the store and `operation`.
  template <typename Work>
  auto in_transaction(std::string_view operation, Work&& work);

  [[noreturn]] void fail(std::string_view operation, std::string_view cause) const;

  // Inside write_cycle's transaction, after the target's row lock: renews the lease this
  // Store holds on `target` (LeaseHeld when taken over), then writes `cycle.log_files`
  // (LogFileMoved when a row is not as expected).
  void renew_held_lease(int64_t target, const std::string& name, StoreTime now);
  void write_log_files(int64_t target, const CycleWrite& cycle);

  // write_cycle's transaction; `row_by_row` inserts one sample per statement, so that
  // samples already stored are skipped one by one (see store.cpp). With SampleConflict::kAdd
  // those were added to the stored ones and taken out first, so none is skipped.
  void write_cycle_attempt(const CycleWrite& cycle, const std::string& operation, int64_t target,
                           bool row_by_row);
};

template <typename Work>
auto Store::Impl::in_transaction(std::string_view operation, Work&& work) {
  try {
    db->begin();
    if constexpr (std::is_void_v<decltype(work())>) {
      work();
      db->commit();
    } else {
      auto result = work();
      db->commit();
      return result;
    }
  } catch (const StoreError&) {
    db->rollback();
    throw;
  } catch (const std::exception& e) {
    db->rollback();
    fail(operation, e.what());
  }
}

template <typename Item, typename Bind, typename OnDone>
int64_t Store::Impl::write_batches(std::string_view name, const std::vector<Item>& items,
                                   bool row_by_row, Bind&& bind, OnDone&& on_done) {
  if (items.empty()) return 0;
  const int parameters = batch_row_parameters(name);
  int64_t changed = 0;
  size_t next = 0;
  for (const int size : batch_sizes(items.size(), row_by_row ? 1 : max_batch_rows(parameters))) {
    SqlStatement& statement = batch(name, size);
    const size_t first = next;
    for (int r = 0; r < size; ++r) bind(statement, 1 + r * parameters, items[next++]);
    statement.run();
    changed += statement.changes();
    on_done(statement, first, size);
  }
  return changed;
}

Engine engine_from_text(std::string_view text);

// A sample of a cycle with the ids of its statement and shape.
struct SampleRow {
  const Sample* sample;
  int64_t statement_id;
  int64_t shape_id;
};

// A rollup tier that write_cycle adds samples to as it stores them: every hour, and the
// days before the target's daily_through (later days are built by rollup_and_prune).
struct RollupTier {
  std::string_view add;         // batch template (hourly_add.sql, daily_add.sql)
  std::string_view sketch_get;  // one bucket's sketch, and its replacement
  std::string_view sketch_set;
  int64_t seconds;              // bucket length
};
inline constexpr RollupTier kHourlyTier{"hourly_add", "hourly_sketch_get", "hourly_sketch_set",
                                        kSecondsPerHour};
inline constexpr RollupTier kDailyTier{"daily_add", "daily_sketch_get", "daily_sketch_set",
                                       kSecondsPerDay};

// The start of the bucket of `tier` that `sample` is rolled up into.
int64_t bucket_of(const Sample& sample, const RollupTier& tier);

// Binds one row of tier.add from parameter `first` on: the sample of `row` added to its
// bucket, counting as `samples` raw samples (1 when new, 0 when it was added to a stored
// sample).
void bind_rollup_add(SqlStatement& statement, int first, int64_t target, const RollupTier& tier,
                     const SampleRow& row, int64_t samples);

// Adds the samples of `rows`, just inserted, to their buckets of `tier` (sums and sketches),
// inside the caller's transaction; each row exactly once.
void add_to_rollup(Store::Impl& s, int64_t target, const RollupTier& tier,
                   const std::vector<const SampleRow*>& rows);

// For SampleConflict::kAdd: adds each row whose sample is already stored to it (and its
// increment to the hour, and to the day when the day is before `daily_through`), inside the
// caller's transaction, and removes those rows from `rows`; what remains is new and goes
// through the usual insert. Throws StoreError when a key comes twice in `rows`.
void add_to_stored_samples(Store::Impl& s, int64_t target, int64_t daily_through,
                           std::vector<SampleRow>& rows);

// The sum of two serialized quantile sketches; either may be empty (no sketch). Throws
// CorruptData for an unreadable one.
std::string merged_sketch(const std::string& stored, const std::string& added);

// Merges the sketch of `row`'s sample, if it has one, into its bucket's of `tier`, inside
// the caller's transaction and after tier.add has written the bucket's row.
void add_sketch_to_rollup(Store::Impl& s, int64_t target, const RollupTier& tier,
                          const SampleRow& row);

// Writes checkpoint `checkpoint` of target id `target` as of `at`, inside the caller's
// transaction. Throws SqlError.
void put_checkpoint_row(Store::Impl& s, int64_t target, const Checkpoint& checkpoint,
                        StoreTime at);

// Queues `alerts` (each pending for its sinks, due at `at`) and writes `checkpoints` of
// target id `target`, inside the caller's transaction. Throws SqlError.
void write_alerts(Store::Impl& s, int64_t target, const std::vector<OutboxAlert>& alerts,
                  const std::vector<Checkpoint>& checkpoints, StoreTime at);

// The schema version from which the store keeps no literal statement text by default.
inline constexpr int kLiteralFreeSchema = 6;

// For a store migrated from before kLiteralFreeSchema: rewrites the fingerprints of
// PostgreSQL shapes that still hold constants, then (SQLite) rebuilds the file so that no
// free page or log frame keeps the old text, and takes the files' access away from
// others. Throws StoreError.
void scrub_literal_text(Store::Impl& s);

// SQLite: rebuilds the database file and empties its write-ahead log (sqlite/vacuum.sql),
// giving free pages back; when that fails, the session's settings are restored (the script
// changes temp_store for its VACUUM). Outside a transaction. Throws SqlError.
void rewrite_sqlite_file(Store::Impl& s);

// Sets the sketch of each day in [from, to) (days, 86400-aligned) of `target` that
// rollup_daily.sql has just built to the merge of its hours' sketches.
void roll_sketches_into_days(Store::Impl& s, int64_t target, int64_t from, int64_t to);

}  // namespace slowscope
