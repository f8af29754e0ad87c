// The alert commands as a user runs them, over a real store and a loopback receiver:
// `check --alert` pages a release's regression once (and not again on a second run),
// `report --alert` pages what detection left open and resolves it once closed, `alerts`
// lists the outbox in text and JSON, `alerts send` says what it could not deliver (exit 1)
// and delivers it once the receiver is back, `alerts test` prints each receiver's answer.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "analyzer/regression/continuous_detection.h"
#include "analyzer/store/sqlite_connection.h"
#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/regression/history_writer.h"
#include "tests/support/http_receiver.h"

namespace slowscope {
namespace {

using std::chrono::seconds;
using testing::run_slowscope;
using testing::ScriptedAnswer;

constexpr int64_t kRelease = 1'700'006'400;

StoreTime at(int64_t s) {
  return StoreTime(seconds(s));
}

class AlertsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      Store store = Store::open(StoreLocation::parse("sqlite:" + dir_.file("store.db")));
      store.ensure_target("orders", Engine::kPostgres);
      // "slow" takes 40 ms a call instead of 10 ms from the release on.
      testing::write_history(store, kRelease - 7200, kRelease + 1800,
                             [](const std::string& name, int64_t t) {
                               return name == "slow" && t >= kRelease ? 0.040 : 0.010;
                             });
      store.add_release({"v2.4.1", at(kRelease), {"orders"}, {}});
    }
    std::ofstream(dir_.file("hook.key")) << "s3cret\n";
    chmod(dir_.file("hook.key").c_str(), 0600);
    std::ofstream(dir_.file("slowscope.yaml"))
        << "store: sqlite:store.db\ntargets:\n"
        << "  - {name: orders, engine: postgres, dsn: \"host=/nowhere dbname=orders\"}\n"
        << "alerts:\n  min_severity: info\n  timeout: 2s\n  sinks:\n"
        << "    - {name: hook, type: webhook, url: " << receiver_.url()
        << "/hook, hmac_secret_file: hook.key}\n"
        << "    - {name: log, type: file, path: alerts.jsonl}\n";
    config_ = " --config '" + dir_.file("slowscope.yaml") + "'";
  }

  std::vector<nlohmann::json> received() {
    std::vector<nlohmann::json> out;
    for (const auto& r : receiver_.requests()) out.push_back(nlohmann::json::parse(r.body));
    return out;
  }

  testing::HttpReceiver receiver_;
  testing::TempDir dir_;
  std::string config_;
};

TEST_F(AlertsCli, CheckPagesARegressionOnceAndAlertsListsIt) {
  const std::string check = "check --release v2.4.1 --window 30m --baseline 2h --alert" + config_;
  auto r = run_slowscope(check);
  EXPECT_EQ(r.exit_code, 1) << r.err;  // the verdict is the check's
  EXPECT_NE(r.err.find("1 alert event(s) queued"), std::string::npos) << r.err;
  std::vector<nlohmann::json> got = received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["action"], "trigger");
  EXPECT_EQ(got[0]["release"], "v2.4.1");
  EXPECT_EQ(got[0]["query_id"], "shape-slow");
  EXPECT_TRUE(testing::matches_schema(got[0], "reports/json/schemas/alert-1.schema.json"));
  EXPECT_NE(
      testing::read_file(dir_.file("alerts.jsonl")).find(got[0]["dedup_key"].get<std::string>()),
      std::string::npos);

  // Checked again: nothing new to page.
  r = run_slowscope(check);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(received().size(), 1u);

  r = run_slowscope("alerts" + config_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("delivered  hook  trigger  info  orders: `select * from slow where id = ?`"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("delivered  log  trigger"), std::string::npos) << r.out;
  r = run_slowscope("alerts --format json --sink hook" + config_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json outbox = nlohmann::json::parse(r.out);
  EXPECT_TRUE(testing::matches_schema(outbox, "reports/json/schemas/outbox-1.schema.json"));
  ASSERT_EQ(outbox["deliveries"].size(), 1u);
  EXPECT_EQ(outbox["deliveries"][0]["state"], "delivered");
  EXPECT_EQ(outbox["deliveries"][0]["event"], got[0]);

  // --alert without an alerts: section is a configuration error, before anything is checked.
  std::ofstream(dir_.file("plain.yaml")) << "store: sqlite:store.db\n";
  r = run_slowscope("check --release v2.4.1 --alert --config '" + dir_.file("plain.yaml") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no `alerts:` section"), std::string::npos) << r.err;
}

TEST_F(AlertsCli, SendSaysWhatWaitsAndDeliversItLater) {
  receiver_.set_default_answer(ScriptedAnswer::reply(503, "maintenance"));
  auto r = run_slowscope("check --release v2.4.1 --window 30m --baseline 2h --alert" + config_);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("some alerts were not delivered"), std::string::npos) << r.err;
  r = run_slowscope("alerts --status pending" + config_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("pending  hook"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("HTTP 503: maintenance"), std::string::npos) << r.out;

  // Not due yet: `alerts send` leaves it and says so.
  r = run_slowscope("alerts send" + config_);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("hook: 0 delivered, 0 failed, 1 pending"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("log: 0 delivered, 0 failed, 0 pending"), std::string::npos) << r.out;
  EXPECT_EQ(receiver_.requests().size(), 1u);
}

TEST_F(AlertsCli, ReportPagesWhatDetectionLeftOpenAndResolvesItWhenClosed) {
  {
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir_.file("store.db")));
    ContinuousDetectionOptions detection;
    detection.recent.post_window = std::chrono::minutes(15);
    detection.recent.baseline = std::chrono::hours(2);
    ASSERT_FALSE(
        run_detection_pass(store, "orders", at(kRelease + 900), detection).changes.empty());
  }
  const std::string report = "report --from 2023-11-14 --until 2023-11-16 --json " +
                             dir_.file("report.json") + " --alert" + config_;
  auto r = run_slowscope(report);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<nlohmann::json> got = received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0]["action"], "trigger");
  EXPECT_EQ(got[0]["incident"], "orders/shape-slow/latency");
  r = run_slowscope(report);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(received().size(), 1u);  // still open: not paged again

  {
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir_.file("store.db")));
    store.update_findings("orders", {}, [](const std::vector<FindingRecord>& open) {
      std::vector<FindingRecord> rows = open;
      for (FindingRecord& f : rows) {
        f.status = FindingStatus::kResolved;
        f.resolved_at = at(kRelease + 3600);
      }
      return rows;
    });
  }
  r = run_slowscope(report);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  got = received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1]["action"], "resolve");
  EXPECT_EQ(got[1]["dedup_key"], got[0]["dedup_key"]);
}

TEST_F(AlertsCli, TestSendsATriggerAndItsResolveToEachSink) {
  auto r = run_slowscope("alerts test" + config_);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("hook: trigger delivered: HTTP 200"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hook: resolve delivered: HTTP 200"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("log: trigger delivered"), std::string::npos) << r.out;
  const std::vector<nlohmann::json> got = received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0]["kind"], "test");
  EXPECT_EQ(got[0]["dedup_key"], got[1]["dedup_key"]);
  // Nothing went through the outbox.
  r = run_slowscope("alerts" + config_);
  EXPECT_NE(r.out.find("no alert events"), std::string::npos) << r.out;

  receiver_.queue_answer(ScriptedAnswer::reply(400, "unknown integration"));
  r = run_slowscope("alerts test --sink hook" + config_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("hook: trigger FAILED: HTTP 400: unknown integration"), std::string::npos)
      << r.out;
  r = run_slowscope("alerts test --sink nosuch" + config_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no alert sink called 'nosuch' (configured: hook, log)"), std::string::npos)
      << r.err;
}

TEST_F(AlertsCli, CollectPagesAStoreItCannotUseBeforeItStops) {
  // A store that a newer slowscope migrated: this one must not write to it, and stops.
  SqliteConnection(dir_.file("store.db"))
      .exec_script("newer schema",
                   "INSERT INTO schema_version VALUES (99, 'from the future', 0)");
  const auto r = run_slowscope("collect --once" + config_);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("newer than this slowscope understands"), std::string::npos) << r.err;
  // The outbox is in that store: the event went from memory, to every sink.
  const std::vector<nlohmann::json> got = received();
  ASSERT_EQ(got.size(), 1u) << r.err;
  EXPECT_EQ(got[0]["kind"], "health/store_errors");
  EXPECT_EQ(got[0]["action"], "trigger");
  EXPECT_EQ(got[0]["severity"], "critical");
  EXPECT_NE(got[0]["summary"].get<std::string>().find("cannot be used, collect stopped"),
            std::string::npos)
      << got[0]["summary"];
  std::ifstream file(dir_.file("alerts.jsonl"));
  std::string line;
  ASSERT_TRUE(std::getline(file, line)) << "nothing in the file sink";
  EXPECT_EQ(nlohmann::json::parse(line)["dedup_key"], got[0]["dedup_key"]);
}

}  // namespace
}  // namespace slowscope
