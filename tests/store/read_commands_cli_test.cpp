// The commands that read the store, run as a user runs them: pointed at a store that does
// not exist (a mistyped path, a PostgreSQL database without slowscope's schema, a
// configuration naming either) they exit 2 saying so, and leave nothing behind; a directory
// or a missing file given as --config is refused the same way; `check --output` never
// replaces the store it reads.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>

#include "analyzer/store/postgres_connection.h"
#include "analyzer/store/store.h"
#include "tests/digest/digest_cli.h"
#include "tests/support/postgres_server.h"

namespace slowscope::testing {
namespace {

constexpr size_t npos = std::string::npos;

// Every command that only reads the store (release add writes a marker into an existing
// one, and the store commands maintain one), with the arguments it needs.
const std::vector<std::string> kReaders = {
    "top",          "show 0123456789ABCDEF", "findings",
    "trends",       "check --release v1",    "release add v1",
    "release list", "store stats",           "store prune",
    "store vacuum"};

TEST(ReadCommandsCli, RefuseAStoreThatDoesNotExistAndCreateNone) {
  TempDir dir;
  const std::string missing = dir.file("typo.db");
  for (const std::string& command : kReaders) {
    const RunResult r = run_slowscope(command + " --store sqlite:" + missing);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("no store at sqlite:" + missing), npos) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("`slowscope collect`"), npos) << command << "\n" << r.err;
    EXPECT_EQ(r.out, "") << command;
    EXPECT_FALSE(std::filesystem::exists(missing)) << command << " created the store";
  }

  // The same through a configuration whose store is mistyped: found next to the file.
  std::ofstream(dir.file("slowscope.yaml")) << "store: sqlite:./typo.db\n";
  for (const std::string& command : kReaders) {
    const RunResult r = run_slowscope(command + " --config " + dir.file("slowscope.yaml"));
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("no store at sqlite:" + missing), npos) << command << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(missing)) << command << " created the store";
  }

  // Once something created it, it is read.
  Store::open(StoreLocation{StoreLocation::Kind::kSqlite, missing}, StoreOpen::kCreate);
  const RunResult top = run_slowscope("top --store sqlite:" + missing);
  EXPECT_EQ(top.exit_code, 0) << top.err;
  EXPECT_NE(top.out.find("No samples in this range."), npos) << top.out;
  const RunResult add = run_slowscope("release add v1 --store sqlite:" + missing);
  EXPECT_EQ(add.exit_code, 0) << add.err;
}

// A store whose folder is missing or not writable (SQLite keeps its -wal and -shm files
// there, even to read) is named as such, by the commands that create a store and by those
// that read one, instead of SQLite's "unable to open database file" or "attempt to write a
// readonly database".
TEST(ReadCommandsCli, AMissingOrUnwritableStoreFolderIsNamed) {
  TempDir dir;
  const std::string missing = dir.file("nowhere") + "/s.db";
  for (const std::string& command : kReaders) {
    const RunResult r = run_slowscope(command + " --store sqlite:" + missing);
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_NE(r.err.find("no store at sqlite:" + missing + ": its folder " + dir.file("nowhere") +
                         " does not exist"),
              npos)
        << command << "\n"
        << r.err;
  }
  const std::string log = data_path("slowlogs/hand-mysql57.log");
  RunResult create = run_slowscope("digest " + log + " --target shop --store sqlite:" + missing);
  EXPECT_EQ(create.exit_code, 2);
  EXPECT_NE(create.err.find("cannot create SQLite store " + missing + ": its folder " +
                            dir.file("nowhere") + " does not exist"),
            npos)
      << create.err;

  // A folder this user may not write: the store in it, and a new one.
  const std::string locked = dir.file("locked");
  std::filesystem::create_directory(locked);
  Store::open(StoreLocation::parse("sqlite:" + locked + "/s.db"), StoreOpen::kCreate)
      .ensure_target("orders", Engine::kPostgres);
  std::filesystem::remove(locked + "/s.db-wal");
  std::filesystem::remove(locked + "/s.db-shm");
  ::chmod(dir.path().c_str(), 0755);
  ::chmod((locked + "/s.db").c_str(), 0666);
  ::chmod(locked.c_str(), 0555);
  const std::string unwritable = ": its folder " + locked + " is not writable";
  bool available = true;
  const RunResult top =
      run_slowscope_unprivileged("top --store sqlite:" + locked + "/s.db", &available);
  if (!available) GTEST_SKIP() << "needs setpriv as root";
  EXPECT_EQ(top.exit_code, 1) << top.err;
  EXPECT_NE(top.err.find("cannot open SQLite store " + locked + "/s.db" + unwritable), npos)
      << top.err;
  EXPECT_NE(top.err.find("-wal and -shm files there"), npos) << top.err;
  create = run_slowscope_unprivileged("digest " + log + " --target shop --store sqlite:" + locked +
                                      "/new.db");
  EXPECT_EQ(create.exit_code, 2);
  EXPECT_NE(create.err.find("cannot create SQLite store " + locked + "/new.db" + unwritable), npos)
      << create.err;
  ::chmod(locked.c_str(), 0755);
}

TEST(ReadCommandsCli, RefuseADirectoryOrAMissingFileAsConfiguration) {
  TempDir dir;
  const std::string folder = dir.file("conf");
  std::filesystem::create_directory(folder);
  for (const std::string command :
       {"top", "findings", "release list", "collect --once", "config check"}) {
    const RunResult r = run_slowscope(command + " --config " + folder);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
    EXPECT_NE(r.err.find(folder + ": is a directory"), npos) << command << "\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("slowscope.db"))) << command;
    EXPECT_FALSE(std::filesystem::exists(folder + "/slowscope.db")) << command;
  }
  const std::string nowhere = dir.file("slowscope.yaml");
  for (const std::string command : {"top", "show 0123456789ABCDEF", "trends"}) {
    const RunResult r = run_slowscope(command + " --config " + nowhere);
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("no configuration file " + nowhere), npos) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("--store"), npos) << command << "\n" << r.err;
  }
  EXPECT_EQ(run_slowscope("config check --config " + nowhere).exit_code, 2);
  EXPECT_TRUE(std::filesystem::is_empty(folder));
}

TEST(ReadCommandsCli, CheckNeverWritesItsReportOverTheStore) {
  TempDir dir;
  const std::string path = dir.file("s.db");
  {
    Store store = Store::open(StoreLocation{StoreLocation::Kind::kSqlite, path});
    store.ensure_target("orders", Engine::kPostgres);
    store.add_release({"v1", StoreTime(std::chrono::seconds(1'700'000'000)), {}, {}});
  }
  const RunResult r = run_slowscope("check --release v1 --store sqlite:" + path + " -o " + path);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--output " + path + " is the store " + path), npos) << r.err;
  Store store =
      Store::open(StoreLocation{StoreLocation::Kind::kSqlite, path}, StoreOpen::kMustExist);
  EXPECT_TRUE(store.release("v1").has_value());
}

TEST(ReadCommandsCli, RefuseAPostgresDatabaseWithoutTheSchemaAndCreateNoTables) {
  PostgresServer* server = PostgresEnvironment::server();
  ASSERT_NE(server, nullptr);
  ASSERT_TRUE(server->ok()) << server->error();
  const std::string database = "empty_" + std::to_string(::getpid());
  PostgresConnection(server->conninfo())
      .exec_script("create database", "CREATE DATABASE " + database);
  const std::string uri = server->uri(database);
  for (const std::string& command : kReaders) {
    const RunResult r = run_slowscope(command + " --store '" + uri + "'");
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.err;
    EXPECT_NE(r.err.find("no store at " + uri + ": the database holds no slowscope schema"), npos)
        << command << "\n"
        << r.err;
  }
  PostgresConnection check(server->conninfo() + " dbname=" + database);
  auto tables =
      check.prepare("tables", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
  ASSERT_TRUE(tables->step());
  EXPECT_EQ(tables->get_int(0), 0) << "a reader created tables";
}

}  // namespace
}  // namespace slowscope::testing
