// Test support: a gtest global environment that owns one throwaway server per test process
// (PostgresServer, MariadbServer), started only when a test whose full name contains the
// server's kTestNameTag is going to run, and stopped when the environment is torn down.
//
// Not thread-safe: gtest sets environments up from the main thread.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace slowscope::testing {

template <typename Server>
class ServerEnvironment : public ::testing::Environment {
 public:
  static Server* server() { return server_.get(); }

  void SetUp() override {
    const auto* unit = ::testing::UnitTest::GetInstance();
    for (int i = 0; i < unit->total_test_suite_count(); ++i) {
      const auto* suite = unit->GetTestSuite(i);
      for (int j = 0; j < suite->total_test_count(); ++j) {
        const auto* info = suite->GetTestInfo(j);
        const std::string name = std::string(suite->name()) + "." + info->name();
        if (info->should_run() && name.find(Server::kTestNameTag) != std::string::npos) {
          server_ = std::make_unique<Server>();
          return;
        }
      }
    }
  }
  void TearDown() override { server_.reset(); }

 private:
  static inline std::unique_ptr<Server> server_;
};

}  // namespace slowscope::testing
