// Health alerts end to end: `collect` watches a real PostgreSQL 15 through a loopback port
// that the test takes down and puts back. Down for three cycles, the target raises one
// health alert (kind health/unreachable, alertname SlowscopeHealth); back, it resolves.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/digest/digest_cli.h"
#include "tests/support/http_receiver.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slowscope_process.h"
#include "tests/support/tcp_forwarder.h"

namespace slowscope {
namespace {

bool wait_until(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return true;
}

TEST(PostgresHealthAlerts, ATargetDownForThreeCyclesRaisesOneAlertThatResolvesWhenItIsBack) {
  auto* server = testing::PostgresEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  // The same server, reached over TCP through a port the test controls: its conninfo is
  // "host=DIR port=P user=U dbname=D".
  const std::string conninfo = server->conninfo();
  const size_t port_at = conninfo.find(" port=");
  const size_t user_at = conninfo.find(" user=");
  ASSERT_TRUE(port_at != std::string::npos && user_at != std::string::npos) << conninfo;
  testing::TcpForwarder forwarder(std::stoi(conninfo.substr(port_at + 6, user_at - port_at - 6)));
  forwarder.up();
  const std::string dsn =
      "host=127.0.0.1 port=" + std::to_string(forwarder.port()) + conninfo.substr(user_at);

  testing::TempDir dir;
  testing::HttpReceiver receiver;
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("store.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: orders\n    engine: postgres\n    dsn: \"" << dsn << " connect_timeout=2\"\n"
      << "alerts:\n  sinks:\n"
      << "    - {name: hook, type: webhook, url: " << receiver.url() << "/hook}\n";
  const std::string log = dir.file("collect.log");
  testing::SlowscopeProcess collect(
      "collect --no-detect --config '" + dir.file("slowscope.yaml") + "'", log);
  ASSERT_TRUE(
      wait_until([&] { return testing::read_file(log).find("deltas start") != std::string::npos; },
                 std::chrono::seconds(30)))
      << testing::read_file(log);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_TRUE(receiver.requests().empty());

  forwarder.down();
  ASSERT_TRUE(receiver.wait_for_requests(1, std::chrono::milliseconds(40'000)))
      << testing::read_file(log);
  const nlohmann::json trigger = nlohmann::json::parse(receiver.requests()[0].body);
  EXPECT_EQ(trigger["action"], "trigger");
  EXPECT_EQ(trigger["kind"], "health/unreachable");
  EXPECT_EQ(trigger["severity"], "critical");
  EXPECT_EQ(trigger["target"], "orders");
  EXPECT_TRUE(trigger["query_id"].is_null());
  EXPECT_NE(
      trigger["summary"].get<std::string>().find("orders: collector unreachable for 3 cycles"),
      std::string::npos)
      << trigger.dump(2);

  forwarder.up();
  ASSERT_TRUE(receiver.wait_for_requests(2, std::chrono::milliseconds(40'000)))
      << testing::read_file(log);
  collect.stop(SIGTERM);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  const nlohmann::json resolve = nlohmann::json::parse(requests[1].body);
  EXPECT_EQ(resolve["action"], "resolve");
  EXPECT_EQ(resolve["dedup_key"], trigger["dedup_key"]);
}

}  // namespace
}  // namespace slowscope
