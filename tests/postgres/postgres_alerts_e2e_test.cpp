// Alerts end to end: a real PostgreSQL 15 with a workload, `collect` with detection and an
// `alerts:` section, a real Prometheus Alertmanager and a loopback webhook. An index is
// dropped: the incident fires in Alertmanager with slowscope's labels, and the webhook gets a
// signed trigger; the index comes back: the alert resolves in Alertmanager and the webhook
// gets the resolve. No literal of the workload's statements reaches either.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "tests/digest/digest_cli.h"
#include "tests/support/alertmanager_server.h"
#include "tests/support/http_receiver.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

constexpr const char* kSecretLiteral = "sk_live_51HqLyjSECRET";

class PostgresAlerts : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* server = testing::PostgresEnvironment::server();
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->ok()) << server->error();
    ASSERT_TRUE(alertmanager_.ok()) << alertmanager_.error();
    conninfo_ = server->conninfo();
    std::ofstream(dir_.file("hook.key")) << "hook-secret\n";
    chmod(dir_.file("hook.key").c_str(), 0600);
    std::ofstream(dir_.file("slowscope.yaml"))
        << "store: sqlite:" << dir_.file("store.db") << "\ninterval: 1s\ntargets:\n"
        << "  - name: orders\n    engine: postgres\n    dsn: \"" << conninfo_ << "\"\n"
        << "alerts:\n  min_severity: info\n  sinks:\n"
        << "    - {name: am, type: alertmanager, url: " << alertmanager_.url() << "}\n"
        << "    - {name: hook, type: webhook, url: " << receiver_.url()
        << "/hook, hmac_secret_file: hook.key}\n"
        << "    - {name: log, type: file, path: alerts.jsonl}\n";
    config_ = " --config '" + dir_.file("slowscope.yaml") + "'";
    execute(
        "DROP TABLE IF EXISTS alert_items; "
        "CREATE TABLE alert_items (id int PRIMARY KEY, grp int NOT NULL, v int NOT NULL, "
        "token text NOT NULL); "
        "INSERT INTO alert_items SELECT g, g % 5000, g % 97, md5(g::text) "
        "FROM generate_series(1, 200000) g; "
        "CREATE INDEX alert_items_grp ON alert_items (grp); ANALYZE alert_items;");
  }

  void execute(const std::string& sql) {
    pqxx::connection c(conninfo_);
    pqxx::nontransaction(c).exec(sql);
  }

  // The statements hold a secret-looking literal, as an application's might.
  void workload(std::atomic<bool>& stop) {
    pqxx::connection c(conninfo_);
    int i = 0;
    while (!stop) {
      pqxx::nontransaction tx(c);
      ++i;
      tx.exec("SELECT count(*) FROM alert_items WHERE grp = " + std::to_string(i % 5000) +
              " AND token <> '" + kSecretLiteral + "'");
      tx.exec_params("SELECT v FROM alert_items WHERE id = $1", i % 200000 + 1);
    }
  }

  // Slowscope's alerts in Alertmanager (API v2), active ones only unless `all`.
  nlohmann::json alertmanager_alerts() {
    const auto body = testing::http_get(alertmanager_.url() +
                                        "/api/v2/alerts?filter=alertname%3D%22SlowscopeFinding%22");
    return body ? nlohmann::json::parse(*body) : nlohmann::json::array();
  }

  static bool wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    return true;
  }

  testing::TempDir dir_;
  testing::AlertmanagerServer alertmanager_{dir_.file("am")};
  testing::HttpReceiver receiver_;
  std::string conninfo_;
  std::string config_;
};

TEST_F(PostgresAlerts, ADroppedIndexFiresInAlertmanagerAndResolvesWhenItIsBack) {
  const std::string log = dir_.file("collect.log");
  testing::SlowscopeProcess collect(
      "collect --detect-window 5s --detect-baseline 2m --resolve-after 3" + config_, log);
  std::atomic<bool> stop{false};
  std::thread load([&] { workload(stop); });
  // The workload ends however the test does (a failed ASSERT returns early).
  const auto end_load = [&] {
    stop = true;
    if (load.joinable()) load.join();
  };
  struct AtExit {
    std::function<void()> run;
    ~AtExit() { run(); }
  } load_guard{end_load};
  std::this_thread::sleep_for(std::chrono::seconds(15));
  EXPECT_TRUE(alertmanager_alerts().empty()) << testing::read_file(log);

  execute("DROP INDEX alert_items_grp");
  nlohmann::json firing;
  EXPECT_TRUE(wait_until(
      [&] {
        firing = alertmanager_alerts();
        return !firing.empty();
      },
      std::chrono::seconds(40)))
      << testing::read_file(log);
  ASSERT_EQ(firing.size(), 1u) << firing.dump(2);  // one incident, however many findings
  const nlohmann::json& alert = firing[0];
  EXPECT_EQ(alert["status"]["state"], "active");
  const nlohmann::json& labels = alert["labels"];
  EXPECT_EQ(labels["alertname"], "SlowscopeFinding");
  EXPECT_EQ(labels["target"], "orders");
  EXPECT_FALSE(labels["incident"].get<std::string>().empty());
  EXPECT_TRUE(labels.contains("severity"));
  EXPECT_TRUE(labels.contains("kind"));
  EXPECT_TRUE(labels.contains("query_id"));
  EXPECT_NE(alert["annotations"]["fingerprint"].get<std::string>().find("grp = $1"),
            std::string::npos)
      << alert.dump(2);
  EXPECT_NE(alert["annotations"]["summary"].get<std::string>().find("orders: "), std::string::npos);

  execute("CREATE INDEX alert_items_grp ON alert_items (grp)");
  EXPECT_TRUE(wait_until(
      [&] {
        const nlohmann::json now = alertmanager_alerts();
        return now.empty() || now[0]["status"]["state"] != "active";
      },
      std::chrono::seconds(60)))
      << alertmanager_alerts().dump(2) << testing::read_file(log);
  end_load();
  collect.stop(SIGTERM);

  // The webhook got the incident's trigger and then its resolve, signed, under one key.
  std::vector<std::string> actions;
  std::set<std::string> keys;
  for (const testing::ReceivedRequest& r : receiver_.requests()) {
    const nlohmann::json doc = nlohmann::json::parse(r.body);
    actions.push_back(doc["action"].get<std::string>());
    keys.insert(doc["dedup_key"].get<std::string>());
    EXPECT_TRUE(r.header("X-Slowscope-Signature").has_value());
    EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/alert-1.schema.json"));
  }
  // A trigger first (again, same key, should the incident grow), one resolve last.
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(actions.front(), "trigger");
  EXPECT_EQ(actions.back(), "resolve");
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "resolve"), 1);
  EXPECT_EQ(keys.size(), 1u);

  // No literal anywhere an alert went: the webhook's bodies, the alert file, Alertmanager.
  for (const testing::ReceivedRequest& r : receiver_.requests()) {
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << r.body;
  }
  const std::string file = testing::read_file(dir_.file("alerts.jsonl"));
  EXPECT_NE(file.find("\"trigger\""), std::string::npos);
  EXPECT_EQ(file.find("SECRET"), std::string::npos) << file;
  EXPECT_EQ(firing.dump().find("SECRET"), std::string::npos);

  // The outbox says what happened, per sink.
  const auto listed = testing::run_slowscope("alerts --format json" + config_);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const nlohmann::json outbox = nlohmann::json::parse(listed.out);
  EXPECT_TRUE(testing::matches_schema(outbox, "reports/json/schemas/outbox-1.schema.json"));
  for (const auto& d : outbox["deliveries"]) EXPECT_EQ(d["state"], "delivered") << d.dump(2);
  EXPECT_EQ(outbox["deliveries"].size(), 3 * actions.size());  // each event to three sinks
}

}  // namespace
}  // namespace slowscope
