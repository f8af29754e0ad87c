// Helpers for the MySQL-source tests: a fixture that holds the shared MariaDB of
// tests/support/mariadb_server.h plus a private folder for password and defaults files,
// and targets pointing at that server. Not thread-safe: tests run on the main thread.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzer/config/config.h"
#include "tests/support/mariadb_server.h"

namespace slowscope::testing {

class MariadbFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = MariadbEnvironment::server();
    ASSERT_NE(server_, nullptr);
    ASSERT_TRUE(server_->ok()) << server_->error();
    char pattern[] = "/tmp/slowscope-mytest-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // A file only its owner may read, holding `content`.
  std::string private_file(const std::string& name, const std::string& content) {
    const std::filesystem::path path = dir_ / name;
    {
      std::ofstream out(path);
      out << content;
    }
    ::chmod(path.c_str(), 0600);
    return path.string();
  }

  // A target for the server's socket as the bench user, with its password in a file.
  TargetConfig socket_target(const std::string& password = MariadbServer::kPassword,
                             MysqlSource source = MysqlSource::kSlowLogTable) {
    TargetConfig target;
    target.name = "testdb";
    target.engine = Engine::kMysql;
    target.mysql.source = source;
    target.mysql.socket = server_->socket();
    target.mysql.user = MariadbServer::kUser;
    target.password_file = private_file("password-" + std::to_string(++files_), password + "\n");
    return target;
  }

  TargetConfig tcp_target(const std::string& password = MariadbServer::kPassword) {
    TargetConfig target = socket_target(password);
    target.mysql.socket.clear();
    target.mysql.host = "127.0.0.1";
    target.mysql.port = static_cast<uint16_t>(server_->port());
    return target;
  }

  MariadbServer* server_ = nullptr;
  std::filesystem::path dir_;
  int files_ = 0;
};

}  // namespace slowscope::testing
