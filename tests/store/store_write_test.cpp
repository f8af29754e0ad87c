// Store writes on both backends: the schema migrated on open, targets, cycles (samples and
// their hours, a sample stored before, batches and their retry one by one, adding cycles
// of log sources, all or nothing), releases, and sketches merged into hours and days.
#include "analyzer/store/store.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "analyzer/aggregate/quantile_sketch.h"
#include "analyzer/store/measure_columns.h"
#include "analyzer/store/migrations.h"
#include "analyzer/store/tiers.h"
#include "tests/store/store_test_fixture.h"

namespace slowscope::testing {
namespace {

TEST_P(StoreTest, MigratesOnceAndReopens) {
  {
    Store store = db_->open();
    EXPECT_EQ(store.schema_version(), latest_schema_version());
  }
  Store again = db_->open();
  EXPECT_EQ(again.schema_version(), latest_schema_version());
  auto conn = db_->connect();
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM schema_version"),
            static_cast<int64_t>(migrations_for(conn->backend()).size()));
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples"), 0);
}

// A store written by a binary of schema version 2 keeps its hourly rows through the later
// migrations (on SQLite, 004 rebuilds samples_hourly), and cycles add to them afterwards.
TEST_P(StoreTest, MigratesHourlyRowsOfAVersionTwoStore) {
  auto conn = db_->connect();
  current_schema_version(*conn);  // creates the ledger
  for (const Migration& m : migrations_for(conn->backend())) {
    if (m.version > 2) break;
    conn->begin();
    conn->exec_script(m.name, m.sql);
    conn->exec_script("ledger",
                      "INSERT INTO schema_version (version, description, applied_at) "
                      "VALUES (" +
                          std::to_string(m.version) + ", '" + m.name + "', 0)");
    conn->commit();
  }
  conn->begin();
  conn->exec_script("version 2 data", R"(
    INSERT INTO targets (name, engine, created_at) VALUES ('orders', 'postgres', 0);
    INSERT INTO target_state (target_id, samples_through, daily_through)
      SELECT id, 0, 0 FROM targets;
    INSERT INTO servers (target_id, system_id, version, first_seen)
      SELECT id, '7301234567890123456', '15', 0 FROM targets;
    INSERT INTO shapes (hash, fingerprint, first_seen) VALUES ('shape-1', 'select ?', 0);
    INSERT INTO statements (target_id, server_id, database_key, user_key, query_key, toplevel,
                            shape_id, first_seen)
      SELECT t.id, v.id, 'db', 'app', 'q1', 1, h.id, 0 FROM targets t, servers v, shapes h;
    INSERT INTO samples_hourly
      SELECT t.id, 1699920000, s.id, s.shape_id, 3, 1, 30, 1.5, 0.25, 0.01, 0.5, 300, 0, 7, 1,
             0, 0, 0, 0, 0, 0, 0, 0, 0.125, 0, 0, 0, 0, NULL
        FROM targets t, statements s;
  )");
  conn->commit();
  ASSERT_EQ(current_schema_version(*conn), 2);

  Store store = db_->open();
  EXPECT_EQ(store.schema_version(), latest_schema_version());
  EXPECT_EQ(query_int(*conn, "SELECT sample_count FROM samples_hourly"), 3);
  EXPECT_EQ(query_int(*conn, "SELECT shared_blks_hit FROM samples_hourly"), 7);

  CycleWrite cycle{"orders", kServer, T(kDay0 + 180), {}, {}, {}, {}};
  cycle.samples = {test_sample(StatementKey{"db", "app", "q1", true}, kDay0 + 120, 1)};
  store.write_cycle(cycle);
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples_hourly"), 1);
  EXPECT_EQ(query_int(*conn, "SELECT sample_count FROM samples_hourly"), 4);
  EXPECT_EQ(query_int(*conn, "SELECT calls FROM samples_hourly"),
            30 + cycle.samples[0].measures.calls);
  EXPECT_EQ(query_int(*conn, "SELECT flags FROM samples_hourly"), 1 | cycle.samples[0].flags);
}

TEST_P(StoreTest, RefusesAStoreNewerThanTheBinary) {
  { db_->open(); }
  auto conn = db_->connect();
  conn->exec_script("future",
                    "INSERT INTO schema_version (version, description, applied_at) "
                    "VALUES (999, 'store/sqlite/999_future', 0)");
  try {
    db_->open();
    FAIL() << "opened a store from the future";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("has schema version 999, newer than this slowscope "
                                         "understands (" +
                                         std::to_string(latest_schema_version()) + ")"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM schema_version"),
            static_cast<int64_t>(migrations_for(conn->backend()).size()) + 1);
}

TEST_P(StoreTest, RegistersTargetsOnce) {
  Store store = db_->open();
  const int64_t id = store.ensure_target("orders", Engine::kPostgres);
  EXPECT_EQ(store.ensure_target("orders", Engine::kPostgres), id);
  store.ensure_target("shop", Engine::kMysql);
  EXPECT_THROW(store.ensure_target("shop", Engine::kPostgres), StoreError);

  const auto targets = store.targets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].name, "orders");
  EXPECT_EQ(targets[0].id, id);
  EXPECT_EQ(targets[1].engine, Engine::kMysql);
  EXPECT_EQ(targets[0].samples_through, T(0));
  EXPECT_FALSE(targets[0].last_cycle_at.has_value());

  CycleWrite unknown;
  unknown.target = "nope";
  EXPECT_THROW(store.write_cycle(unknown), StoreError);
}

TEST_P(StoreTest, WritesACycleWithEverythingInIt) {
  Store store = db_->open();
  store.ensure_target("orders", Engine::kPostgres);

  CycleWrite cycle;
  cycle.target = "orders";
  cycle.server = kServer;
  cycle.collected_at = T(kDay0 + 120);
  cycle.new_statements = {{test_key(1), test_shape(1), "select * from t1 where id = 42"},
                          {test_key(2), test_shape(1), "SELECT * FROM t1 WHERE id = 7"},
                          {test_key(3), test_shape(2), "select * from t2 where id = 1"}};
  cycle.samples = {test_sample(test_key(1), kDay0 + 60, 1), test_sample(test_key(2), kDay0 + 60, 2),
                   test_sample(test_key(3), kDay0 + 60, 3)};
  cycle.samples[0].flags = kSampleEpochBreak;
  cycle.samples[1].sketch = std::string("\0\x01\xff sketch", 10);
  cycle.checkpoints = {{"pgss", std::string("\0cumulative\xfe", 12)}, {"dealloc", "3"}};
  cycle.events = {{T(kDay0 + 100), std::string(event_kind::kEpochBreak), "stats reset at ..."}};
  cycle.keep_examples = true;  // the target opted in: the literal text is stored
  store.write_cycle(cycle);

  const auto known = store.known_statements("orders", kServer);
  ASSERT_EQ(known.size(), 3u);
  EXPECT_EQ(known[0].key, test_key(1));
  EXPECT_EQ(known[0].shape_id, known[1].shape_id);
  EXPECT_NE(known[0].shape_id, known[2].shape_id);
  EXPECT_TRUE(store.known_statements("orders", ServerIdentity{"other", "15"}).empty());
  EXPECT_TRUE(store.known_statements("nope", kServer).empty());

  EXPECT_EQ(store.checkpoint("orders", "pgss"), std::string("\0cumulative\xfe", 12));
  EXPECT_EQ(store.checkpoint("orders", "dealloc"), "3");
  EXPECT_EQ(store.checkpoint("orders", "missing"), std::nullopt);
  // Outside a cycle: written on its own, replacing the cycle's value.
  store.put_checkpoint("orders", {"dealloc", "4"}, T(kDay0 + 3600));
  store.put_checkpoint("orders", {"trends", "20000"}, T(kDay0 + 3600));
  EXPECT_EQ(store.checkpoint("orders", "dealloc"), "4");
  EXPECT_EQ(store.checkpoint("orders", "trends"), "20000");
  EXPECT_THROW(store.put_checkpoint("nope", {"trends", "1"}, T(kDay0)), StoreError);

  const auto events = store.events("orders", T(kDay0), T(kDay0 + 3600));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], cycle.events[0]);

  const auto shape = store.shape(known[0].shape_id);
  ASSERT_TRUE(shape.has_value());
  EXPECT_EQ(shape->info.hash, "shape-1");
  EXPECT_EQ(shape->info.fingerprint, test_shape(1).fingerprint);
  EXPECT_EQ(shape->info.tables, std::vector<std::string>{"public.t1"});
  EXPECT_EQ(shape->first_seen, T(kDay0 + 120));
  EXPECT_FALSE(store.shape(987654).has_value());
  const auto by_hash = store.shape_by_hash("shape-1");
  ASSERT_TRUE(by_hash.has_value());
  EXPECT_EQ(by_hash->id, known[0].shape_id);
  EXPECT_EQ(by_hash->info.fingerprint, shape->info.fingerprint);
  EXPECT_EQ(by_hash->info.tables, shape->info.tables);
  EXPECT_FALSE(store.shape_by_hash("shape-unknown").has_value());

  const auto statements = store.statements_of_shape("orders", known[0].shape_id);
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].query_text, "select * from t1 where id = 42");
  EXPECT_EQ(statements[1].key, test_key(2));
  EXPECT_EQ(statements[1].server, kServer);

  const auto targets = store.targets();
  EXPECT_EQ(targets[0].last_cycle_at, T(kDay0 + 120));

  // The sketch and flags round-trip through the raw table.
  auto conn = db_->connect();
  EXPECT_EQ(query_int(*conn, "SELECT flags FROM samples WHERE statement_id = " +
                                 std::to_string(known[0].statement_id)),
            kSampleEpochBreak);
  auto sketch = conn->prepare("sketch", "SELECT sketch FROM samples WHERE statement_id = $1");
  sketch->bind_int(1, known[1].statement_id);
  ASSERT_TRUE(sketch->step());
  EXPECT_EQ(sketch->get_blob(0), std::string("\0\x01\xff sketch", 10));
}

TEST_P(StoreTest, ASampleStoredBeforeWins) {
  Store store = db_->open();
  store.ensure_target("orders", Engine::kPostgres);
  CycleWrite cycle{"orders",
                   kServer,
                   T(kDay0),
                   {{test_key(1), test_shape(1), "q"}},
                   {test_sample(test_key(1), kDay0, 5)},
                   {},
                   {}};
  store.write_cycle(cycle);
  cycle.new_statements.clear();
  cycle.samples[0].measures = test_measures(9);
  store.write_cycle(cycle);
  // Read from the raw sample and from its hour: neither counts it twice.
  for (int64_t until : {kDay0 + 60, kDay0 + kHour}) {
    const auto top = store.top({"orders", T(kDay0), T(until), TopOrder::kTotal, 10});
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(top[0].measures, test_measures(5));
  }
}

// Samples are written a few hundred per statement and their hours updated from the rows
// really inserted: a cycle larger than one batch, with several samples of a statement in
// one hour, a duplicate within the cycle and a retried cycle must leave every hourly row
// equal to the sum of its raw samples, each counted once.
TEST_P(StoreTest, ABigCycleKeepsItsHoursExact) {
  constexpr int kStatements = 300;
  Store store = db_->open();
  store.ensure_target("orders", Engine::kPostgres);
  CycleWrite first{"orders", kServer, T(kDay0 + 120), {}, {}, {}, {}};
  for (int i = 0; i < kStatements; ++i) {
    first.new_statements.push_back({test_key(i), test_shape(i % 7), "q"});
  }
  // Expected hourly rows: (statement number, hour) -> sum, sample count, flags.
  std::map<std::pair<int, int64_t>, std::tuple<Measures, int64_t, int64_t>> expected;
  auto add = [&](CycleWrite& cycle, int i, int64_t bucket, int64_t seed, uint32_t flags) {
    Sample sample = test_sample(test_key(i), bucket, seed);
    sample.flags = flags;
    if (seed % 5 == 0) sample.measures.min_time.reset();
    if (seed % 3 == 0) sample.measures.max_time.reset();
    auto& [sum, count, or_flags] = expected[{i, floor_to(bucket, kHour)}];
    sum += sample.measures;
    ++count;
    or_flags |= flags;
    cycle.samples.push_back(sample);
  };
  for (int i = 0; i < kStatements; ++i) add(first, i, kDay0, i, i % 4 == 1 ? 1 : 0);
  for (int i = 0; i < 100; ++i) add(first, i, kDay0 + 60, 1000 + i, i % 4 == 2 ? 2 : 0);
  // The same sample again in the same cycle: the first one wins.
  first.samples.push_back(test_sample(test_key(5), kDay0, 77));
  store.write_cycle(first);

  CycleWrite second = first;  // a retry of the whole first cycle changes nothing ...
  second.new_statements.clear();
  second.collected_at = T(kDay0 + kHour + 60);
  for (int i = 0; i < 50; ++i) add(second, i, kDay0 + 120, 2000 + i, 0);  // ... but these
  for (int i = 0; i < 10; ++i) add(second, i, kDay0 + kHour, 3000 + i, 3);
  store.write_cycle(second);
  store.write_cycle(second);
  // A backlog without duplicates goes in whole batches: two samples per statement and hour.
  CycleWrite third{"orders", kServer, T(kDay0 + 2 * kHour + 120), {}, {}, {}, {}};
  for (int i = 0; i < kStatements; ++i) add(third, i, kDay0 + 2 * kHour, 4000 + i, 0);
  for (int i = 0; i < kStatements; ++i) add(third, i, kDay0 + 2 * kHour + 60, 5000 + i, i % 2);
  store.write_cycle(third);

  std::map<int64_t, int> number_of;
  for (const auto& k : store.known_statements("orders", kServer)) {
    number_of[k.statement_id] = std::stoi(k.key.query_id) * -1 - 1000;
  }
  auto conn = db_->connect();
  auto hourly = conn->prepare("hourly",
                              "SELECT statement_id, bucket_start, sample_count, flags, calls, "
                              "total_time, sum_sq, min_time, max_time, row_count, rows_examined, "
                              "shared_blks_hit, shared_blks_read, shared_blks_dirtied, "
                              "shared_blks_written, local_blks_hit, local_blks_read, "
                              "local_blks_dirtied, local_blks_written, temp_blks_read, "
                              "temp_blks_written, blk_read_time, blk_write_time, wal_records, "
                              "wal_fpi, wal_bytes FROM samples_hourly");
  size_t rows = 0;
  while (hourly->step()) {
    ++rows;
    const std::pair<int, int64_t> key{number_of.at(hourly->get_int(0)), hourly->get_int(1)};
    ASSERT_EQ(expected.count(key), 1u) << key.first << " @ " << key.second;
    const auto& [sum, count, flags] = expected.at(key);
    EXPECT_EQ(read_measures(*hourly, 4), sum) << key.first << " @ " << key.second;
    EXPECT_EQ(hourly->get_int(2), count) << key.first << " @ " << key.second;
    EXPECT_EQ(hourly->get_int(3), flags) << key.first << " @ " << key.second;
  }
  EXPECT_EQ(rows, expected.size());
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples"),
            kStatements + 100 + 50 + 10 + 2 * kStatements);
}

// New samples take one statement per batch. A cycle with a sample stored before cannot tell
// which rows a batch skipped: it is written again one sample per statement, with the same
// result as before.
TEST_P(StoreTest, NewSamplesGoInBatchesARetryOneByOne) {
  constexpr int kStatements = 500;
  auto owner = std::make_unique<FaultyConnection>(db_->connect());
  FaultyConnection* counting = owner.get();
  Store store(std::move(owner));
  store.ensure_target("orders", Engine::kPostgres);
  CycleWrite first{"orders", kServer, T(kDay0 + 60), {}, {}, {}, {}};
  CycleWrite second{"orders", kServer, T(kDay0 + 120), {}, {}, {{"pgss", "2"}}, {}};
  for (int i = 0; i < kStatements; ++i) {
    first.new_statements.push_back({test_key(i), test_shape(i), "q"});
    first.samples.push_back(test_sample(test_key(i), kDay0, i));
    second.samples.push_back(test_sample(test_key(i), kDay0 + 60, 1000 + i));
  }
  store.write_cycle(first);
  counting->arm(0);  // counts statement steps, fails none
  store.write_cycle(second);
  EXPECT_LT(counting->steps(), 50);
  const auto top = store.top({"orders", T(kDay0), T(kDay0 + kHour), TopOrder::kTotal, 1000});

  counting->arm(0);
  second.checkpoints[0].value = "3";
  store.write_cycle(second);
  EXPECT_GT(counting->steps(), kStatements);
  const auto again = store.top({"orders", T(kDay0), T(kDay0 + kHour), TopOrder::kTotal, 1000});
  ASSERT_EQ(again.size(), top.size());
  for (size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(again[i].shape_id, top[i].shape_id);
    EXPECT_EQ(again[i].measures, top[i].measures);
  }
  EXPECT_EQ(store.checkpoint("orders", "pgss"), "3");
  auto conn = db_->connect();
  EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples"), 2 * kStatements);
  EXPECT_EQ(query_int(*conn, "SELECT SUM(sample_count) FROM samples_hourly"), 2 * kStatements);
}

// Log sources add each cycle's entries to the samples of their intervals: sums, min/max
// and sketches of a stored sample grow, its hour gets exactly the increment, and a sample
// that is new is inserted as usual.
TEST_P(StoreTest, AddingCyclesSumIntoStoredSamples) {
  Store store = db_->open();
  store.ensure_target("shop", Engine::kMysql);
  auto sketch_of = [](std::initializer_list<double> values) {
    QuantileSketch sketch;
    for (double v : values) sketch.add(v);
    return sketch;
  };
  CycleWrite first{"shop", kServer, T(kDay0 + 30), {{test_key(1), test_shape(1), "q"}}, {}, {}, {}};
  first.on_conflict = SampleConflict::kAdd;
  first.samples.push_back(test_sample(test_key(1), kDay0, 5));
  first.samples.back().sketch = sketch_of({0.1, 0.2}).serialize();
  store.write_cycle(first);

  CycleWrite second{"shop", kServer, T(kDay0 + 90), {}, {}, {}, {}};
  second.on_conflict = SampleConflict::kAdd;
  second.samples.push_back(test_sample(test_key(1), kDay0, 9));
  second.samples.back().flags = kSamplePartial;
  second.samples.back().sketch = sketch_of({0.3}).serialize();
  second.samples.push_back(test_sample(test_key(1), kDay0 + 60, 3));
  store.write_cycle(second);

  Measures bucket0 = test_measures(5);
  bucket0 += test_measures(9);
  auto conn = db_->connect();
  auto raw = conn->prepare("raw",
                           "SELECT calls, total_time, sum_sq, min_time, max_time, row_count, "
                           "rows_examined, shared_blks_hit, shared_blks_read, "
                           "shared_blks_dirtied, shared_blks_written, local_blks_hit, "
                           "local_blks_read, local_blks_dirtied, local_blks_written, "
                           "temp_blks_read, temp_blks_written, blk_read_time, blk_write_time, "
                           "wal_records, wal_fpi, wal_bytes, flags, sketch FROM samples "
                           "ORDER BY bucket_start");
  ASSERT_TRUE(raw->step());
  EXPECT_EQ(read_measures(*raw, 0), bucket0);
  EXPECT_EQ(raw->get_int(22), kSamplePartial);
  EXPECT_EQ(QuantileSketch::deserialize(raw->get_blob(23)), sketch_of({0.1, 0.2, 0.3}));
  ASSERT_TRUE(raw->step());
  EXPECT_EQ(read_measures(*raw, 0), test_measures(3));
  EXPECT_FALSE(raw->step());

  Measures hour = bucket0;
  hour += test_measures(3);
  const auto top = store.top({"shop", T(kDay0), T(kDay0 + kHour), TopOrder::kTotal, 10});
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].measures, hour);

  EXPECT_EQ(query_int(*conn, "SELECT sample_count FROM samples_hourly"), 2);
}

// Within one adding cycle a key must come once: the caller sums first, or the cycle fails
// whole.
TEST_P(StoreTest, AnAddingCycleRefusesAKeyTwice) {
  Store store = db_->open();
  store.ensure_target("shop", Engine::kMysql);
  CycleWrite cycle{"shop", kServer, T(kDay0 + 30), {{test_key(1), test_shape(1), "q"}}, {}, {}, {}};
  cycle.on_conflict = SampleConflict::kAdd;
  cycle.samples.push_back(test_sample(test_key(1), kDay0, 5));
  store.write_cycle(cycle);
  cycle.new_statements.clear();
  cycle.samples.push_back(test_sample(test_key(1), kDay0, 6));
  EXPECT_THROW(store.write_cycle(cycle), StoreError);
  const auto top = store.top({"shop", T(kDay0), T(kDay0 + 60), TopOrder::kTotal, 10});
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].measures, test_measures(5));
}

TEST_P(StoreTest, RecordsAndListsReleases) {
  Store store = db_->open();
  const Release everywhere{"v1.4.0", T(kDay0 + 100), {}, {{"commit", "abc123"}}};
  const Release two{"v1.4.1", T(kDay0 + 200), {"orders", "shop"}, {}};
  const Release later{"v1.5.0", T(kDay0 + kDay), {"orders"}, {{"by", "ci"}, {"ticket", "OPS-7"}}};
  store.add_release(everywhere);
  store.add_release(later);
  store.add_release(two);

  EXPECT_EQ(store.releases({std::nullopt, T(kDay0), T(kDay0 + 2 * kDay)}),
            (std::vector<Release>{everywhere, two, later}));
  // One target: its own releases and those of every target.
  EXPECT_EQ(store.releases({"shop", T(kDay0), T(kDay0 + 2 * kDay)}),
            (std::vector<Release>{everywhere, Release{"v1.4.1", T(kDay0 + 200), {"shop"}, {}}}));
  EXPECT_EQ(store.releases({std::nullopt, T(kDay0 + 150), T(kDay0 + kDay)}),
            (std::vector<Release>{two}));
  EXPECT_EQ(store.release("v1.5.0"), later);
  EXPECT_FALSE(store.release("v9"));

  // A name is recorded once; the failed attempt changes nothing.
  EXPECT_THROW(store.add_release(Release{"v1.4.0", T(kDay0 + 999), {"shop"}, {}}), StoreError);
  EXPECT_EQ(store.release("v1.4.0"), everywhere);
  EXPECT_THROW(store.add_release(Release{"", T(kDay0), {}, {}}), StoreError);
}

TEST_P(StoreTest, SamplesNeedAKnownStatement) {
  Store store = db_->open();
  store.ensure_target("orders", Engine::kPostgres);
  CycleWrite cycle{"orders", kServer, T(kDay0), {}, {test_sample(test_key(1), kDay0, 1)}, {}, {}};
  try {
    store.write_cycle(cycle);
    FAIL() << "sample without a statement was accepted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("is not in the store; list it in new_statements first"),
              std::string::npos)
        << e.what();
  }
  cycle.samples[0].flags = 64;
  EXPECT_THROW(store.write_cycle(cycle), StoreError);
}

// Fails the cycle at every statement it runs in turn: whatever step fails, nothing of the
// cycle is visible afterwards, and the same cycle then goes through on a retry.
TEST_P(StoreTest, ACycleIsAllOrNothing) {
  auto faulty_owner = std::make_unique<FaultyConnection>(db_->connect());
  FaultyConnection* faulty = faulty_owner.get();
  Store store(std::move(faulty_owner));
  store.ensure_target("orders", Engine::kPostgres);

  CycleWrite first{"orders",
                   kServer,
                   T(kDay0 + 60),
                   {{test_key(1), test_shape(1), "q1"}},
                   {test_sample(test_key(1), kDay0, 1)},
                   {{"pgss", "v1"}},
                   {}};
  store.write_cycle(first);
  const auto top_before =
      store.top({std::nullopt, T(kDay0), T(kDay0 + kDay), TopOrder::kTotal, 10});

  CycleWrite second{
      "orders",
      kServer,
      T(kDay0 + 120),
      {{test_key(2), test_shape(2), "q2"}, {test_key(3), test_shape(1), "q3"}},
      {test_sample(test_key(1), kDay0 + 60, 2), test_sample(test_key(2), kDay0 + 60, 3),
       test_sample(test_key(3), kDay0 + 60, 4)},
      {{"pgss", "v2"}, {"dealloc", "1"}},
      {{T(kDay0 + 120), "coverage_gap", "dealloc grew by 1"}}};
  auto check_unchanged = [&](int step) {
    EXPECT_EQ(store.checkpoint("orders", "pgss"), "v1") << "step " << step;
    EXPECT_EQ(store.checkpoint("orders", "dealloc"), std::nullopt) << "step " << step;
    EXPECT_EQ(store.known_statements("orders", kServer).size(), 1u) << "step " << step;
    EXPECT_TRUE(store.events("orders", T(0), T(kDay0 + kDay)).empty()) << "step " << step;
    const auto top = store.top({std::nullopt, T(kDay0), T(kDay0 + kDay), TopOrder::kTotal, 10});
    ASSERT_EQ(top.size(), top_before.size());
    EXPECT_EQ(top[0].measures, top_before[0].measures) << "step " << step;
    EXPECT_EQ(store.targets()[0].last_cycle_at, T(kDay0 + 60)) << "step " << step;
    auto conn = db_->connect();
    EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM shapes"), 1) << "step " << step;
    EXPECT_EQ(query_int(*conn, "SELECT COUNT(*) FROM samples"), 1) << "step " << step;
  };

  int failures = 0;
  for (int step = 1;; ++step) {
    ASSERT_LT(step, 200) << "the cycle never completed";
    faulty->arm(step);
    try {
      store.write_cycle(second);
    } catch (const StoreError& e) {
      faulty->disarm();
      EXPECT_NE(std::string(e.what()).find("injected failure"), std::string::npos) << e.what();
      check_unchanged(step);
      ++failures;
      continue;
    }
    faulty->disarm();
    break;
  }
  EXPECT_GE(failures, 10);  // every statement of the cycle got its turn to fail

  EXPECT_EQ(store.checkpoint("orders", "pgss"), "v2");
  EXPECT_EQ(store.checkpoint("orders", "dealloc"), "1");
  EXPECT_EQ(store.known_statements("orders", kServer).size(), 3u);
  EXPECT_EQ(store.events("orders", T(0), T(kDay0 + kDay)).size(), 1u);
  const auto top = store.top({std::nullopt, T(kDay0), T(kDay0 + kDay), TopOrder::kTotal, 10});
  ASSERT_EQ(top.size(), 2u);
  Measures shape1 = test_measures(1);
  shape1 += test_measures(2);
  shape1 += test_measures(4);
  const auto& row1 = top[0].shape_hash == "shape-1" ? top[0] : top[1];
  EXPECT_EQ(row1.measures, shape1);
}

// A slow-log target's sketches merged into its hours and days: three days of 10-minute
// samples, each written by two adding cycles (a new sample, then an addition to it), rolled
// up and pruned every hour; merged_sketches over ranges read from days, hours and raw
// samples equals the sketch of every value written in the range.
TEST_P(StoreTest, SketchesRollUpIntoHoursAndDays) {
  constexpr int64_t kEnd = kDay0 + 3 * kDay;
  constexpr Retention kRetention{std::chrono::days(1), std::chrono::days(2), std::chrono::days(30)};
  Store store = db_->open();
  store.ensure_target("shop", Engine::kMysql);
  std::map<int64_t, std::vector<double>> values;  // by bucket start
  auto sample_at = [&](int64_t bucket, int part) {
    Sample sample = test_sample(test_key(1), bucket, part, 600);
    QuantileSketch sketch;
    for (int i = 0; i < 3 + part; ++i) {
      const double v = 0.001 * static_cast<double>(1 + (bucket / 600 + i * 7 + part) % 50);
      sketch.add(v);
      values[bucket].push_back(v);
    }
    sample.sketch = sketch.serialize();
    return sample;
  };
  for (int64_t hour = kDay0; hour < kEnd; hour += kHour) {
    for (int part = 0; part < 2; ++part) {
      CycleWrite cycle{"shop", kServer, T(hour + kHour + part), {}, {}, {}, {}};
      if (hour == kDay0 && part == 0) cycle.new_statements = {{test_key(1), test_shape(1), "a"}};
      cycle.on_conflict = SampleConflict::kAdd;
      for (int64_t t = hour; t < hour + kHour; t += 600)
        cycle.samples.push_back(sample_at(t, part));
      store.write_cycle(cycle);
    }
    store.rollup_and_prune(T(hour + kHour + 300), kRetention);
  }
  const int64_t shape = shape_of(store, "shop", test_key(1));
  const std::pair<int64_t, int64_t> ranges[] = {
      {kDay0, kEnd},                                                               // days
      {kDay0 + kDay + 2 * kHour, kDay0 + 2 * kDay + 12 * kHour},                   // hours
      {kDay0 + 2 * kDay + 6 * kHour + 1200, kDay0 + 2 * kDay + 9 * kHour + 2400},  // + raw
  };
  for (const auto& [since, until] : ranges) {
    QuantileSketch expected;
    for (auto it = values.lower_bound(since); it != values.end() && it->first < until; ++it) {
      for (double v : it->second) expected.add(v);
    }
    const auto merged = store.merged_sketches({"shop", T(since), T(until)});
    ASSERT_EQ(merged.count(shape), 1u) << since - kDay0 << ".." << until - kDay0;
    EXPECT_EQ(merged.at(shape), expected) << since - kDay0 << ".." << until - kDay0;
  }
  // The raw samples of the first two days are gone: only the rollups had their sketches.
  auto conn = db_->connect();
  EXPECT_EQ(query_int(*conn, "SELECT MIN(bucket_start) FROM samples"), kEnd - kDay + 600);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
