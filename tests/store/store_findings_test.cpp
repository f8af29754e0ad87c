// Findings in the store, on SQLite and PostgreSQL: a pass's rows are written by identity
// (inserted, then replaced), read back whole with the shape's text, listed by target, status
// and time, looked up by id; a failing pass writes nothing.
#include <gtest/gtest.h>

#include "tests/store/store_test_support.h"

namespace slowscope::testing {
namespace {

constexpr int64_t kDay0 = 1'700'006'400;
const ServerIdentity kServer{"7300000000000000001", "15"};

class StoreFindingsTest : public BackendTest {
 protected:
  // A store with targets "orders" and "shop" and shapes shape-1..shape-3.
  Store open_with_shapes() {
    Store store = db_->open();
    for (const char* target : {"orders", "shop"}) {
      store.ensure_target(target, Engine::kPostgres);
      CycleWrite cycle{target, kServer, T(kDay0), {}, {}, {}, {}};
      for (int i = 1; i <= 3; ++i) {
        cycle.new_statements.push_back({test_key(i), test_shape(i), "q"});
      }
      store.write_cycle(cycle);
    }
    return store;
  }

  static FindingRecord record(const std::string& target, int shape, int64_t opened) {
    FindingRecord r;
    r.target = target;
    r.shape_hash = test_shape(shape).hash;
    r.kind = "latency";
    r.fingerprint = test_shape(shape).fingerprint;
    r.severity = "warning";
    r.opened_at = T(opened);
    r.first_interval = T(opened - 900);
    r.last_seen_at = T(opened);
    r.release = "v2";
    r.evidence = R"({"ratio":2.5})";
    return r;
  }

  // Writes `rows` as one pass of `target` would, and returns what the pass was given.
  static std::vector<FindingRecord> write(Store& store, const std::string& target,
                                          const std::vector<FindingRecord>& rows,
                                          const std::vector<FindingShapeKind>& also = {}) {
    std::vector<FindingRecord> given;
    store.update_findings(target, also, [&](const std::vector<FindingRecord>& stored) {
      given = stored;
      return rows;
    });
    return given;
  }
};

TEST_P(StoreFindingsTest, WritesReadsAndReplacesByIdentity) {
  Store store = open_with_shapes();
  const FindingRecord first = record("orders", 1, kDay0 + 3600);
  EXPECT_TRUE(write(store, "orders", {first}).empty());
  EXPECT_EQ(store.finding("orders/shape-1/latency"), first);
  EXPECT_EQ(store.findings({}), std::vector<FindingRecord>{first});

  // The next pass is given the open row, and its write replaces it.
  FindingRecord resolved = first;
  resolved.status = FindingStatus::kResolved;
  resolved.resolved_at = T(kDay0 + 7200);
  resolved.clean_passes = 5;
  resolved.severity = "critical";
  resolved.evidence = R"({"ratio":3.5})";
  EXPECT_EQ(write(store, "orders", {resolved}), std::vector<FindingRecord>{first});
  EXPECT_EQ(store.finding("orders/shape-1/latency"), resolved);
  EXPECT_EQ(store.findings({}).size(), 1u);

  // Resolved rows are given only when asked for by identity.
  EXPECT_TRUE(write(store, "orders", {}).empty());
  EXPECT_EQ(write(store, "orders", {}, {{"shape-1", "latency"}, {"shape-2", "latency"}}),
            std::vector<FindingRecord>{resolved});
  FindingRecord reopened = record("orders", 1, kDay0 + 9000);
  reopened.reopen_count = 1;
  reopened.release = "";
  write(store, "orders", {reopened});
  EXPECT_EQ(store.finding("orders/shape-1/latency"), reopened);
}

TEST_P(StoreFindingsTest, ListsByTargetStatusAndTime) {
  Store store = open_with_shapes();
  const FindingRecord a = record("orders", 1, kDay0 + 100);
  FindingRecord b = record("orders", 2, kDay0 + 200);
  b.status = FindingStatus::kResolved;
  b.resolved_at = T(kDay0 + 1000);
  FindingRecord c = record("orders", 2, kDay0 + 50);
  c.kind = "call_surge";
  const FindingRecord d = record("shop", 1, kDay0 + 10);
  write(store, "orders", {a, b, c});
  write(store, "shop", {d});

  EXPECT_EQ(store.findings({}), (std::vector<FindingRecord>{c, a, b, d}));
  EXPECT_EQ(store.findings({"orders", std::nullopt, {}}), (std::vector<FindingRecord>{c, a, b}));
  EXPECT_EQ(store.findings({std::nullopt, FindingStatus::kOpen, {}}),
            (std::vector<FindingRecord>{c, a, d}));
  EXPECT_EQ(store.findings({"orders", FindingStatus::kResolved, {}}),
            std::vector<FindingRecord>{b});
  // Since a time: what was open then or after — the open ones, and those resolved since.
  EXPECT_EQ(store.findings({"orders", std::nullopt, T(kDay0 + 1000)}),
            (std::vector<FindingRecord>{c, a, b}));
  EXPECT_EQ(store.findings({"orders", std::nullopt, T(kDay0 + 1001)}),
            (std::vector<FindingRecord>{c, a}));
  EXPECT_EQ(store.finding("orders/shape-2/call_surge"), c);
  EXPECT_FALSE(store.finding("shop/shape-2/latency"));
  EXPECT_FALSE(store.finding("nope/shape-1/latency"));
  EXPECT_FALSE(store.finding("orders"));
  EXPECT_FALSE(store.finding("orders/latency"));
}

TEST_P(StoreFindingsTest, CountsOpenFindingsByTargetKindAndSeverity) {
  Store store = open_with_shapes();
  EXPECT_TRUE(store.open_finding_counts().empty());
  const FindingRecord a = record("orders", 1, kDay0 + 100);
  FindingRecord b = record("orders", 2, kDay0 + 200);
  FindingRecord c = record("orders", 3, kDay0 + 300);
  c.severity = "critical";
  FindingRecord resolved = record("orders", 1, kDay0 + 50);
  resolved.kind = "call_surge";
  resolved.status = FindingStatus::kResolved;
  resolved.resolved_at = T(kDay0 + 1000);
  FindingRecord d = record("shop", 1, kDay0 + 10);
  d.kind = "vanished";
  write(store, "orders", {a, b, c, resolved});
  write(store, "shop", {d});

  const auto as_text = [](const std::vector<OpenFindingCount>& counts) {
    std::vector<std::string> out;
    for (const OpenFindingCount& n : counts) {
      out.push_back(n.target + " " + n.kind + " " + n.severity + " " + std::to_string(n.count));
    }
    return out;
  };
  EXPECT_EQ(as_text(store.open_finding_counts()),
            (std::vector<std::string>{"orders latency critical 1", "orders latency warning 2",
                                      "shop vanished warning 1"}));
  EXPECT_EQ(as_text(store.open_finding_counts("shop")),
            std::vector<std::string>{"shop vanished warning 1"});
  EXPECT_TRUE(store.open_finding_counts("nope").empty());
}

TEST_P(StoreFindingsTest, AFailingPassWritesNothing) {
  Store store = open_with_shapes();
  const FindingRecord good = record("orders", 1, kDay0 + 100);
  FindingRecord unknown_shape = record("orders", 2, kDay0 + 100);
  unknown_shape.shape_hash = "no-such-shape";
  EXPECT_THROW(write(store, "orders", {good, unknown_shape}), StoreError);
  EXPECT_TRUE(store.findings({}).empty());

  EXPECT_THROW(write(store, "orders", {good, record("shop", 2, kDay0)}), StoreError);
  EXPECT_TRUE(store.findings({}).empty());

  EXPECT_THROW(
      store.update_findings("orders", {},
                            [&](const std::vector<FindingRecord>&) -> std::vector<FindingRecord> {
                              throw std::runtime_error("decision failed");
                            }),
      StoreError);
  EXPECT_THROW(write(store, "unknown-target", {}), StoreError);
  // The store is usable afterwards.
  write(store, "orders", {good});
  EXPECT_EQ(store.findings({}), std::vector<FindingRecord>{good});
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreFindingsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
