// Test support for the secrets suites: what a store file holds on disk, and everything the
// report commands print about it, to search for planted secrets. Header-only (see
// postgres_server.h).
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/digest/digest_cli.h"

namespace slowscope::testing {

// The raw bytes of an SQLite store: the database file, its write-ahead log and shared memory.
inline std::string store_bytes(const std::filesystem::path& db) {
  std::string bytes;
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    if (std::filesystem::exists(db.string() + suffix)) bytes += read_file(db.string() + suffix);
  }
  return bytes;
}

// Fails naming `where` and the secret when one of `secrets` is in `text`.
inline ::testing::AssertionResult holds_none_of(const std::string& text,
                                                const std::vector<std::string>& secrets,
                                                const std::string& where) {
  for (const std::string& secret : secrets) {
    if (text.find(secret) != std::string::npos) {
      return ::testing::AssertionFailure() << where << " holds '" << secret << "'";
    }
  }
  return ::testing::AssertionSuccess();
}

// Whether the files of an SQLite store are closed to group and others (to others only, with
// `group_may_read`).
inline ::testing::AssertionResult private_store_files(const std::filesystem::path& db,
                                                      bool group_may_read = false) {
  for (const std::string suffix : {"", "-wal", "-shm"}) {
    struct stat st {};
    const std::string file = db.string() + suffix;
    if (::stat(file.c_str(), &st) != 0) continue;
    if ((st.st_mode & (group_may_read ? 007 : 077)) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%03o", st.st_mode & 0777);
      return ::testing::AssertionFailure() << file << " has mode " << mode;
    }
  }
  return ::testing::AssertionSuccess();
}

// Everything `top`, `show` (of every shape top lists), `findings` and `trends` print for
// the store `store_flag` ("--store sqlite:..."), in text and JSON.
inline std::string all_report_output(const std::string& store_flag) {
  std::string out;
  auto run = [&](const std::string& args) {
    const RunResult r = run_slowscope(args + " " + store_flag);
    out += r.out + r.err;
    return r;
  };
  run("top --since 1d --limit 1000");
  const RunResult top = run("top --since 1d --limit 1000 --format json");
  const auto doc = nlohmann::json::parse(top.out, nullptr, false);
  if (doc.is_object() && doc.contains("shapes")) {
    for (const auto& shape : doc["shapes"]) {
      const std::string id = shape.value("query_id", "");
      run("show '" + id + "' --since 1d");
      run("show '" + id + "' --since 1d --format json");
    }
  }
  run("findings --status all --since 1d");
  run("findings --status all --since 1d --format json");
  run("trends");
  run("trends --format json");
  return out;
}

}  // namespace slowscope::testing
