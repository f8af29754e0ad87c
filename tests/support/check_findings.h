// Test support: the fingerprints a `slowscope check --format json` report names as
// regressed (of one kind, or of any), after checking that every target was evaluated and
// that each finding carries its evidence. Header-only (see postgres_server.h).
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace slowscope::testing {

// `kind` empty: findings of every kind.
inline std::set<std::string> regressed_fingerprints(const nlohmann::json& check,
                                                    const std::string& kind = "") {
  std::set<std::string> out;
  for (const auto& target : check["targets"]) {
    EXPECT_TRUE(target["evaluated"].get<bool>()) << target.dump();
    for (const auto& f : target["findings"]) {
      if (!kind.empty() && f["kind"] != kind) continue;
      out.insert(f["fingerprint"].get<std::string>());
      EXPECT_GE(f["ratio"].get<double>(), 1.5);
      EXPECT_GT(f["added_seconds_per_hour"].get<double>(), 0);
    }
  }
  return out;
}

}  // namespace slowscope::testing
