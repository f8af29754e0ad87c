// Test support: the fingerprints a `slowscope check --format json` report names as
// regressed, after checking that every target was evaluated and that each finding carries
// its evidence. Header-only (see postgres_server.h).
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace slowscope::testing {

inline std::set<std::string> regressed_fingerprints(const nlohmann::json& check) {
  std::set<std::string> out;
  for (const auto& target : check["targets"]) {
    EXPECT_TRUE(target["evaluated"].get<bool>()) << target.dump();
    for (const auto& f : target["findings"]) {
      out.insert(f["fingerprint"].get<std::string>());
      EXPECT_GE(f["ratio"].get<double>(), 1.5);
      EXPECT_GT(f["added_seconds_per_hour"].get<double>(), 0);
    }
  }
  return out;
}

}  // namespace slowscope::testing
