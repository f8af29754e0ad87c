#include "analyzer/store/store.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzer/config/dsn.h"
#include "analyzer/store/measure_columns.h"
#include "analyzer/store/migrations.h"
#include "analyzer/store/postgres_connection.h"
#include "analyzer/store/sql_batch.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store_impl.h"
#include "analyzer/store/tiers.h"
#include "sql/embedded.h"

namespace slowscope {
namespace {

int64_t wall_clock_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string describe_key(const StatementKey& key) {
  return "(database " + key.database + ", user " + key.user + ", query " + key.query_id +
         (key.toplevel ? ", toplevel)" : ", nested)");
}

struct PairHash {
  size_t operator()(const std::pair<int64_t, int64_t>& p) const {
    return std::hash<int64_t>()(p.first) * 31 + std::hash<int64_t>()(p.second);
  }
};

// A batch skipped samples already stored: write_cycle rolls back and goes row by row.
class SamplesNotAllNew : public StoreError {
 public:
  SamplesNotAllNew() : StoreError("samples already stored") {}
};

void check_flags(uint32_t flags) {
  if ((flags & ~uint32_t{kSampleEpochBreak | kSamplePartial}) != 0) {
    throw StoreError("sample flags " + std::to_string(flags) + " hold unknown bits");
  }
}

// For StoreOpen::kMustExist on SQLite: the file is there, is a file, and is empty or starts
// with SQLite's header — checked before the connection opens it, so that the message says
// what is wrong instead of SQLite's "unable to open database file" or "file is not a
// database". A file that cannot be read is left for the connection to report.
void require_store_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
      throw NoStoreError("no store at sqlite:" + path + ": its folder " + dir.string() +
                         " does not exist");
    }
    throw NoStoreError("no store at sqlite:" + path + " (no such file)");
  }
  if (std::filesystem::is_directory(status)) {
    throw NoStoreError("no store at sqlite:" + path + ": it is a directory, not a store file");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw NoStoreError("no store at sqlite:" + path + ": not a regular file");
  }
  static constexpr std::string_view kHeader("SQLite format 3\0", 16);
  std::ifstream file(path, std::ios::binary);
  std::string start(kHeader.size(), '\0');
  if (!file.read(start.data(), static_cast<std::streamsize>(start.size())) && file.gcount() == 0) {
    return;  // empty (an empty database to SQLite), or unreadable
  }
  start.resize(static_cast<size_t>(file.gcount()));
  if (start != kHeader) {
    throw NoStoreError("no store at sqlite:" + path + ": the file is not an SQLite database");
  }
}

// For StoreOpen::kMustExist: the database holds slowscope's schema ledger, with at least one
// migration recorded, and its targets table; read without creating anything (migrate()
// would create the ledger).
void require_schema_ledger(SqlConnection& db) {
  const std::string name = "store/" + std::string(to_string(db.backend())) + "/store_exists";
  bool exists = false;
  try {
    auto ledger = db.prepare(name, sql::text(name));
    exists = ledger->step() && ledger->get_int(0) != 0;
    ledger->reset();
    if (exists) {
      auto version =
          db.prepare("store/schema_version_current", sql::text("store/schema_version_current"));
      exists = version->step() && !version->is_null(0) && version->get_int(0) > 0;
      version->reset();
    }
  } catch (const SqlError& e) {
    // SQLite says "file is not a database" only once something reads the file.
    throw NoStoreError("no store at " + db.describe() + ": cannot read it as a store (" + e.what() +
                       ")");
  }
  if (!exists) {
    throw NoStoreError("no store at " + db.describe() +
                       ": the database holds no slowscope schema (no schema_version table)");
  }
}

}  // namespace

int64_t bucket_of(const Sample& sample, const RollupTier& tier) {
  return floor_to(epoch_seconds(sample.bucket_start), tier.seconds);
}

Engine engine_from_text(std::string_view text) {
  return text == "mysql" ? Engine::kMysql : Engine::kPostgres;
}

void bind_rollup_add(SqlStatement& statement, int first, int64_t target, const RollupTier& tier,
                     const SampleRow& row, int64_t samples) {
  statement.bind_int(first + 0, target);
  statement.bind_int(first + 1, bucket_of(*row.sample, tier));
  statement.bind_int(first + 2, row.statement_id);
  statement.bind_int(first + 3, row.shape_id);
  statement.bind_int(first + 4, samples);
  statement.bind_int(first + 5, row.sample->flags);
  bind_measures(statement, first + 6, row.sample->measures);
}

void add_to_rollup(Store::Impl& s, int64_t target, const RollupTier& tier,
                   const std::vector<const SampleRow*>& rows) {
  // One statement may change each (statement, bucket) once, so a statement's later samples
  // of the same bucket (a backlog) go into later rounds.
  std::vector<std::vector<const SampleRow*>> rounds;
  std::unordered_map<std::pair<int64_t, int64_t>, size_t, PairHash> per_bucket;
  per_bucket.reserve(rows.size());
  for (const SampleRow* row : rows) {
    size_t& count = per_bucket[{row->statement_id, bucket_of(*row->sample, tier)}];
    if (count == rounds.size()) rounds.emplace_back();
    rounds[count++].push_back(row);
  }
  for (const auto& round : rounds) {
    s.write_batches(tier.add, round, [&](SqlStatement& add, int p, const SampleRow* row) {
      bind_rollup_add(add, p, target, tier, *row, 1);
    });
  }
  for (const SampleRow* row : rows) add_sketch_to_rollup(s, target, tier, *row);
}

SqlStatement& Store::Impl::sql(std::string_view name) {
  auto it = statements.find(name);
  if (it == statements.end()) {
    const std::string full = "store/" + std::string(name);
    it = statements.emplace(std::string(name), db->prepare(full, sql::text(full))).first;
  }
  it->second->reset();
  return *it->second;
}

SqlStatement& Store::Impl::batch(std::string_view name, int rows) {
  const std::string key = std::string(name) + "[" + std::to_string(rows) + "]";
  auto it = statements.find(key);
  if (it == statements.end()) {
    const std::string full = "store/" + std::string(name);
    it = statements
             .emplace(key, db->prepare("store/" + key, repeat_row(full, sql::text(full), rows)))
             .first;
  }
  it->second->reset();
  return *it->second;
}

int Store::Impl::batch_row_parameters(std::string_view name) {
  const std::string full = "store/" + std::string(name);
  return row_parameters(full, sql::text(full));
}

std::optional<std::pair<int64_t, Engine>> Store::Impl::find_target(std::string_view name) {
  if (auto it = target_ids.find(name); it != target_ids.end()) return it->second;
  auto& find = sql("target_find");
  find.bind_text(1, name);
  if (!find.step()) return std::nullopt;
  std::pair<int64_t, Engine> found{find.get_int(0), engine_from_text(find.get_text(1))};
  find.reset();
  // Targets are never deleted, and a row read outside a transaction is committed.
  if (!db->in_transaction()) target_ids.emplace(std::string(name), found);
  return found;
}

int64_t Store::Impl::target_id(std::string_view name) {
  auto found = find_target(name);
  if (!found) {
    throw StoreError("store " + db->describe() + ": unknown target '" + std::string(name) +
                     "'; register it first");
  }
  return found->first;
}

void Store::Impl::fail(std::string_view operation, std::string_view cause) const {
  throw StoreError("store " + db->describe() + ": " + std::string(operation) + ": " +
                   std::string(cause));
}

Store Store::open(const StoreLocation& location, StoreOpen mode) {
  std::unique_ptr<SqlConnection> connection;
  try {
    if (location.kind == StoreLocation::Kind::kSqlite) {
      if (mode == StoreOpen::kMustExist) require_store_file(location.address);
      connection = std::make_unique<SqliteConnection>(
          location.address,
          mode == StoreOpen::kCreate ? SqliteFile::kCreate : SqliteFile::kExisting);
    } else {
      connection = std::make_unique<PostgresConnection>(location.address);
    }
  } catch (const SqlError& e) {
    if (location.kind == StoreLocation::Kind::kPostgres && libpq_login_refused(e.what())) {
      throw StoreUnusableError(std::string(e.what()) +
                               " (login refused: check the store's user, password and dbname)");
    }
    throw StoreError(e.what());
  }
  return Store(std::move(connection), mode);
}

Store::Store(std::unique_ptr<SqlConnection> connection, StoreOpen mode)
    : impl_(std::make_unique<Impl>()) {
  impl_->db = std::move(connection);
  if (mode == StoreOpen::kMustExist) require_schema_ledger(*impl_->db);
  try {
    const int before = current_schema_version(*impl_->db);
    impl_->version = migrate(*impl_->db, wall_clock_now());
    if (before > 0 && before < kLiteralFreeSchema) scrub_literal_text(*impl_);
  } catch (const SqlError& e) {
    impl_->fail("opening", e.what());
  }
}

Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

int Store::schema_version() const {
  return impl_->version;
}

std::string Store::describe() const {
  return impl_->db->describe();
}

const std::vector<std::string_view>& store_table_names() {
  // Keep in step with the migrations (tests/store/store_open_test.cpp checks it).
  static const std::vector<std::string_view> names = {
      "alert_deliveries", "alert_events",   "checkpoints",    "collector_events", "findings",
      "log_files",        "releases",       "samples",        "samples_daily",    "samples_hourly",
      "schema_version",   "servers",        "shape_tables",   "shapes",           "statements",
      "target_leases",    "target_state",   "targets"};
  return names;
}

std::optional<StoreTablesLocation> Store::postgres_location() {
  Impl& s = *impl_;
  if (s.db->backend() != SqlBackend::kPostgres) return std::nullopt;
  if (!s.postgres_location) {
    try {
      auto& where = s.sql("postgres/location");
      if (!where.step()) s.fail("reading where its tables are", "no row");
      s.postgres_location =
          StoreTablesLocation{where.get_text(0), where.get_text(1), where.get_text(2)};
      where.reset();
    } catch (const SqlError& e) {
      s.fail("reading where its tables are", e.what());
    }
  }
  return s.postgres_location;
}

int64_t Store::ensure_target(std::string_view name, Engine engine) {
  Impl& s = *impl_;
  const int64_t id = s.in_transaction("registering target '" + std::string(name) + "'", [&] {
    auto& insert = s.sql("target_insert");
    insert.bind_text(1, name);
    insert.bind_text(2, to_string(engine));
    insert.bind_int(3, wall_clock_now());
    insert.run();
    auto found = s.find_target(name);
    if (!found) throw StoreError("target row vanished");
    if (found->second != engine) {
      throw StoreError("store " + s.db->describe() + ": target '" + std::string(name) +
                       "' is registered with engine " + std::string(to_string(found->second)) +
                       ", not " + std::string(to_string(engine)));
    }
    auto& state = s.sql("target_state_insert");
    state.bind_int(1, found->first);
    state.run();
    return found->first;
  });
  s.target_ids.emplace(std::string(name), std::pair{id, engine});
  return id;
}

std::vector<TargetInfo> Store::targets() {
  Impl& s = *impl_;
  std::vector<TargetInfo> result;
  try {
    auto& list = s.sql("targets_list");
    while (list.step()) {
      TargetInfo t;
      t.id = list.get_int(0);
      t.name = list.get_text(1);
      t.engine = engine_from_text(list.get_text(2));
      t.created_at = store_time(list.get_int(3));
      t.samples_through = store_time(list.get_int(4));
      t.daily_through = store_time(list.get_int(5));
      if (!list.is_null(6)) t.last_cycle_at = store_time(list.get_int(6));
      result.push_back(std::move(t));
    }
    list.reset();
  } catch (const SqlError& e) {
    s.fail("listing targets", e.what());
  }
  return result;
}

std::vector<KnownStatement> Store::known_statements(std::string_view target,
                                                    const ServerIdentity& server) {
  Impl& s = *impl_;
  std::vector<KnownStatement> result;
  try {
    auto found = s.find_target(target);
    if (!found) return result;
    auto& find_server = s.sql("server_find");
    find_server.bind_int(1, found->first);
    find_server.bind_text(2, server.system_id);
    find_server.bind_text(3, server.version);
    if (!find_server.step()) return result;
    const int64_t server_id = find_server.get_int(0);
    find_server.reset();
    auto& list = s.sql("statements_of_server");
    list.bind_int(1, server_id);
    while (list.step()) {
      KnownStatement k;
      k.statement_id = list.get_int(0);
      k.shape_id = list.get_int(1);
      k.key =
          StatementKey{list.get_text(2), list.get_text(3), list.get_text(4), list.get_int(5) != 0};
      result.push_back(std::move(k));
    }
    list.reset();
  } catch (const SqlError& e) {
    s.fail("listing statements of target '" + std::string(target) + "'", e.what());
  }
  return result;
}

void Store::put_checkpoint(std::string_view target, const Checkpoint& checkpoint, StoreTime at) {
  Impl& s = *impl_;
  const std::string operation =
      "writing checkpoint '" + checkpoint.name + "' of target '" + std::string(target) + "'";
  s.in_transaction(operation,
                   [&] { put_checkpoint_row(s, s.target_id(target), checkpoint, at); });
}

void put_checkpoint_row(Store::Impl& s, int64_t target, const Checkpoint& checkpoint,
                        StoreTime at) {
  auto& put = s.sql("checkpoint_upsert");
  put.bind_int(1, target);
  put.bind_text(2, checkpoint.name);
  put.bind_blob(3, checkpoint.value);
  put.bind_int(4, epoch_seconds(at));
  put.run();
}

std::optional<std::string> Store::checkpoint(std::string_view target, std::string_view name) {
  Impl& s = *impl_;
  try {
    auto& get = s.sql("checkpoint_get");
    get.bind_int(1, s.target_id(target));
    get.bind_text(2, name);
    if (!get.step()) return std::nullopt;
    std::string value = get.get_blob(0);
    get.reset();
    return value;
  } catch (const SqlError& e) {
    s.fail("reading checkpoint '" + std::string(name) + "' of target '" + std::string(target) + "'",
           e.what());
  }
}

void Store::write_cycle(const CycleWrite& cycle) {
  Impl& s = *impl_;
  const std::string operation = "writing a cycle of target '" + cycle.target + "'";
  for (const Sample& sample : cycle.samples) {
    check_flags(sample.flags);
    if (sample.interval.count() <= 0) s.fail(operation, "sample interval must be positive");
  }
  const int64_t target = s.target_id(cycle.target);
  // Samples go in many per statement, which cannot tell which rows it skipped as already
  // stored: when one was (a cycle retried after an uncertain commit, or a key twice in one
  // cycle), the cycle is rolled back and written again one sample per statement.
  try {
    s.write_cycle_attempt(cycle, operation, target, false);
  } catch (const SamplesNotAllNew&) {
    s.write_cycle_attempt(cycle, operation, target, true);
  }
}

void Store::Impl::write_cycle_attempt(const CycleWrite& cycle, const std::string& operation,
                                      int64_t target, bool row_by_row) {
  Impl& s = *this;
  // Ids created by this cycle; they join the caches only once the cycle has committed.
  std::optional<int64_t> new_server;
  std::map<std::string, int64_t> new_shapes;
  std::map<StatementKey, std::pair<int64_t, int64_t>> new_statements;

  s.in_transaction(operation, [&] {
    int64_t latest_end = 0;
    for (const Sample& sample : cycle.samples) {
      latest_end = std::max(latest_end, epoch_seconds(sample.bucket_start) + sample.interval.count());
    }
    auto& touch = s.sql("target_state_touch");
    touch.bind_int(1, target);
    touch.bind_int(2, epoch_seconds(cycle.collected_at));
    touch.bind_int(3, latest_end);
    if (!touch.step()) throw StoreError("target state row missing");
    const int64_t daily_through = touch.get_int(0);
    touch.reset();
    // Under the target's row lock: no other writer of the target can change these before
    // this cycle commits.
    s.renew_held_lease(target, cycle.target, cycle.collected_at);
    s.write_log_files(target, cycle);

    int64_t server_id;
    if (auto it = s.server_ids.find({target, cycle.server}); it != s.server_ids.end()) {
      server_id = it->second;
    } else {
      auto& insert = s.sql("server_insert");
      insert.bind_int(1, target);
      insert.bind_text(2, cycle.server.system_id);
      insert.bind_text(3, cycle.server.version);
      insert.bind_int(4, epoch_seconds(cycle.collected_at));
      insert.run();
      auto& find = s.sql("server_find");
      find.bind_int(1, target);
      find.bind_text(2, cycle.server.system_id);
      find.bind_text(3, cycle.server.version);
      if (!find.step()) throw StoreError("server row vanished");
      server_id = find.get_int(0);
      find.reset();
      new_server = server_id;
    }

    // Shapes are shared by all targets: insert them in one global order (by hash) so that
    // two collectors adding the same new shapes cannot deadlock each other.
    std::vector<const NewStatement*> ordered;
    for (const NewStatement& n : cycle.new_statements) ordered.push_back(&n);
    std::sort(ordered.begin(), ordered.end(), [](const NewStatement* a, const NewStatement* b) {
      return a->shape.hash < b->shape.hash;
    });
    for (const NewStatement* n : ordered) {
      int64_t shape_id;
      if (auto it = s.shape_ids.find(n->shape.hash); it != s.shape_ids.end()) {
        shape_id = it->second;
      } else if (auto staged = new_shapes.find(n->shape.hash); staged != new_shapes.end()) {
        shape_id = staged->second;
      } else {
        auto& insert = s.sql("shape_insert");
        insert.bind_text(1, n->shape.hash);
        insert.bind_text(2, n->shape.fingerprint);
        insert.bind_int(3, epoch_seconds(cycle.collected_at));
        insert.run();
        auto& find = s.sql("shape_find");
        find.bind_text(1, n->shape.hash);
        if (!find.step()) throw StoreError("shape row vanished");
        shape_id = find.get_int(0);
        find.reset();
        for (const std::string& table : n->shape.tables) {
          auto& insert_table = s.sql("shape_table_insert");
          insert_table.bind_int(1, shape_id);
          insert_table.bind_text(2, table);
          insert_table.run();
        }
        new_shapes.emplace(n->shape.hash, shape_id);
      }
      auto& insert = s.sql("statement_insert");
      insert.bind_int(1, target);
      insert.bind_int(2, server_id);
      insert.bind_text(3, n->key.database);
      insert.bind_text(4, n->key.user);
      insert.bind_text(5, n->key.query_id);
      insert.bind_int(6, n->key.toplevel ? 1 : 0);
      insert.bind_int(7, shape_id);
      insert.bind_text(8, cycle.keep_examples ? std::string_view(n->query_text) : "");
      insert.bind_int(9, epoch_seconds(cycle.collected_at));
      insert.run();
    }

    auto resolve = [&](const StatementKey& key) -> std::pair<int64_t, int64_t> {
      if (auto it = s.statement_ids.find({server_id, key}); it != s.statement_ids.end()) {
        return it->second;
      }
      if (auto it = new_statements.find(key); it != new_statements.end()) return it->second;
      auto& find = s.sql("statement_find");
      find.bind_int(1, server_id);
      find.bind_text(2, key.database);
      find.bind_text(3, key.user);
      find.bind_text(4, key.query_id);
      find.bind_int(5, key.toplevel ? 1 : 0);
      if (!find.step()) {
        throw StoreError("store " + s.db->describe() + ": " + operation +
                         ": a sample's statement " + describe_key(key) +
                         " is not in the store; list it in new_statements first");
      }
      std::pair<int64_t, int64_t> ids{find.get_int(0), find.get_int(1)};
      find.reset();
      new_statements.emplace(key, ids);
      return ids;
    };
    for (const NewStatement* n : ordered) resolve(n->key);

    // Samples go in a few hundred per statement, and their hours are then updated from
    // the raw rows that were really inserted, in one statement per batch as well: per-row
    // statements made a 5,000-sample cycle cost 60-130 ms on SQLite.
    using Row = SampleRow;
    std::vector<Row> rows;
    rows.reserve(cycle.samples.size());
    for (const Sample& sample : cycle.samples) {
      const auto [statement_id, shape_id] = resolve(sample.key);
      rows.push_back({&sample, statement_id, shape_id});
    }
    if (cycle.on_conflict == SampleConflict::kAdd) {
      add_to_stored_samples(s, target, daily_through, rows);
    }
    // In key order, a cycle's samples are appended to the end of the primary key (and their
    // hours visited in order) instead of split into its middle. The sort is stable, so a
    // statement's samples keep their order: an earlier duplicate still wins (kKeepStored;
    // kAdd refused duplicates above).
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return a.statement_id < b.statement_id; });
    // The samples inserted: a sample stored before (or earlier in this cycle) wins and is
    // already in its hour. With kAdd, the rows left are all new.
    std::vector<const Row*> inserted;
    inserted.reserve(rows.size());
    const int64_t changed = s.write_batches(
        "sample_insert", rows, row_by_row,
        [&](SqlStatement& insert, int p, const Row& row) {
          const Sample& sample = *row.sample;
          insert.bind_int(p + 0, target);
          insert.bind_int(p + 1, epoch_seconds(sample.bucket_start));
          insert.bind_int(p + 2, row.statement_id);
          insert.bind_int(p + 3, row.shape_id);
          insert.bind_int(p + 4, sample.interval.count());
          insert.bind_int(p + 5, sample.flags);
          bind_measures(insert, p + 6, sample.measures);
          if (sample.sketch.empty()) {
            insert.bind_null(p + 28);
          } else {
            insert.bind_blob(p + 28, sample.sketch);
          }
        },
        [&](const SqlStatement& insert, size_t first, int count) {
          if (row_by_row && insert.changes() == 0) return;  // stored before: it wins
          for (size_t i = first; i < first + count; ++i) inserted.push_back(&rows[i]);
        });
    if (!row_by_row && changed != static_cast<int64_t>(rows.size())) throw SamplesNotAllNew();
    add_to_rollup(s, target, kHourlyTier, inserted);
    // Days the rollup has done (before daily_through) take their late samples now: the
    // rollup does not come back to them, and their hours may be pruned before it would.
    std::vector<const Row*> late;
    for (const Row* row : inserted) {
      if (bucket_of(*row->sample, kDailyTier) < daily_through) late.push_back(row);
    }
    add_to_rollup(s, target, kDailyTier, late);

    for (const Checkpoint& checkpoint : cycle.checkpoints) {
      put_checkpoint_row(s, target, checkpoint, cycle.collected_at);
    }
    for (const CollectorEvent& event : cycle.events) {
      auto& insert = s.sql("event_insert");
      insert.bind_int(1, target);
      insert.bind_int(2, epoch_seconds(event.at));
      insert.bind_text(3, event.kind);
      insert.bind_text(4, event.message);
      insert.run();
    }
  });

  if (new_server) s.server_ids.emplace(std::pair{target, cycle.server}, *new_server);
  const int64_t server_id = s.server_ids.at({target, cycle.server});
  for (const auto& [hash, id] : new_shapes) s.shape_ids.emplace(hash, id);
  for (const auto& [key, ids] : new_statements)
    s.statement_ids.emplace(std::pair{server_id, key}, ids);
}

void Store::flush_wal() {
  Impl& s = *impl_;
  try {
    s.db->flush_wal();
  } catch (const SqlError& e) {
    s.fail("checkpointing the write-ahead log", e.what());
  }
}

RollupReport Store::rollup_and_prune(StoreTime now_time, const Retention& retention) {
  Impl& s = *impl_;
  RollupReport report;
  const int64_t now = epoch_seconds(now_time);
  const int64_t day_end = floor_to(now, kSecondsPerDay);
  const int64_t oldest_complete_day = ceil_to(now - retention.hourly.count(), kSecondsPerDay);

  for (const TargetInfo& target : targets()) {
    s.in_transaction("rolling up target '" + target.name + "'", [&] {
      auto& lock = s.sql("target_state_lock");
      lock.bind_int(1, target.id);
      lock.run();
      auto& get = s.sql("target_state_get");
      get.bind_int(1, target.id);
      if (!get.step()) throw StoreError("target state row missing");
      const int64_t daily_through = get.get_int(0);
      get.reset();

      // Every hour from daily_through on is whole: hours are pruned only once their day is
      // rolled up, and a late sample of an earlier day goes into its day as it is stored.
      // So the days from there are built from their hours, however old (a target never
      // rolled up, an old slow log stored with `digest --store`), starting at the first
      // hour that holds rows.
      auto& first = s.sql("hourly_first_from");
      first.bind_int(1, target.id);
      first.bind_int(2, daily_through);
      int64_t days_from = day_end;
      if (first.step() && !first.is_null(0)) {
        days_from = std::min(day_end, floor_to(first.get_int(0), kSecondsPerDay));
      }
      first.reset();
      // A store written before that kept pulling daily_through back to a late sample's
      // day instead: a day it pulled back over may have lost hours to pruning but still
      // has its daily rows, which a rebuild would replace with less. Those days keep them.
      if (days_from < oldest_complete_day) {
        auto& rows = s.sql("daily_rows_within");
        rows.bind_int(1, target.id);
        rows.bind_int(2, days_from);
        rows.bind_int(3, oldest_complete_day);
        if (rows.step()) days_from = oldest_complete_day;
        rows.reset();
      }
      const int64_t new_daily = std::max(daily_through, day_end);
      if (day_end > days_from) {
        auto& roll = s.sql("rollup_daily");
        roll.bind_int(1, target.id);
        roll.bind_int(2, days_from);
        roll.bind_int(3, day_end);
        roll.run();
        // Only slow-log sources write sketches: a PostgreSQL target's hours have none.
        if (target.engine != Engine::kPostgres) {
          roll_sketches_into_days(s, target.id, days_from, day_end);
        }
        report.days_rolled += (day_end - days_from) / kSecondsPerDay;
      }
      auto& advance = s.sql("target_state_advance");
      advance.bind_int(1, target.id);
      advance.bind_int(2, new_daily);
      advance.run();

      auto prune = [&](std::string_view name, int64_t before) {
        auto& del = s.sql(name);
        del.bind_int(1, target.id);
        del.bind_int(2, before);
        del.run();
      };
      prune("prune_samples", now - retention.raw.count());
      prune("prune_hourly", std::min(now - retention.hourly.count(), new_daily));
      prune("prune_daily", now - retention.daily.count());
      prune("prune_events", now - retention.daily.count());
      prune("prune_log_files", now - retention.daily.count());
      // The alert outbox, as long as collector events; each dedup key's latest event stays.
      for (const std::string_view name : {"prune_alert_deliveries", "prune_alert_events"}) {
        auto& del = s.sql(name);
        del.bind_text(1, target.name);
        del.bind_int(2, now - retention.daily.count());
        del.run();
      }
    });
    ++report.targets;
  }
  return report;
}

}  // namespace slowscope
