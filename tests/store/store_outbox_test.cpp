// The alert outbox, on SQLite and PostgreSQL: events are queued in the transaction of the
// findings that caused them (and not at all when it fails), go out per dedup key in order,
// are claimed by one sender at a time, survive a reopen, and are listed and re-sent as the
// sender and `slowscope alerts` need.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/store/store_test_support.h"

namespace slowscope::testing {
namespace {

constexpr int64_t kNow = 1'700'006'400;
const ServerIdentity kServer{"7300000000000000001", "15"};
constexpr std::chrono::seconds kHold{60};

OutboxAlert alert(const std::string& key, const std::string& action, int64_t at,
                  std::vector<std::string> sinks = {"oncall"}) {
  OutboxAlert a;
  a.target = "orders";
  a.dedup_key = key;
  a.action = action;
  a.severity = "error";
  a.summary = "orders: " + key + " " + action;
  a.document = R"({"schema":"slowscope.alert/1","dedup_key":")" + key + R"("})";
  a.created_at = T(at);
  a.sinks = std::move(sinks);
  return a;
}

std::vector<int64_t> ids(const std::vector<AlertDelivery>& deliveries) {
  std::vector<int64_t> out;
  for (const AlertDelivery& d : deliveries) out.push_back(d.alert.id);
  return out;
}

DeliveryAttempt delivered(int64_t at) {
  return {DeliveryState::kDelivered, T(at), T(at), ""};
}

class StoreOutboxTest : public BackendTest {
 protected:
  Store open_with_target() {
    Store store = db_->open();
    store.ensure_target("orders", Engine::kPostgres);
    CycleWrite cycle{"orders", kServer, T(kNow), {}, {}, {}, {}};
    cycle.new_statements.push_back({test_key(1), test_shape(1), "q"});
    store.write_cycle(cycle);
    return store;
  }

  static FindingRecord finding() {
    FindingRecord r;
    r.target = "orders";
    r.shape_hash = test_shape(1).hash;
    r.kind = "latency";
    r.fingerprint = test_shape(1).fingerprint;
    r.severity = "warning";
    r.opened_at = T(kNow);
    r.first_interval = T(kNow - 900);
    r.last_seen_at = T(kNow);
    r.evidence = "{}";
    return r;
  }
};

TEST_P(StoreOutboxTest, QueuesAlertsInTheFindingsTransaction) {
  Store store = open_with_target();
  FindingsUpdate update({finding()});
  update.alerts = {alert("k1", "trigger", kNow, {"oncall", "chat"})};
  update.checkpoints = {{"alerts/incidents", R"({"k1":1})"}};
  update.at = T(kNow);
  store.update_findings("orders", {}, [&](const std::vector<FindingRecord>&) { return update; });

  EXPECT_EQ(store.findings({}).size(), 1u);
  EXPECT_EQ(store.checkpoint("orders", "alerts/incidents"), R"({"k1":1})");
  const std::vector<AlertDelivery> all = store.deliveries({});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].sink, "chat");
  EXPECT_EQ(all[1].sink, "oncall");
  for (const AlertDelivery& d : all) {
    EXPECT_EQ(d.state, DeliveryState::kPending);
    EXPECT_EQ(d.attempts, 0);
    EXPECT_EQ(d.alert.dedup_key, "k1");
    EXPECT_EQ(d.alert.document, update.alerts[0].document);
    EXPECT_EQ(d.alert.created_at, T(kNow));
    EXPECT_FALSE(d.first_attempt_at);
  }

  // A pass that fails writes neither its findings nor its alerts nor its checkpoints.
  FindingsUpdate second({finding()});
  second.alerts = {alert("k2", "trigger", kNow + 60)};
  second.checkpoints = {{"alerts/incidents", "later"}};
  second.rows[0].shape_hash = "no-such-shape";
  EXPECT_THROW(store.update_findings("orders", {},
                                     [&](const std::vector<FindingRecord>&) { return second; }),
               StoreError);
  EXPECT_EQ(store.deliveries({}).size(), 2u);
  EXPECT_EQ(store.checkpoint("orders", "alerts/incidents"), R"({"k1":1})");
}

TEST_P(StoreOutboxTest, DeliversEachDedupKeyInOrder) {
  Store store = open_with_target();
  store.queue_alerts(
      "orders",
      {alert("a", "trigger", kNow), alert("b", "trigger", kNow), alert("a", "resolve", kNow + 60)},
      {}, T(kNow));
  const std::vector<AlertDelivery> first =
      store.claim_deliveries("oncall", "s1", T(kNow), kHold, 10);
  ASSERT_EQ(first.size(), 2u);  // a's resolve waits for a's trigger
  EXPECT_EQ(first[0].alert.dedup_key, "a");
  EXPECT_EQ(first[0].alert.action, "trigger");
  EXPECT_EQ(first[1].alert.dedup_key, "b");
  // Claimed: not offered again while the claim lives, to this sender or another.
  EXPECT_TRUE(store.claim_deliveries("oncall", "s2", T(kNow + 1), kHold, 10).empty());
  // Another sink's deliveries are its own.
  EXPECT_TRUE(store.claim_deliveries("chat", "s1", T(kNow), kHold, 10).empty());

  // b is retried later; a is delivered, which lets a's resolve go.
  EXPECT_TRUE(
      store.record_attempt(first[1].alert.id, "oncall", "s1",
                           {DeliveryState::kPending, T(kNow + 2), T(kNow + 30), "HTTP 503: busy"}));
  EXPECT_TRUE(store.record_attempt(first[0].alert.id, "oncall", "s1", delivered(kNow + 2)));
  const std::vector<AlertDelivery> next =
      store.claim_deliveries("oncall", "s1", T(kNow + 3), kHold, 10);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].alert.dedup_key, "a");
  EXPECT_EQ(next[0].alert.action, "resolve");
  EXPECT_TRUE(store.record_attempt(next[0].alert.id, "oncall", "s1", delivered(kNow + 4)));

  // b is due again at its next attempt, with its attempt counted.
  EXPECT_TRUE(store.claim_deliveries("oncall", "s1", T(kNow + 29), kHold, 10).empty());
  const std::vector<AlertDelivery> retry =
      store.claim_deliveries("oncall", "s1", T(kNow + 30), kHold, 10);
  ASSERT_EQ(retry.size(), 1u);
  EXPECT_EQ(retry[0].alert.dedup_key, "b");
  EXPECT_EQ(retry[0].attempts, 1);
  EXPECT_EQ(retry[0].last_error, "HTTP 503: busy");
  EXPECT_EQ(retry[0].first_attempt_at, T(kNow + 2));
  EXPECT_TRUE(store.record_attempt(
      retry[0].alert.id, "oncall", "s1",
      {DeliveryState::kFailed, T(kNow + 31), T(kNow + 31), "HTTP 400: bad routing key"}));
  EXPECT_TRUE(store.claim_deliveries("oncall", "s1", T(kNow + 10'000), kHold, 10).empty());

  const std::vector<AlertDelivery> failed = store.deliveries({{}, DeliveryState::kFailed, {}, 100});
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].alert.dedup_key, "b");
  EXPECT_EQ(failed[0].attempts, 2);
  EXPECT_EQ(store.deliveries({"oncall", DeliveryState::kDelivered, {}, 100}).size(), 2u);
  EXPECT_EQ(store.deliveries({"chat", {}, {}, 100}).size(), 0u);
  EXPECT_EQ(store.deliveries({{}, {}, T(kNow + 1), 100}).size(), 1u);  // queued since
}

TEST_P(StoreOutboxTest, AnExpiredClaimPassesToAnotherSender) {
  Store store = open_with_target();
  store.queue_alerts("orders", {alert("a", "trigger", kNow)}, {}, T(kNow));
  const auto mine = store.claim_deliveries("oncall", "crashed", T(kNow), kHold, 10);
  ASSERT_EQ(mine.size(), 1u);
  // Its sender died mid-send: once the claim expires, the delivery is another's.
  EXPECT_TRUE(store.claim_deliveries("oncall", "s2", T(kNow + 59), kHold, 10).empty());
  const auto theirs = store.claim_deliveries("oncall", "s2", T(kNow + 60), kHold, 10);
  ASSERT_EQ(theirs.size(), 1u);
  // The late first sender's record is refused; the second sender's counts, once.
  EXPECT_FALSE(store.record_attempt(mine[0].alert.id, "oncall", "crashed", delivered(kNow + 61)));
  EXPECT_TRUE(store.record_attempt(theirs[0].alert.id, "oncall", "s2", delivered(kNow + 62)));
  EXPECT_FALSE(store.record_attempt(theirs[0].alert.id, "oncall", "s2", delivered(kNow + 63)));
  const auto all = store.deliveries({});
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, DeliveryState::kDelivered);
  EXPECT_EQ(all[0].attempts, 1);
}

TEST_P(StoreOutboxTest, TwoStoresClaimEachDeliveryOnce) {
  Store one = open_with_target();
  Store two = db_->open();
  std::vector<OutboxAlert> many;
  for (int i = 0; i < 20; ++i) many.push_back(alert("k" + std::to_string(i), "trigger", kNow));
  one.queue_alerts("orders", many, {}, T(kNow));
  std::vector<int64_t> got = ids(one.claim_deliveries("oncall", "one", T(kNow), kHold, 7));
  const std::vector<int64_t> other =
      ids(two.claim_deliveries("oncall", "two", T(kNow), kHold, 100));
  EXPECT_EQ(got.size(), 7u);
  EXPECT_EQ(other.size(), 13u);
  got.insert(got.end(), other.begin(), other.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(std::adjacent_find(got.begin(), got.end()), got.end());
}

TEST_P(StoreOutboxTest, KeepsTheOutboxAcrossReopenAndListsWhatFires) {
  {
    Store store = open_with_target();
    store.queue_alerts("orders",
                       {alert("a", "trigger", kNow, {"am"}), alert("b", "trigger", kNow, {"am"}),
                        alert("c", "trigger", kNow, {"am"})},
                       {}, T(kNow));
    for (const AlertDelivery& d : store.claim_deliveries("am", "s", T(kNow), kHold, 10)) {
      if (d.alert.dedup_key != "c") store.record_attempt(d.alert.id, "am", "s", delivered(kNow));
    }
    store.queue_alerts("orders", {alert("b", "resolve", kNow + 60, {"am"})}, {}, T(kNow + 60));
  }
  Store again = db_->open();
  // a fires; b's latest event is a resolve; c was never delivered (and is still claimed).
  const std::vector<OutboxAlert> firing = again.firing_alerts("am");
  ASSERT_EQ(firing.size(), 1u);
  EXPECT_EQ(firing[0].dedup_key, "a");
  EXPECT_TRUE(again.firing_alerts("oncall").empty());
  const auto due = again.claim_deliveries("am", "s", T(kNow + 120), kHold, 10);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].alert.dedup_key, "c");  // c's claim expired
  EXPECT_EQ(due[1].alert.dedup_key, "b");  // b's resolve
  EXPECT_EQ(due[1].alert.action, "resolve");
}

TEST_P(StoreOutboxTest, RetentionForgetsSettledEventsButEachKeysLatest) {
  Store store = open_with_target();
  const int64_t old = kNow - 800 * 86400;  // older than the daily retention (730 days)
  store.queue_alerts("orders",
                     {alert("a", "trigger", old), alert("a", "resolve", old + 60),
                      alert("b", "trigger", old), alert("c", "trigger", old)},
                     {}, T(old));
  // a's and b's delivered; c's still pending.
  for (const AlertDelivery& d : store.claim_deliveries("oncall", "s", T(old), kHold, 10)) {
    if (d.alert.dedup_key != "c") store.record_attempt(d.alert.id, "oncall", "s", delivered(old));
  }
  for (const AlertDelivery& d : store.claim_deliveries("oncall", "s", T(old + 61), kHold, 10)) {
    if (d.alert.dedup_key == "a")
      store.record_attempt(d.alert.id, "oncall", "s", delivered(old + 61));
  }
  store.rollup_and_prune(T(kNow), Retention{});
  std::vector<std::string> kept;
  for (const AlertDelivery& d : store.deliveries({})) {
    kept.push_back(d.alert.dedup_key + " " + d.alert.action);
  }
  // a's trigger went (its resolve is the key's latest); b's and c's are their keys' latest.
  EXPECT_EQ(kept, (std::vector<std::string>{"c trigger", "b trigger", "a resolve"}));
  auto db = db_->connect();
  EXPECT_EQ(query_int(*db, "SELECT COUNT(*) FROM alert_events"), 3);
}

TEST_P(StoreOutboxTest, CountsTheUndeliveredBySinkAndState) {
  Store store = open_with_target();
  EXPECT_TRUE(store.undelivered_counts().empty());
  store.queue_alerts("orders",
                     {alert("a", "trigger", kNow, {"oncall", "chat"}), alert("b", "trigger", kNow),
                      alert("c", "trigger", kNow)},
                     {}, T(kNow));
  for (const AlertDelivery& d : store.claim_deliveries("oncall", "s", T(kNow), kHold, 10)) {
    if (d.alert.dedup_key == "a") {
      store.record_attempt(d.alert.id, "oncall", "s", delivered(kNow + 1));
    } else if (d.alert.dedup_key == "b") {
      store.record_attempt(d.alert.id, "oncall", "s",
                           {DeliveryState::kFailed, T(kNow + 1), T(kNow + 1), "HTTP 400"});
    }
  }
  const auto as_text = [](const std::vector<DeliveryCount>& counts) {
    std::vector<std::string> out;
    for (const DeliveryCount& n : counts) {
      out.push_back(n.sink + " " + std::string(to_string(n.state)) + " " + std::to_string(n.count));
    }
    return out;
  };
  // oncall: a delivered (not counted), b failed, c pending (claimed, and still pending).
  EXPECT_EQ(as_text(store.undelivered_counts()),
            (std::vector<std::string>{"chat pending 1", "oncall failed 1", "oncall pending 1"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreOutboxTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
