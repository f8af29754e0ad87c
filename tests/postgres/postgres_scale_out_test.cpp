// Scale-out end to end against real PostgreSQL 15: two `slowscope collect` processes, each
// owning two targets (PostgreSQL servers of their own, a workload running on each), write to
// one PostgreSQL store at once, every second, while `report`, `top` and `findings` read it
// over and over and `check` judges a release recorded meanwhile. Every read succeeds while
// the writes go on and shows the four targets side by side; each target is collected by its
// own collector only (its lease, its log lines), and the calls stored for each target are
// exactly the calls its workload ran: nothing lost, nothing counted twice.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/support/postgres_server.h"
#include "tests/support/slowscope_process.h"

namespace slowscope {
namespace {

using testing::run_slowscope;
using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

// A collector process and the targets it owns (nobody else's config names them).
struct CollectorSpec {
  std::string name;
  std::vector<std::string> targets;
};

const std::vector<CollectorSpec> kCollectors = {{"east", {"east-1", "east-2"}},
                                                {"west", {"west-1", "west-2"}}};

// The table only `target`'s workload updates: its shape belongs to that target alone.
std::string own_table(const std::string& target) {
  std::string name = "own_" + target;
  for (char& c : name) c = c == '-' ? '_' : c;
  return name;
}

// One target's workload: a query every target runs (one shape shared by all four) and an
// update of its own table, counted once both returned — pg_stat_statements has counted
// them by then.
struct Workload {
  std::string target;
  std::string conninfo;
  std::atomic<int64_t> iterations{0};
  std::string error;

  void run(const std::atomic<bool>& stop) {
    try {
      pqxx::connection c(conninfo);
      const std::string update = "UPDATE " + own_table(target) + " SET v = v + 1 WHERE id = $1";
      for (int i = 0; !stop; ++i) {
        pqxx::nontransaction tx(c);
        tx.exec_params("SELECT v FROM scale_items WHERE id = $1", i % 1000 + 1);
        tx.exec_params(update, i % 100 + 1);
        iterations.fetch_add(1);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
};

// The workloads' threads, stopped and joined when it ends, also when an assertion returns
// early.
class WorkloadThreads {
 public:
  ~WorkloadThreads() { stop(); }
  void start(Workload& w) {
    threads_.emplace_back([&w, this] { w.run(stop_); });
  }
  void stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// A collector's log (`--log-format json`): one JSON object per line.
struct CollectorLog {
  std::vector<nlohmann::json> lines;
  std::vector<std::string> unparsed;  // lines that are not a JSON object

  explicit CollectorLog(const std::filesystem::path& path) {
    std::istringstream in(testing::read_file(path));
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      const auto doc = nlohmann::json::parse(line, nullptr, false);
      if (doc.is_object() && doc.contains("level") && doc.contains("message")) {
        lines.push_back(doc);
      } else {
        unparsed.push_back(line);
      }
    }
  }

  // Lines of `target` whose message contains `text`.
  int count(const std::string& target, const std::string& text) const {
    int n = 0;
    for (const auto& l : lines) {
      n += l.value("target", "") == target &&
           l["message"].get<std::string>().find(text) != std::string::npos;
    }
    return n;
  }
};

class PostgresScaleOut : public ::testing::Test {
 protected:
  void SetUp() override {
    auto* server = testing::PostgresEnvironment::server();
    ASSERT_NE(server, nullptr);
    ASSERT_TRUE(server->ok()) << server->error();
    // The store: a database of its own on the harness's server, reached over TCP as a
    // central store would be.
    {
      pqxx::connection c(server->conninfo());
      pqxx::nontransaction tx(c);
      tx.exec("DROP DATABASE IF EXISTS scale_out WITH (FORCE)");
      tx.exec("CREATE DATABASE scale_out");
    }
    store_url_ = server->uri("scale_out");
    // Each target a server of its own: pg_stat_statements covers a whole server, so two
    // targets on one server would each see the other's workload.
    for (const auto& collector : kCollectors) {
      std::ofstream config(dir_.file(collector.name + ".yaml"));
      config << "store: \"" << store_url_ << "\"\ninterval: 1s\ntargets:\n";
      for (const std::string& target : collector.targets) {
        auto& target_server = servers_[target];
        target_server = std::make_unique<testing::PostgresServer>();
        ASSERT_TRUE(target_server->ok()) << target << ": " << target_server->error();
        pqxx::connection c(target_server->conninfo());
        pqxx::nontransaction(c).exec(
            "CREATE TABLE scale_items (id int PRIMARY KEY, v int NOT NULL); "
            "INSERT INTO scale_items SELECT g, g FROM generate_series(1, 1000) g; "
            "CREATE TABLE " +
            own_table(target) +
            " (id int PRIMARY KEY, v int NOT NULL); "
            "INSERT INTO " +
            own_table(target) +
            " SELECT g, 0 FROM generate_series(1, 100) g; "
            "SELECT pg_stat_statements_reset()");
        config << "  - name: " << target << "\n    engine: postgres\n    dsn: \""
               << target_server->conninfo() << "\"\n";
      }
    }
  }

  testing::RunResult read(const std::string& args) {
    return run_slowscope(args + " --store '" + store_url_ + "'");
  }

  // `top` as JSON: calls per target and fingerprint.
  std::map<std::string, std::map<std::string, int64_t>> stored_calls() {
    const auto r = read("top --since 1h --limit 1000 --format json");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::map<std::string, int64_t>> calls;
    if (r.exit_code != 0) return calls;
    const nlohmann::json top = nlohmann::json::parse(r.out);
    for (const auto& shape : top["shapes"]) {
      calls[shape["target"]][shape["fingerprint"]] += shape["calls"].get<int64_t>();
    }
    return calls;
  }

  testing::TempDir dir_;
  std::string store_url_;
  std::map<std::string, std::unique_ptr<testing::PostgresServer>> servers_;
};

TEST_F(PostgresScaleOut, TwoCollectorsWriteOneStoreWhileReportsRead) {
  // Both collectors start together on the new store: both create (migrate) it.
  std::map<std::string, std::unique_ptr<testing::SlowscopeProcess>> collectors;
  for (const auto& c : kCollectors) {
    collectors[c.name] = std::make_unique<testing::SlowscopeProcess>(
        "collect --log-format json --config '" + dir_.file(c.name + ".yaml") + "'",
        dir_.path() / (c.name + ".log"));
  }
  const auto log_of = [&](const CollectorSpec& c) {
    return CollectorLog(dir_.path() / (c.name + ".log"));
  };
  // Waits until every target's line in its collector's log contains `text` at least `n`
  // times; false after `timeout`.
  const auto wait_for_lines = [&](const std::string& text, int n, seconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      bool all = true;
      for (const auto& c : kCollectors) {
        const CollectorLog log = log_of(c);
        for (const auto& t : c.targets) all = all && log.count(t, text) >= n;
      }
      if (all) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  };
  ASSERT_TRUE(wait_for_lines("baseline taken", 1, seconds(60)))
      << testing::read_file(dir_.path() / "east.log")
      << testing::read_file(dir_.path() / "west.log");

  // The workloads start after the baselines: each statement's whole counters are then the
  // workload's, and the store must end up with exactly that many calls.
  std::map<std::string, std::unique_ptr<Workload>> workloads;
  WorkloadThreads running;
  for (const auto& [target, server] : servers_) {
    auto& w = workloads[target];
    w = std::make_unique<Workload>();
    w->target = target;
    w->conninfo = server->conninfo();
    running.start(*w);
  }
  const auto stop_workloads = [&] { running.stop(); };
  // Until every target has stored samples: the store is asked, since a cycle that ran
  // before a workload's first statement logs "0 samples for".
  const std::set<std::string> all_targets = {"east-1", "east-2", "west-1", "west-2"};
  const auto targets_with_samples = [&] {
    std::set<std::string> found;
    const auto r = read("top --since 1h --limit 1000 --format json");
    if (r.exit_code != 0) return found;
    const nlohmann::json top = nlohmann::json::parse(r.out);
    for (const auto& shape : top["shapes"]) found.insert(shape["target"].get<std::string>());
    return found;
  };
  const auto sampled_by = Clock::now() + seconds(60);
  while (targets_with_samples() != all_targets && Clock::now() < sampled_by) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (targets_with_samples() != all_targets) {
    stop_workloads();
    FAIL() << "not every target stored samples\n"
           << testing::read_file(dir_.path() / "east.log")
           << testing::read_file(dir_.path() / "west.log");
  }

  // Reads while both collectors write, for 16 s; a release is recorded half way, for
  // `check` to judge later.
  const auto reads_began = Clock::now();
  int report_rounds = 0;
  bool release_added = false;
  std::set<std::string> samples_through_seen;  // of east-1, over the rounds
  while (Clock::now() - reads_began < seconds(16)) {
    const auto report = read("report --since 1h --json -");
    ASSERT_EQ(report.exit_code, 0) << report.err;
    const auto doc = nlohmann::json::parse(report.out);
    std::set<std::string> targets, with_shapes;
    for (const auto& t : doc["targets"]) {
      targets.insert(t["name"].get<std::string>());
      if (t["name"] == "east-1" && t["samples_through"].is_string())
        samples_through_seen.insert(t["samples_through"].get<std::string>());
    }
    for (const auto& s : doc["shapes"]) with_shapes.insert(s["target"].get<std::string>());
    EXPECT_EQ(targets, all_targets) << report.out;
    EXPECT_EQ(with_shapes, all_targets) << "each target's shapes, in one report";
    ++report_rounds;

    const auto top = read("top --since 1h --limit 50 --format json");
    ASSERT_EQ(top.exit_code, 0) << top.err;
    const auto findings = read("findings --status all --format json");
    ASSERT_EQ(findings.exit_code, 0) << findings.err;
    EXPECT_EQ(nlohmann::json::parse(findings.out)["schema"], "slowscope.findings/1");

    if (!release_added && Clock::now() - reads_began >= seconds(9)) {
      const auto added = read("release add scale-release");
      ASSERT_EQ(added.exit_code, 0) << added.err;
      release_added = true;
    }
    // Leases: each target held by the collector whose configuration names it.
    if (report_rounds == 1) {
      Store store = Store::open(StoreLocation::parse(store_url_), StoreOpen::kMustExist);
      for (const auto& c : kCollectors) {
        for (const auto& t : c.targets) {
          const auto lease = store.lease(t);
          ASSERT_TRUE(lease.has_value()) << t;
          EXPECT_EQ(lease->holder.pid, collectors[c.name]->pid()) << t;
        }
      }
    }
  }
  ASSERT_TRUE(release_added);
  EXPECT_GE(report_rounds, 3);
  EXPECT_GE(samples_through_seen.size(), 3u) << "the reads did not overlap the writes";

  stop_workloads();
  for (const auto& [target, w] : workloads) ASSERT_EQ(w->error, "") << target;

  // The collectors store the last calls within a cycle or two; then the store holds exactly
  // what each workload ran, under its own target.
  const auto expected = [&](const std::string& target) {
    return workloads.at(target)->iterations.load();
  };
  const auto shared_calls = [](const std::map<std::string, int64_t>& shapes) {
    int64_t n = 0;
    for (const auto& [fingerprint, calls] : shapes) {
      if (fingerprint.find("scale_items") != std::string::npos) n += calls;
    }
    return n;
  };
  const auto deadline = Clock::now() + seconds(30);
  for (;;) {
    auto calls = stored_calls();
    bool caught_up = true;
    for (const auto& t : all_targets)
      caught_up = caught_up && shared_calls(calls[t]) >= expected(t);
    if (caught_up || Clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // two more cycles: no more

  const auto report = read("report --since 1h --json -");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const auto doc = nlohmann::json::parse(report.out);
  EXPECT_TRUE(testing::matches_schema(doc, "reports/json/schemas/report-1.schema.json"));
  std::map<std::string, std::map<std::string, int64_t>> calls;
  for (const auto& s : doc["shapes"]) {
    calls[s["target"]][s["fingerprint"]] += s["calls"].get<int64_t>();
  }
  std::cout << report_rounds << " rounds of report, top and findings while the collectors wrote;";
  for (const auto& t : all_targets) std::cout << " " << t << " " << expected(t) << " calls";
  std::cout << "\n";
  for (const auto& t : all_targets) {
    EXPECT_GT(expected(t), 100) << t;
    EXPECT_EQ(shared_calls(calls[t]), expected(t)) << t;
    int64_t own = 0;
    for (const auto& [fingerprint, n] : calls[t]) {
      for (const auto& other : all_targets) {
        if (fingerprint.find(own_table(other)) == std::string::npos) continue;
        EXPECT_EQ(other, t) << "target " << t << " holds " << other << "'s shape " << fingerprint;
        own += n;
      }
    }
    EXPECT_EQ(own, expected(t)) << t;
  }

  // check reads every target's windows around the release, across both collectors' writes.
  const auto check = read("check --release scale-release --window 5s --baseline 8s --format json");
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  if (!check.out.empty()) {
    const auto verdict = nlohmann::json::parse(check.out);
    std::set<std::string> evaluated;
    for (const auto& t : verdict["targets"]) {
      if (t["evaluated"] == true && t["shapes_compared"].get<int>() >= 2)
        evaluated.insert(t["target"].get<std::string>());
    }
    EXPECT_EQ(evaluated, all_targets) << check.out;
  }

  // The store agrees with itself: the hourly rollup, kept by each cycle, holds the raw
  // samples' calls; the shared query is one shape for the four targets.
  {
    pqxx::connection c(store_url_);
    pqxx::nontransaction tx(c);
    const auto rows = tx.exec(
        "SELECT t.name, (SELECT coalesce(sum(calls), 0) FROM samples s WHERE s.target_id = t.id), "
        "(SELECT coalesce(sum(calls), 0) FROM samples_hourly h WHERE h.target_id = t.id) "
        "FROM targets t ORDER BY t.name");
    ASSERT_EQ(rows.size(), all_targets.size());
    for (const auto& row : rows) {
      EXPECT_GT(row[1].as<int64_t>(), 0) << row[0].c_str();
      EXPECT_EQ(row[1].as<int64_t>(), row[2].as<int64_t>()) << row[0].c_str();
    }
    EXPECT_EQ(tx.exec1("SELECT count(*) FROM shapes WHERE fingerprint LIKE '%scale_items%'")[0]
                  .as<int64_t>(),
              1);
  }

  for (auto& [name, process] : collectors) {
    const int status = process->stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << name << ": " << status;
  }

  // Each target's cycles are in its own collector's log only, and neither collector logged
  // an error or a warning (no lease contention, no failed cycle, no deadlock).
  for (const auto& c : kCollectors) {
    const CollectorLog log = log_of(c);
    const std::string text = testing::read_file(dir_.path() / (c.name + ".log"));
    EXPECT_TRUE(log.unparsed.empty()) << c.name << ": " << log.unparsed.front();
    for (const auto& l : log.lines) {
      EXPECT_TRUE(l["level"] == "info" || l["level"] == "debug") << c.name << ": " << l.dump();
    }
    for (const auto& t : all_targets) {
      const bool own = std::find(c.targets.begin(), c.targets.end(), t) != c.targets.end();
      if (own) {
        EXPECT_GE(log.count(t, " samples for "), 10) << c.name << " " << t << "\n" << text;
      } else {
        EXPECT_EQ(log.count(t, ""), 0) << c.name << " logged " << t << "\n" << text;
      }
    }
    EXPECT_EQ(text.find("standing by"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace slowscope
