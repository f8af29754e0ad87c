// A scripted MySQL workload with known statement counts, and the per-shape calls a store
// holds for a target, for the tests of the MySQL sources. Header-only (see tests/support).
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "analyzer/fingerprint/fingerprint.h"
#include "analyzer/fingerprint/query_id.h"
#include "analyzer/store/store.h"
#include "tests/support/mariadb_server.h"

namespace slowscope::testing {

// Statements on tables named after `tag` (letters only: digits in names are fingerprinted
// away), so that tests sharing a server count only their own shapes.
class MysqlWorkload {
 public:
  MysqlWorkload(MariadbServer& server, std::string tag) : server_(server), tag_(std::move(tag)) {
    server_.sql(
        "CREATE DATABASE IF NOT EXISTS wl; "
        "CREATE TABLE IF NOT EXISTS wl." +
        tag_ +
        "_items (id INT PRIMARY KEY, v INT); "
        "CREATE TABLE IF NOT EXISTS wl." +
        tag_ +
        "_stock (id INT PRIMARY KEY, v INT); "
        "INSERT IGNORE INTO wl." +
        tag_ +
        "_items VALUES (1, 1), (2, 2), (3, 3); "
        "INSERT IGNORE INTO wl." +
        tag_ + "_stock VALUES (1, 1), (2, 2);");
  }

  // Runs `selects` point selects and `updates` updates in one session.
  void run(int selects, int updates) {
    std::string script;
    for (int i = 0; i < selects; ++i) {
      script +=
          "SELECT v FROM wl." + tag_ + "_items WHERE id = " + std::to_string(i % 3 + 1) + ";\n";
    }
    for (int i = 0; i < updates; ++i) {
      script += "UPDATE wl." + tag_ +
                "_stock SET v = v + 1 WHERE id = " + std::to_string(i % 2 + 1) + ";\n";
    }
    server_.sql(script);
    selects_ += selects;
    updates_ += updates;
  }

  std::string select_id() const {
    return id_of("SELECT v FROM wl." + tag_ + "_items WHERE id = 1");
  }
  std::string update_id() const {
    return id_of("UPDATE wl." + tag_ + "_stock SET v = v + 1 WHERE id = 1");
  }
  int selects() const { return selects_; }
  int updates() const { return updates_; }

  // What a store must hold for this workload: query id -> calls.
  std::map<std::string, int64_t> expected() const {
    std::map<std::string, int64_t> out;
    if (selects_ > 0) out[select_id()] = selects_;
    if (updates_ > 0) out[update_id()] = updates_;
    return out;
  }

 private:
  static std::string id_of(const std::string& query) {
    Fingerprinter fingerprinter;
    return query_id(fingerprinter.fingerprint(query));
  }

  MariadbServer& server_;
  std::string tag_;
  int selects_ = 0;
  int updates_ = 0;
};

// Calls per shape hash that `store` holds for `target` over the last day, for the shapes of
// `wanted` only (others, such as the harness's own statements, are ignored).
inline std::map<std::string, int64_t> stored_calls(Store& store, const std::string& target,
                                                   const std::map<std::string, int64_t>& wanted) {
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::map<std::string, int64_t> out;
  for (const auto& t : store.top({target, now - std::chrono::hours(24), now + std::chrono::hours(1),
                                  TopOrder::kCalls, 100000})) {
    if (wanted.contains(t.shape_hash)) out[t.shape_hash] += t.measures.calls;
  }
  return out;
}

}  // namespace slowscope::testing
