#include "analyzer/aggregate/digest_aggregator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "analyzer/fingerprint/fingerprint.h"
#include "analyzer/fingerprint/query_id.h"
#include "analyzer/fingerprint/tables.h"

namespace slowscope {
namespace {

// A QueryEvent that owns its text, so that tests can keep many of them around.
struct OwnedEvent {
  std::string query;
  bool admin_command = false;
  std::string db;
  std::string user;
  std::string host;
  std::optional<int64_t> ts_us;
  double query_time = 0;
  double lock_time = 0;
  double sample_rate = 1;
  std::vector<std::pair<std::string, std::variant<double, bool, std::string>>> attributes;
  uint64_t line = 0;
  uint64_t offset = 0;
};

// Feeds `e` to `agg` through a view, as a parser callback would.
void feed(DigestAggregator& agg, const OwnedEvent& e, size_t input = 0) {
  std::vector<Attribute> attributes;
  for (const auto& [name, value] : e.attributes) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      attributes.push_back({name, std::string_view(*s)});
    } else if (const auto* d = std::get_if<double>(&value)) {
      attributes.push_back({name, *d});
    } else {
      attributes.push_back({name, std::get<bool>(value)});
    }
  }
  QueryEvent view;
  view.query = e.query;
  view.admin_command = e.admin_command;
  view.db = e.db;
  view.user = e.user;
  view.host = e.host;
  view.ts_us = e.ts_us;
  view.query_time = e.query_time;
  view.lock_time = e.lock_time;
  view.sample_rate = e.sample_rate;
  view.attributes = attributes;
  view.line = e.line;
  view.offset = e.offset;
  agg.add(view, input);
}

OwnedEvent simple_event(std::string query, double query_time) {
  OwnedEvent e;
  e.query = std::move(query);
  e.query_time = query_time;
  e.attributes = {{"Query_time", query_time}, {"Lock_time", 0.0}};
  return e;
}

const std::vector<std::string>& templates() {
  static const std::vector<std::string> t = {
      "SELECT c FROM sbtest1 WHERE id = %d",
      "select * from orders where customer_id = %d and status = 'open'",
      "UPDATE accounts SET balance = balance - %d WHERE id = 7",
      "INSERT INTO audit (a, b) VALUES (%d, 'x')",
      "DELETE FROM sessions WHERE expires < %d",
      "SELECT o.id FROM orders o JOIN items i ON i.order_id = o.id WHERE o.id IN (%d, 2, 3)",
      "administrator command: Quit",
      "SELECT /* comment */ name FROM users WHERE email = 'u%d@example.com'",
  };
  return t;
}

// A log-like stream: shapes repeat with varying literals, two header layouts alternate
// in runs, query times tie often, and one shape comes from thousands of hosts.
std::vector<OwnedEvent> synthetic_events(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> latency(-6.0, 2.0);
  std::vector<OwnedEvent> out;
  out.reserve(n);
  int64_t ts = 1'700'000'000'000'000;
  bool extended = false;
  for (size_t i = 0; i < n; ++i) {
    if (rng() % 50 == 0) extended = !extended;
    const size_t shape = rng() % templates().size();
    OwnedEvent e;
    char buf[256];
    std::snprintf(buf, sizeof buf, templates()[shape].c_str(), static_cast<int>(rng() % 100000));
    e.query = buf;
    e.admin_command = e.query.starts_with("administrator");
    // Millisecond resolution so that equal query times, and example ties, are common.
    e.query_time = std::round(latency(rng) * 1e3) / 1e3;
    e.lock_time = std::round(latency(rng) * 1e5) / 1e6;
    e.db = rng() % 10 == 0 ? "" : "db" + std::to_string(rng() % 3);
    e.user = "app" + std::to_string(rng() % 4);
    e.host = shape == 0 ? "10.0." + std::to_string(rng() % 20) + "." + std::to_string(rng() % 200)
                        : "web" + std::to_string(rng() % 5);
    if (rng() % 7 != 0) {
      ts += static_cast<int64_t>(rng() % 2'000'000);
      e.ts_us = ts;
    }
    e.sample_rate = shape == 3 ? 100 : 1;
    e.attributes = {{"Query_time", e.query_time},
                    {"Lock_time", e.lock_time},
                    {"Rows_sent", static_cast<double>(rng() % 10)},
                    {"Rows_examined", static_cast<double>(rng() % 100000)}};
    if (extended) {
      e.attributes.push_back({"Thread_id", static_cast<double>(rng() % 1000)});
      e.attributes.push_back({"Schema", std::string("db1")});
      e.attributes.push_back({"QC_hit", rng() % 3 == 0});
      e.attributes.push_back({"Full_scan", rng() % 2 == 0});
      e.attributes.push_back({"InnoDB_IO_r_wait", std::round(latency(rng) * 1e6) / 1e6});
    }
    e.line = 1 + 3 * i;
    e.offset = 100 * i;
    out.push_back(std::move(e));
  }
  return out;
}

// As if the events came from several files read one after the other.
size_t input_of(size_t event_index) {
  return event_index / 10'000;
}

std::vector<QueryClass> one_pass(const std::vector<OwnedEvent>& events, DigestSummary* summary) {
  DigestAggregator agg;
  for (size_t i = 0; i < events.size(); ++i) feed(agg, events[i], input_of(i));
  if (summary) *summary = agg.summary();
  return agg.take_classes();
}

void expect_same_classes(const std::vector<QueryClass>& a, const std::vector<QueryClass>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(a[i].fingerprint);
    EXPECT_EQ(a[i].fingerprint, b[i].fingerprint);
    EXPECT_EQ(a[i].calls, b[i].calls);
    EXPECT_EQ(a[i].estimated_calls, b[i].estimated_calls);
    EXPECT_EQ(a[i].metrics, b[i].metrics);
    EXPECT_EQ(a[i].flags, b[i].flags);
    EXPECT_EQ(a[i].hosts, b[i].hosts);
    EXPECT_EQ(a[i].example, b[i].example);
    EXPECT_TRUE(a[i] == b[i]);
  }
}

TEST(DigestAggregatorTest, SplitAndMergeEqualsOnePass) {
  const std::vector<OwnedEvent> events = synthetic_events(20'000, 1);
  DigestSummary whole_summary;
  const std::vector<QueryClass> whole = one_pass(events, &whole_summary);
  ASSERT_EQ(whole.size(), templates().size());

  std::mt19937_64 rng(2);
  for (int round = 0; round < 8; ++round) {
    std::vector<size_t> cuts = {0, events.size()};
    for (int i = 0; i <= round % 7; ++i) cuts.push_back(rng() % events.size());
    std::sort(cuts.begin(), cuts.end());
    std::vector<DigestAggregator> parts;
    for (size_t c = 0; c + 1 < cuts.size(); ++c) {
      parts.emplace_back();
      for (size_t i = cuts[c]; i < cuts[c + 1]; ++i) feed(parts.back(), events[i], input_of(i));
    }
    if (round % 2 == 0) {
      // Left to right, as a single merging thread would.
      for (size_t p = 1; p < parts.size(); ++p) parts[0].merge(std::move(parts[p]));
    } else {
      // Pairwise tree, each merge still joining neighbours in input order.
      for (size_t step = 1; step < parts.size(); step *= 2) {
        for (size_t p = 0; p + step < parts.size(); p += 2 * step) {
          parts[p].merge(std::move(parts[p + step]));
        }
      }
    }
    EXPECT_EQ(parts[0].events(), events.size());
    EXPECT_TRUE(parts[0].summary() == whole_summary) << "round " << round;
    expect_same_classes(parts[0].take_classes(), whole);
  }
}

TEST(DigestAggregatorTest, ClassesCarryIdsTablesAndFirstAppearanceOrder) {
  DigestAggregator agg;
  feed(agg, simple_event("SELECT * FROM users WHERE id = 1", 0.5));
  feed(agg, simple_event("SELECT * FROM orders WHERE id = 1", 0.5));
  feed(agg, simple_event("SELECT * FROM users WHERE id = 2", 0.7));
  EXPECT_EQ(agg.class_count(), 2u);
  const std::vector<QueryClass> classes = agg.take_classes();
  ASSERT_EQ(classes.size(), 2u);
  Fingerprinter fp;
  EXPECT_EQ(classes[0].fingerprint, fp.fingerprint("SELECT * FROM users WHERE id = 1"));
  EXPECT_EQ(classes[1].fingerprint, fp.fingerprint("SELECT * FROM orders WHERE id = 1"));
  for (const QueryClass& c : classes) {
    EXPECT_EQ(c.query_id, query_id(c.fingerprint));
    EXPECT_EQ(c.query_id.size(), 32u);
    EXPECT_EQ(c.legacy_query_id, legacy_query_id(c.fingerprint));
    EXPECT_EQ(c.legacy_query_id.size(), 16u);
    EXPECT_EQ(c.tables, extract_tables(c.example.query));
  }
  EXPECT_EQ(classes[0].calls, 2u);
  EXPECT_EQ(classes[0].example.query, "SELECT * FROM users WHERE id = 2");
  EXPECT_FALSE(classes[0].tables.empty());

  // take_classes() leaves the aggregator empty and reusable.
  EXPECT_EQ(agg.class_count(), 0u);
  EXPECT_EQ(agg.events(), 0u);
  EXPECT_TRUE(agg.take_classes().empty());
  feed(agg, simple_event("SELECT 1", 0.1));
  EXPECT_EQ(agg.take_classes().size(), 1u);
}

TEST(DigestAggregatorTest, FingerprintOptionsPassThrough) {
  DigestAggregator plain;
  DigestAggregator preserving(FingerprintOptions{.preserve_embedded_numbers = true});
  for (const char* q :
       {"SELECT * FROM sbtest1 WHERE id = 1", "SELECT * FROM sbtest2 WHERE id = 1"}) {
    feed(plain, simple_event(q, 0.1));
    feed(preserving, simple_event(q, 0.1));
  }
  EXPECT_EQ(plain.class_count(), 1u);
  EXPECT_EQ(preserving.class_count(), 2u);
}

TEST(DigestAggregatorTest, MetricsForEveryNumericAttributeFlagsForBooleans) {
  DigestAggregator agg;
  OwnedEvent a = simple_event("SELECT 1", 0.25);
  a.attributes = {{"Query_time", 0.25},
                  {"Rows_examined", 10.0},
                  {"Full_scan", true},
                  {"Schema", std::string("x")},
                  {"QC_hit", false}};
  OwnedEvent b = simple_event("SELECT 2", 0.75);
  b.attributes = {
      {"Query_time", 0.75}, {"Rows_examined", 30.0}, {"Full_scan", false}, {"Tmp_tables", 1.0}};
  feed(agg, a);
  feed(agg, b);
  const DigestSummary summary = agg.summary();
  const std::vector<QueryClass> classes = agg.take_classes();
  ASSERT_EQ(classes.size(), 1u);
  const QueryClass& c = classes[0];
  ASSERT_NE(c.metric("Query_time"), nullptr);
  EXPECT_EQ(c.metric("Query_time")->count(), 2u);
  EXPECT_EQ(c.metric("Query_time")->sum(), 1.0);
  EXPECT_EQ(c.metric("Rows_examined")->mean(), 20);
  EXPECT_EQ(c.metric("Rows_examined")->stddev(), 10);
  EXPECT_EQ(c.metric("Tmp_tables")->count(), 1u);
  EXPECT_EQ(c.metric("Schema"), nullptr);  // text attributes are not metrics
  EXPECT_EQ(c.metric("Full_scan"), nullptr);
  EXPECT_EQ(c.metrics.size(), 3u);
  EXPECT_EQ(c.flags.at("Full_scan"), (FlagCount{1, 2}));
  EXPECT_EQ(c.flags.at("QC_hit"), (FlagCount{0, 1}));
  EXPECT_EQ(c.flags.size(), 2u);

  EXPECT_EQ(summary.events, 2u);
  EXPECT_EQ(summary.classes, 1u);
  EXPECT_EQ(summary.total_query_time(), 1.0);
  EXPECT_EQ(summary.metrics.at("Rows_examined"), *c.metric("Rows_examined"));
  EXPECT_EQ(summary.flags.at("Full_scan"), (FlagCount{1, 2}));
}

TEST(DigestAggregatorTest, AttributesAreTypedAsPtQueryDigestTypesThem) {
  DigestAggregator agg;
  OwnedEvent a = simple_event("SELECT 1", 0.5);
  a.attributes = {{"Query_time", 0.5}, {"Thread_id", 118.0}, {"Id", 7.0},
                  {"Last_errno", 0.0}, {"Killed", 1.0},     {"Rows_sent", 4.0}};
  OwnedEvent quit;
  quit.query = "administrator command: Quit";
  quit.admin_command = true;
  quit.attributes = {{"Query_time", 0.0}, {"Rows_sent", 4.0}, {"Rows_examined", 9.0},
                     {"Killed", 0.0}};
  feed(agg, a);
  feed(agg, quit);
  const std::vector<QueryClass> classes = agg.take_classes();
  ASSERT_EQ(classes.size(), 2u);
  // Identifiers are not measures; Killed is a flag.
  EXPECT_EQ(classes[0].metric("Thread_id"), nullptr);
  EXPECT_EQ(classes[0].metric("Id"), nullptr);
  EXPECT_EQ(classes[0].metric("Last_errno"), nullptr);
  EXPECT_EQ(classes[0].metric("Killed"), nullptr);
  EXPECT_EQ(classes[0].flags.at("Killed"), (FlagCount{1, 1}));
  EXPECT_EQ(classes[0].metric("Rows_sent")->sum(), 4);
  // Administrator commands report the previous statement's rows: counted as zero.
  EXPECT_EQ(classes[1].metric("Rows_sent")->sum(), 0);
  EXPECT_EQ(classes[1].metric("Rows_examined")->max(), 0);
  EXPECT_EQ(classes[1].flags.at("Killed"), (FlagCount{0, 1}));
}

TEST(DigestAggregatorTest, SummaryTotalsAcrossClasses) {
  const std::vector<OwnedEvent> events = synthetic_events(5'000, 3);
  DigestAggregator agg;
  for (const OwnedEvent& e : events) feed(agg, e);
  const DigestSummary s = agg.summary();
  const std::vector<QueryClass> classes = agg.take_classes();
  EXPECT_EQ(s.events, events.size());
  EXPECT_EQ(s.classes, classes.size());
  MetricSummary query_time;
  uint64_t calls = 0;
  std::optional<int64_t> first, last;
  for (const OwnedEvent& e : events) {
    query_time.add(e.query_time);
    if (e.ts_us && (!first || *e.ts_us < *first)) first = e.ts_us;
    if (e.ts_us && (!last || *e.ts_us > *last)) last = e.ts_us;
  }
  for (const QueryClass& c : classes) calls += c.calls;
  EXPECT_EQ(calls, events.size());
  EXPECT_EQ(s.metrics.at("Query_time"), query_time);
  EXPECT_EQ(s.total_query_time(), query_time.sum());
  EXPECT_EQ(s.first_seen_us, first);
  EXPECT_EQ(s.last_seen_us, last);
  EXPECT_TRUE(s.sampled);
}

// "Rows_examined: 99999999999999999999999" and 2^64 - 1 (logged for -1 by some servers):
// counted as the summary's bound, and counted as saturated, however the input was split.
TEST(DigestAggregatorTest, ValuesBeyondTheRangeSaturateAndAreCounted) {
  std::vector<OwnedEvent> events;
  for (double rows : {1.0, 1e23, 18446744073709551615.0, 5.0, HUGE_VAL}) {
    OwnedEvent e = simple_event("SELECT * FROM t WHERE id = 1", 0.5);
    e.attributes.emplace_back("Rows_examined", rows);
    events.push_back(e);
  }
  DigestAggregator whole;
  for (const OwnedEvent& e : events) feed(whole, e);
  const DigestSummary s = whole.summary();
  EXPECT_EQ(s.saturated_values, 3u);
  const MetricSummary& rows = s.metrics.at("Rows_examined");
  EXPECT_EQ(rows.count(), 5u);
  EXPECT_EQ(rows.max(), MetricSummary::kMaxMagnitude);
  EXPECT_DOUBLE_EQ(rows.sum(), 6 + 3 * MetricSummary::kMaxMagnitude);

  DigestAggregator first, second;
  for (size_t i = 0; i < events.size(); ++i) feed(i < 2 ? first : second, events[i]);
  first.merge(std::move(second));
  EXPECT_EQ(first.summary(), s);
}

TEST(DigestAggregatorTest, SampledFlagAndEstimatedCalls) {
  DigestAggregator agg;
  feed(agg, simple_event("SELECT 1", 0.1));
  feed(agg, simple_event("SELECT 2", 0.1));
  OwnedEvent sampled = simple_event("UPDATE t SET a = 1", 0.1);
  sampled.sample_rate = 100;
  feed(agg, sampled);
  sampled.sample_rate = 50;
  feed(agg, sampled);
  feed(agg, simple_event("UPDATE t SET a = 2", 0.1));  // rate 1 within a sampled class
  const DigestSummary s = agg.summary();
  const std::vector<QueryClass> classes = agg.take_classes();
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_FALSE(classes[0].sampled);
  EXPECT_EQ(classes[0].calls, 2u);
  EXPECT_EQ(classes[0].estimated_calls, 2);
  EXPECT_TRUE(classes[1].sampled);
  EXPECT_EQ(classes[1].calls, 3u);
  EXPECT_EQ(classes[1].estimated_calls, 151);
  EXPECT_TRUE(s.sampled);
  EXPECT_EQ(s.estimated_events, 153);
}

TEST(DigestAggregatorTest, SlowestExampleWithEarliestTieWinning) {
  DigestAggregator agg;
  OwnedEvent e = simple_event("SELECT * FROM t WHERE a = 1", 0.5);
  e.db = "first";
  e.line = 10;
  feed(agg, e);
  e.query = "SELECT * FROM t WHERE a = 2";
  e.query_time = 0.9;
  e.db = "slowest";
  e.ts_us = 42;
  e.line = 20;
  e.offset = 2000;
  feed(agg, e);
  e.query = "SELECT * FROM t WHERE a = 3";  // as slow, but later
  e.line = 30;
  feed(agg, e);
  e.query = "SELECT * FROM t WHERE a = 4";
  e.query_time = NAN;
  feed(agg, e);
  std::vector<QueryClass> classes = agg.take_classes();
  ASSERT_EQ(classes.size(), 1u);
  const QueryExample& ex = classes[0].example;
  EXPECT_EQ(ex.query, "SELECT * FROM t WHERE a = 2");
  EXPECT_EQ(ex.query_time, 0.9);
  EXPECT_EQ(ex.db, "slowest");
  EXPECT_EQ(ex.ts_us, 42);
  EXPECT_EQ(ex.line, 20u);
  EXPECT_EQ(ex.offset, 2000u);

  // The tie also resolves to the earlier event when the two land in different parts.
  DigestAggregator left, right;
  e.query_time = 0.9;
  e.query = "SELECT * FROM t WHERE a = 5";
  feed(left, e, 0);
  e.query = "SELECT * FROM t WHERE a = 6";
  feed(right, e, 1);
  e.query = "SELECT * FROM t WHERE a = 7";
  e.query_time = 1.5;
  e.line = 7;
  feed(right, e, 2);
  left.merge(std::move(right));
  const QueryExample merged = left.take_classes()[0].example;
  EXPECT_EQ(merged.query, "SELECT * FROM t WHERE a = 7");
  EXPECT_EQ(merged.input, 2u);
  EXPECT_EQ(merged.line, 7u);

  DigestAggregator first, second;
  e.query = "SELECT * FROM t WHERE a = 8";
  feed(first, e, 0);
  e.query = "SELECT * FROM t WHERE a = 9";
  feed(second, e, 1);
  first.merge(std::move(second));
  EXPECT_EQ(first.take_classes()[0].example.input, 0u);
}

TEST(DigestAggregatorTest, FirstAndLastSeenIgnoreEventsWithoutTime) {
  DigestAggregator agg;
  OwnedEvent e = simple_event("SELECT 1", 0.1);
  feed(agg, e);
  e.ts_us = 500;
  feed(agg, e);
  e.ts_us = 100;
  feed(agg, e);
  e.ts_us = std::nullopt;
  feed(agg, e);
  feed(agg, simple_event("SELECT a FROM b", 0.1));
  const std::vector<QueryClass> classes = agg.take_classes();
  EXPECT_EQ(classes[0].first_seen_us, 100);
  EXPECT_EQ(classes[0].last_seen_us, 500);
  EXPECT_EQ(classes[1].first_seen_us, std::nullopt);
  EXPECT_EQ(classes[1].last_seen_us, std::nullopt);
}

TEST(DigestAggregatorTest, DistinctHostsAreCappedAndSplitInvariant) {
  // 2500 hosts in one class, the first 100 of them busy; empty values are not counted.
  std::vector<OwnedEvent> events;
  for (int round = 0; round < 3; ++round) {
    for (int h = 0; h < 2500; ++h) {
      if (round > 0 && h >= 100) continue;
      OwnedEvent e = simple_event("SELECT 1", 0.001);
      e.host = "10.1." + std::to_string(h / 256) + "." + std::to_string(h % 256);
      e.user = "u";
      e.db = h % 2 ? "" : "db";
      events.push_back(std::move(e));
    }
  }
  const std::vector<QueryClass> whole = one_pass(events, nullptr);
  ASSERT_EQ(whole.size(), 1u);
  const QueryClass& c = whole[0];
  EXPECT_EQ(c.hosts.size(), DigestAggregator::kMaxDistinctValues + 1);
  ASSERT_TRUE(c.hosts.contains(std::string(kOtherValue)));
  uint64_t total = 0;
  for (const auto& [host, count] : c.hosts) {
    total += count;
    if (host != kOtherValue) {
      // A kept host has its exact count: busy ones ran 3 times, the rest once.
      const int h = std::stoi(host.substr(host.rfind('.') + 1)) +
                    256 * std::stoi(host.substr(5, host.rfind('.') - 5));
      EXPECT_EQ(count, h < 100 ? 3u : 1u) << host;
    }
  }
  EXPECT_EQ(total, c.calls);
  EXPECT_EQ(c.users, (std::map<std::string, uint64_t, std::less<>>{{"u", c.calls}}));
  EXPECT_EQ(c.databases.at("db"), 1250u + 100u);
  EXPECT_EQ(c.databases.size(), 1u);

  // Any order and any split keep the same hosts with the same counts.
  std::mt19937_64 rng(4);
  for (int round = 0; round < 6; ++round) {
    std::vector<OwnedEvent> shuffled = events;
    if (round % 2) std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const size_t cut1 = rng() % shuffled.size();
    const size_t cut2 = cut1 + rng() % (shuffled.size() - cut1);
    DigestAggregator a, b, d;
    for (size_t i = 0; i < shuffled.size(); ++i) {
      feed(i < cut1 ? a : i < cut2 ? b : d, shuffled[i]);
    }
    a.merge(std::move(b));
    a.merge(std::move(d));
    const std::vector<QueryClass> merged = a.take_classes();
    EXPECT_EQ(merged[0].hosts, c.hosts);
    if (round % 2 == 0) expect_same_classes(merged, whole);
  }
}

TEST(DigestAggregatorTest, MergeIntoEmptyAndFromEmpty) {
  const std::vector<OwnedEvent> events = synthetic_events(2'000, 5);
  const std::vector<QueryClass> whole = one_pass(events, nullptr);
  DigestAggregator empty_first;
  DigestAggregator full;
  for (const OwnedEvent& e : events) feed(full, e);
  empty_first.merge(std::move(full));
  EXPECT_EQ(full.events(), 0u);  // NOLINT(bugprone-use-after-move): merge empties it
  DigestAggregator empty_last;
  empty_first.merge(std::move(empty_last));
  expect_same_classes(empty_first.take_classes(), whole);

  DigestAggregator moved_from;
  for (const OwnedEvent& e : events) feed(moved_from, e);
  DigestAggregator moved_to = std::move(moved_from);
  expect_same_classes(moved_to.take_classes(), whole);
}

// Feeds a million events (fewer in debug builds) over `variants` variants of each template
// and times add(), fingerprinting included; then times fingerprinting alone to tell the two
// apart. Like a parser's buffer, all text sits in one arena read front to back, so the
// numbers reflect the aggregator rather than cache misses on scattered test strings.
void measure_add_throughput(size_t variants) {
  std::vector<OwnedEvent> owned = synthetic_events(20'000, 6);
  for (size_t i = 0; i < owned.size(); ++i) {
    // Letters, not digits: the fingerprint folds digits inside identifiers.
    std::string column = "k";
    for (size_t n = i % variants; n != 0; n /= 26) column += static_cast<char>('a' + n % 26);
    owned[i].query += " AND " + column + " = 1";
  }
  std::string arena;
  std::vector<std::pair<size_t, size_t>> spans;  // offset and size of each text in arena
  auto put = [&](std::string_view text) {
    spans.emplace_back(arena.size(), text.size());
    arena += text;
  };
  for (const OwnedEvent& e : owned) {
    put(e.query);
    put(e.db);
    put(e.user);
    put(e.host);
    for (const auto& [name, value] : e.attributes) {
      put(name);
      if (const auto* text = std::get_if<std::string>(&value)) put(*text);
    }
  }
  auto text = [&](size_t& k) {
    const auto [offset, size] = spans[k++];
    return std::string_view(arena).substr(offset, size);
  };
  std::vector<Attribute> attributes;
  std::vector<std::pair<size_t, size_t>> attribute_ranges;
  std::vector<QueryEvent> views(owned.size());
  size_t k = 0;
  for (size_t i = 0; i < owned.size(); ++i) {
    QueryEvent& v = views[i];
    v.query = text(k);
    v.db = text(k);
    v.user = text(k);
    v.host = text(k);
    v.ts_us = owned[i].ts_us;
    v.query_time = owned[i].query_time;
    v.sample_rate = owned[i].sample_rate;
    const size_t first = attributes.size();
    for (const auto& [name, value] : owned[i].attributes) {
      const std::string_view name_view = text(k);
      if (std::holds_alternative<std::string>(value)) {
        attributes.push_back({name_view, text(k)});
      } else if (const auto* d = std::get_if<double>(&value)) {
        attributes.push_back({name_view, *d});
      } else {
        attributes.push_back({name_view, std::get<bool>(value)});
      }
    }
    attribute_ranges.emplace_back(first, attributes.size() - first);
  }
  for (size_t i = 0; i < views.size(); ++i) {
    views[i].attributes = std::span<const Attribute>(attributes)
                              .subspan(attribute_ranges[i].first, attribute_ranges[i].second);
  }
#ifdef NDEBUG
  constexpr size_t kEvents = 1'000'000;
#else
  constexpr size_t kEvents = 50'000;  // sanitized debug builds are too slow to time anyway
#endif
  DigestAggregator agg;
  Fingerprinter fingerprinter;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < kEvents; ++i) agg.add(views[i % views.size()]);
  const auto middle = std::chrono::steady_clock::now();
  size_t sink = 0;
  for (size_t i = 0; i < kEvents; ++i) {
    sink += fingerprinter.fingerprint(views[i % views.size()].query).size();
  }
  const auto end = std::chrono::steady_clock::now();
  const double total = std::chrono::duration<double>(middle - start).count();
  const double fingerprinting = std::chrono::duration<double>(end - middle).count();
  std::printf(
      "DigestAggregator::add, %zu classes: %.2f M events/s, %.0f ns/event of which "
      "fingerprinting ~%.0f ns\n",
      agg.class_count(), kEvents / total / 1e6, total / kEvents * 1e9,
      fingerprinting / kEvents * 1e9);
  EXPECT_EQ(agg.events(), kEvents);
  EXPECT_GT(sink, 0u);
}

TEST(DigestAggregatorTest, AddThroughputFewClasses) {
  measure_add_throughput(1);
}
TEST(DigestAggregatorTest, AddThroughputManyClasses) {
  measure_add_throughput(300);
}

}  // namespace
}  // namespace slowscope
