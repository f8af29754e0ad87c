// A collector killed with SIGKILL in the middle of sending an alert, and started again: the
// event it was sending is sent again (it was never acknowledged), every event arrives, in
// order per dedup key, and each is acknowledged exactly once — with the real `slowscope
// collect` binary, a real store and a loopback receiver. And SIGTERM, which a service
// manager sends, ends a collector that sends alerts as cleanly as one that does not.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <thread>
#include <nlohmann/json.hpp>

#include "analyzer/store/store.h"
#include "app/alert_routing.h"
#include "tests/digest/digest_cli.h"
#include "tests/support/http_receiver.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

using std::chrono::milliseconds;
using testing::ScriptedAnswer;

AlertEvent event(const std::string& scope, AlertAction action, int64_t at) {
  AlertEvent e;
  e.dedup_key = alert_dedup_key("shop", scope, "incident");
  e.action = action;
  e.severity = AlertSeverity::kError;
  e.summary = "shop: `select * from carts where id = ?` 3.0x slower";
  e.target = "shop";
  e.kind = "latency";
  e.incident = scope;
  e.at = at;
  return e;
}

TEST(AlertCrash, AKilledSenderResendsWhatWasNotAcknowledgedAndNothingElse) {
  testing::TempDir dir;
  testing::HttpReceiver receiver;
  std::ofstream(dir.file("slow.log")) << "";
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: shop\n    engine: mysql\n    source: slow_log_file\n"
      << "    slow_log: " << dir.file("slow.log") << "\n"
      << "    detection: {enabled: false}\n"
      << "alerts:\n  timeout: 1s\n  sinks:\n"
      << "    - {name: hook, type: webhook, url: " << receiver.url() << "/hook}\n";
  {
    Store store = Store::open(StoreLocation::parse("sqlite:" + dir.file("store.db")));
    store.ensure_target("shop", Engine::kMysql);
    const StoreTime now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const int64_t t = now.time_since_epoch().count();
    store.queue_alerts("shop",
                       {outbox_alert(event("a", AlertAction::kTrigger, t), {"hook"}),
                        outbox_alert(event("b", AlertAction::kTrigger, t), {"hook"}),
                        outbox_alert(event("a", AlertAction::kResolve, t + 1), {"hook"})},
                       {}, now);
  }
  // The first request hangs: the collector is killed while it waits for the answer.
  receiver.queue_answer(ScriptedAnswer::hang(milliseconds(60'000)));
  const std::string config = " --config '" + dir.file("slowscope.yaml") + "'";
  {
    testing::SlowscopeProcess collect("collect" + config, dir.file("collect.log"));
    ASSERT_TRUE(receiver.wait_for_requests(1, milliseconds(30'000)))
        << testing::read_file(dir.file("collect.log"));
    collect.stop(SIGKILL);
  }
  // Started again, it sends the unacknowledged event again once the dead sender's claim on
  // it has lapsed (a few of its 1 s timeouts), then the rest.
  testing::SlowscopeProcess collect("collect" + config, dir.file("collect.log"));
  ASSERT_TRUE(receiver.wait_for_requests(4, milliseconds(60'000)))
      << testing::read_file(dir.file("collect.log"));
  // Nothing more comes: each was acknowledged once.
  const auto outbox_done = [&] {
    const auto listed = testing::run_slowscope("alerts --format json --status pending" + config);
    return listed.exit_code == 0 && nlohmann::json::parse(listed.out)["deliveries"].empty();
  };
  for (int i = 0; i < 100 && !outbox_done(); ++i) {
    std::this_thread::sleep_for(milliseconds(200));
  }
  collect.stop(SIGTERM);
  const std::vector<testing::ReceivedRequest> got = receiver.requests();
  ASSERT_EQ(got.size(), 4u) << testing::read_file(dir.file("collect.log"));
  std::vector<std::string> arrived;
  for (const auto& r : got) {
    const nlohmann::json doc = nlohmann::json::parse(r.body);
    arrived.push_back(doc["incident"].get<std::string>() + " " + doc["action"].get<std::string>());
  }
  // a's trigger twice (the first never answered), b's once, a's resolve after a's trigger.
  EXPECT_EQ(arrived[0], "a trigger");
  EXPECT_EQ(arrived[1], "a trigger");
  std::map<std::string, int> count;
  for (const std::string& a : arrived) ++count[a];
  EXPECT_EQ(count["b trigger"], 1);
  EXPECT_EQ(count["a resolve"], 1);
  EXPECT_LT(std::find(arrived.begin() + 1, arrived.end(), "a trigger") - arrived.begin(),
            std::find(arrived.begin(), arrived.end(), "a resolve") - arrived.begin());
  const auto listed = testing::run_slowscope("alerts --format json" + config);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const nlohmann::json outbox = nlohmann::json::parse(listed.out);
  for (const auto& d : outbox["deliveries"]) {
    EXPECT_EQ(d["state"], "delivered") << d.dump(2);
    EXPECT_EQ(d["attempts"], 1) << d.dump(2);  // the killed attempt was never recorded
  }
}

// The sender's threads, one per sink, must not be where SIGTERM lands: it would end the
// process at once (status 143), without finishing the cycle or giving up the lease.
TEST(AlertCrash, SigtermEndsACollectorThatSendsAlertsCleanly) {
  testing::TempDir dir;
  std::ofstream(dir.file("slow.log")) << "";
  std::ofstream config(dir.file("slowscope.yaml"));
  config << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
         << "  - name: shop\n    engine: mysql\n    source: slow_log_file\n"
         << "    slow_log: " << dir.file("slow.log") << "\n"
         << "alerts:\n  sinks:\n";
  for (int i = 0; i < 4; ++i) {
    config << "    - {name: log" << i << ", type: file, path: " << dir.file("alerts.jsonl")
           << "}\n";
  }
  config.close();
  const std::string log = dir.file("collect.log");
  testing::SlowscopeProcess collect("collect --config '" + dir.file("slowscope.yaml") + "'", log);
  for (int i = 0; i < 300 && testing::read_file(log).find("nothing new") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_NE(testing::read_file(log).find("nothing new"), std::string::npos)
      << testing::read_file(log);
  const int status = collect.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "status " << status << "\n"
      << testing::read_file(log);
  EXPECT_NE(testing::read_file(log).find("SIGTERM received"), std::string::npos)
      << testing::read_file(log);
  Store store = Store::open(StoreLocation::parse("sqlite:" + dir.file("store.db")));
  EXPECT_FALSE(store.lease("shop")) << "the lease was not given up";
}

}  // namespace
}  // namespace slowscope
