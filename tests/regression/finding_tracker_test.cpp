// The finding lifecycle as a pure function: opened, kept open while found, resolved after
// resolve_after clean passes in a row (and not before), reopened on the same identity; a
// pass that could not evaluate changes nothing, nor one in which the shape ran too little to
// be judged, nor one of the other scope (trends, windows).
#include "analyzer/regression/finding_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

namespace slowscope {
namespace {

constexpr int64_t kStart = 1'700'006'400;
constexpr int64_t kInterval = 60;
constexpr int kResolveAfter = 3;

StoreTime at(int64_t s) {
  return StoreTime(std::chrono::seconds(s));
}

Finding slow(const std::string& shape, double ratio = 2.0) {
  Finding f;
  f.key = {"orders", shape, FindingKind::kLatency};
  f.fingerprint = "SELECT * FROM " + shape + " WHERE id = $1";
  f.severity = ratio >= 3 ? Severity::kCritical : Severity::kWarning;
  f.before_mean = 0.010;
  f.after_mean = 0.010 * ratio;
  f.ratio = ratio;
  f.release = "v2";
  return f;
}

// Runs passes one interval apart over a state kept the way the store keeps it.
class Lifecycle {
 public:
  std::vector<FindingChange> pass(std::vector<Finding> findings, bool evaluated = true,
                                  std::vector<std::string> thin_shapes = {},
                                  PassScope scope = PassScope::kWindows) {
    now_ += kInterval;
    DetectionPass p{"orders", at(now_ - 3600), at(now_ - 900),      at(now_ - 900),
                    at(now_), evaluated,       std::move(findings), std::move(thin_shapes),
                    scope};
    const auto changes = track_findings(state_, p, {kResolveAfter});
    for (const FindingChange& c : changes) {
      auto it = std::find_if(state_.begin(), state_.end(),
                             [&](const FindingRecord& r) { return r.id() == c.record.id(); });
      if (it == state_.end()) {
        state_.push_back(c.record);
      } else {
        *it = c.record;
      }
    }
    return changes;
  }
  const FindingRecord& only() const {
    EXPECT_EQ(state_.size(), 1u);
    return state_.front();
  }
  int64_t now() const { return now_; }

 private:
  int64_t now_ = kStart;
  std::vector<FindingRecord> state_;
};

std::vector<FindingEvent> events(const std::vector<FindingChange>& changes) {
  std::vector<FindingEvent> out;
  for (const FindingChange& c : changes) out.push_back(c.event);
  return out;
}

using E = std::vector<FindingEvent>;

TEST(FindingTracker, OpensWithItsWindowReleaseAndEvidence) {
  Lifecycle life;
  const auto changes = life.pass({slow("shape-a", 3.5)});
  EXPECT_EQ(events(changes), E{FindingEvent::kOpened});
  const FindingRecord& r = life.only();
  EXPECT_EQ(r.id(), "orders/shape-a/latency");
  EXPECT_EQ(r.status, FindingStatus::kOpen);
  EXPECT_EQ(r.severity, "critical");
  EXPECT_EQ(r.opened_at, at(life.now()));
  EXPECT_EQ(r.first_interval, at(life.now() - 900));
  EXPECT_EQ(r.last_seen_at, at(life.now()));
  EXPECT_EQ(r.release, "v2");
  EXPECT_EQ(r.clean_passes, 0);
  EXPECT_EQ(r.reopen_count, 0);
  const auto evidence = nlohmann::json::parse(r.evidence);
  EXPECT_DOUBLE_EQ(evidence["ratio"].get<double>(), 3.5);
  EXPECT_EQ(evidence["release"], "v2");
  EXPECT_EQ(evidence["post"]["from"], "2023-11-14T23:46:00Z");
  EXPECT_EQ(evidence["post"]["until"], "2023-11-15T00:01:00Z");
}

TEST(FindingTracker, StaysOpenWhileFoundWithTheLatestEvidence) {
  Lifecycle life;
  life.pass({slow("shape-a")});
  const int64_t opened = life.now();
  // A clean pass in between does not resolve it, and being found again resets the count.
  EXPECT_EQ(events(life.pass({})), E{FindingEvent::kClean});
  EXPECT_EQ(life.only().clean_passes, 1);
  Finding worse = slow("shape-a", 4.0);
  worse.release = "v3";  // a later release does not change the one it follows
  EXPECT_EQ(events(life.pass({worse})), E{FindingEvent::kSeen});
  const FindingRecord& r = life.only();
  EXPECT_EQ(r.status, FindingStatus::kOpen);
  EXPECT_EQ(r.opened_at, at(opened));
  EXPECT_EQ(r.first_interval, at(opened - 900));
  EXPECT_EQ(r.last_seen_at, at(life.now()));
  EXPECT_EQ(r.clean_passes, 0);
  EXPECT_EQ(r.severity, "critical");
  EXPECT_EQ(r.release, "v2");
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(r.evidence)["ratio"].get<double>(), 4.0);
}

TEST(FindingTracker, ResolvesAfterTheConfiguredCleanPassesInARow) {
  Lifecycle life;
  life.pass({slow("shape-a")});
  for (int i = 1; i < kResolveAfter; ++i) {
    EXPECT_EQ(events(life.pass({})), E{FindingEvent::kClean}) << i;
    EXPECT_EQ(life.only().status, FindingStatus::kOpen);
  }
  // Passes that could not evaluate are no evidence either way.
  EXPECT_TRUE(life.pass({}, /*evaluated=*/false).empty());
  EXPECT_EQ(life.only().clean_passes, kResolveAfter - 1);
  EXPECT_EQ(events(life.pass({})), E{FindingEvent::kResolved});
  EXPECT_EQ(life.only().status, FindingStatus::kResolved);
  EXPECT_EQ(life.only().resolved_at, at(life.now()));
  // Once resolved, clean passes leave it alone.
  EXPECT_TRUE(life.pass({}).empty());
}

TEST(FindingTracker, APassThatCouldNotJudgeTheShapeIsNotClean) {
  Lifecycle life;
  life.pass({slow("shape-a")});
  EXPECT_EQ(events(life.pass({})), E{FindingEvent::kClean});
  // The shape ran too little in the post window to be judged: no evidence of a fix.
  for (int i = 0; i < 2 * kResolveAfter; ++i) {
    EXPECT_TRUE(life.pass({}, true, {"shape-a"}).empty()) << i;
  }
  EXPECT_EQ(life.only().status, FindingStatus::kOpen);
  EXPECT_EQ(life.only().clean_passes, 1);
  // Another shape being thin changes nothing for this one.
  EXPECT_EQ(events(life.pass({}, true, {"shape-b"})), E{FindingEvent::kClean});
}

TEST(FindingTracker, APassLeavesTheFindingsOfTheOtherScopeAlone) {
  Lifecycle life;
  Finding trend = slow("shape-a");
  trend.key.kind = FindingKind::kTrend;
  life.pass({slow("shape-b")});
  EXPECT_EQ(events(life.pass({trend}, true, {}, PassScope::kTrends)), E{FindingEvent::kOpened});
  // The minutes show no trend: they are not the trend pass, so it stays open.
  for (int i = 0; i < 2 * kResolveAfter; ++i) {
    for (const FindingChange& c : life.pass({slow("shape-b")})) {
      EXPECT_EQ(c.record.shape_hash, "shape-b") << i;
    }
  }
  // A trend pass without it is clean for the trend, and says nothing about shape-b.
  const auto changes = life.pass({}, true, {}, PassScope::kTrends);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].event, FindingEvent::kClean);
  EXPECT_EQ(changes[0].record.id(), "orders/shape-a/trend");
}

TEST(FindingTracker, ReopensTheSameIdentityAsANewEpisode) {
  Lifecycle life;
  life.pass({slow("shape-a")});
  for (int i = 0; i < kResolveAfter; ++i) life.pass({});
  ASSERT_EQ(life.only().status, FindingStatus::kResolved);
  Finding again = slow("shape-a");
  again.release = "v3";
  EXPECT_EQ(events(life.pass({again})), E{FindingEvent::kReopened});
  const FindingRecord& r = life.only();
  EXPECT_EQ(r.status, FindingStatus::kOpen);
  EXPECT_FALSE(r.resolved_at);
  EXPECT_EQ(r.reopen_count, 1);
  EXPECT_EQ(r.opened_at, at(life.now()));
  EXPECT_EQ(r.release, "v3");
  EXPECT_EQ(r.clean_passes, 0);
}

TEST(FindingTracker, TracksEachIdentityOnItsOwn) {
  Lifecycle life;
  EXPECT_EQ(events(life.pass({slow("shape-a"), slow("shape-b")})),
            (E{FindingEvent::kOpened, FindingEvent::kOpened}));
  EXPECT_EQ(events(life.pass({slow("shape-b")})), (E{FindingEvent::kSeen, FindingEvent::kClean}));
  Finding surge = slow("shape-b");
  surge.key.kind = FindingKind::kCallSurge;
  EXPECT_EQ(events(life.pass({surge})),
            (E{FindingEvent::kOpened, FindingEvent::kClean, FindingEvent::kClean}));
  const auto last = life.pass({surge});
  ASSERT_EQ(events(last), (E{FindingEvent::kSeen, FindingEvent::kResolved, FindingEvent::kClean}));
  EXPECT_EQ(last[1].record.id(), "orders/shape-a/latency");
}

TEST(FindingTracker, AStoredRecordReadsBackAsTheFindingItWasMadeFrom) {
  Finding f = slow("shape-a", 4.95);
  f.key.kind = FindingKind::kRowsPerCall;
  f.measure = "shared blocks per call";
  f.before_value = 12;
  f.after_value = 59.4;
  f.before_calls = 300;
  f.after_calls = 310;
  f.p_value = 0.0001;
  f.q_value = 0.002;
  f.added_seconds_per_hour = 2.5;
  f.before_p95 = 0.02;
  f.daily_rise = 0.04;
  Lifecycle life;
  life.pass({f});
  const std::optional<Finding> back = finding_of_record(life.only());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->key, f.key);
  EXPECT_EQ(back->fingerprint, f.fingerprint);
  EXPECT_EQ(back->severity, Severity::kCritical);
  EXPECT_EQ(back->measure, f.measure);
  EXPECT_EQ(back->release, "v2");
  for (const auto& [name, got, want] : std::vector<std::tuple<const char*, double, double>>{
           {"before_mean", back->before_mean, f.before_mean},
           {"after_mean", back->after_mean, f.after_mean},
           {"ratio", back->ratio, f.ratio},
           {"before_value", back->before_value, f.before_value},
           {"after_value", back->after_value, f.after_value},
           {"p_value", back->p_value, f.p_value},
           {"q_value", back->q_value, f.q_value},
           {"added_seconds_per_hour", back->added_seconds_per_hour, f.added_seconds_per_hour}}) {
    EXPECT_DOUBLE_EQ(got, want) << name;
  }
  EXPECT_EQ(back->before_calls, 300);
  EXPECT_EQ(back->after_calls, 310);
  EXPECT_EQ(back->before_p95, 0.02);
  EXPECT_FALSE(back->after_p95.has_value());
  EXPECT_EQ(back->daily_rise, 0.04);

  FindingRecord unknown = life.only();
  unknown.kind = "from_a_later_version";
  EXPECT_FALSE(finding_of_record(unknown).has_value());
  FindingRecord unreadable = life.only();
  unreadable.evidence = "{not json";
  const std::optional<Finding> bare = finding_of_record(unreadable);
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->ratio, 0);
  EXPECT_EQ(bare->measure, "");
}

}  // namespace
}  // namespace slowscope
