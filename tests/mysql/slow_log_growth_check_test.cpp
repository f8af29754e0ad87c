// "Slow log not growing while the server is up": a slow_log_file target that gives the
// server's socket checks, at each cycle that read nothing new, that the server's slow
// queries still reach the followed file. Against the shared MariaDB writing its slow log to
// a file of the test's own folder: a busy or quiet server is fine; another
// slow_query_log_file, slow_query_log=OFF, log_output=TABLE and a file moved away without
// FLUSH SLOW LOGS are reported, and end when entries reach the file again; without socket
// or host nothing is checked; a server the check cannot reach leaves the file read as ever.
// The judgement's parts (paths, settings) are tested without a server first.
#include "connectors/mysql/slow_log_growth_check.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <fstream>
#include <memory>

#include "connectors/mysql/mysql_target_collectors.h"
#include "tests/digest/digest_cli.h"
#include "tests/mysql/mysql_test_util.h"

namespace slowscope {
namespace {

namespace fs = std::filesystem;

}  // namespace

// Failures print the health by name.
void PrintTo(CollectorHealth health, std::ostream* os) {
  *os << to_string(health);
}

namespace {

std::string host_name() {
  char name[HOST_NAME_MAX + 1] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

SlowLogServerFacts mariadb_defaults() {
  SlowLogServerFacts f;
  f.hostname = "db1";
  f.datadir = "/var/lib/mysql/";
  f.slow_query_log = true;
  f.log_output = "FILE";
  f.slow_query_log_file = "/var/log/mysql/slow.log";
  f.log_slow_rate_limit = "1";
  f.log_slow_filter =
      "admin,filesort,filesort_on_disk,filesort_priority_queue,full_join,full_scan,query_cache,"
      "query_cache_miss,tmp_table,tmp_table_on_disk";
  f.log_slow_disabled_statements = "sp";
  return f;
}

TEST(SlowLogServerFactsTest, ARelativeLogFileIsInTheDatadir) {
  SlowLogServerFacts f = mariadb_defaults();
  EXPECT_EQ(f.log_file_path(), "/var/log/mysql/slow.log");
  f.slow_query_log_file = "db1-slow.log";
  EXPECT_EQ(f.log_file_path(), "/var/lib/mysql/db1-slow.log");
  f.slow_query_log_file = "/var/log//mysql/../mysql/./slow.log";
  EXPECT_EQ(f.log_file_path(), "/var/log/mysql/slow.log");
  f.slow_query_log_file.clear();
  EXPECT_EQ(f.log_file_path(), "");
}

TEST(SlowLogServerFactsTest, WritesAFileOnlyWithTheLogOnAndFileInLogOutput) {
  SlowLogServerFacts f = mariadb_defaults();
  EXPECT_TRUE(f.writes_file());
  f.log_output = "TABLE,FILE";
  EXPECT_TRUE(f.writes_file());
  f.log_output = "TABLE";
  EXPECT_FALSE(f.writes_file());
  f.log_output = "FILE,NONE";  // NONE wins
  EXPECT_FALSE(f.writes_file());
  f.log_output = "FILE";
  f.slow_query_log = false;
  EXPECT_FALSE(f.writes_file());
}

TEST(SlowLogServerFactsTest, ComparesPathsByNameOrByFileAndCallsOthersDifferentOnlyOnItsHost) {
  testing::TempDir dir;
  const std::string followed = dir.file("slow.log");
  const std::string other = dir.file("other.log");
  std::ofstream(followed) << "x";
  std::ofstream(other) << "y";
  fs::create_symlink(followed, dir.file("link.log"));
  SlowLogServerFacts f = mariadb_defaults();
  f.hostname = host_name();

  f.slow_query_log_file = followed;
  EXPECT_EQ(compare_slow_log_paths(f, followed, host_name()), SameSlowLog::kYes);
  // A relative name, resolved against the datadir.
  f.datadir = dir.path().string() + "/";
  f.slow_query_log_file = "slow.log";
  EXPECT_EQ(compare_slow_log_paths(f, followed, host_name()), SameSlowLog::kYes);
  // Another name for the same file.
  f.slow_query_log_file = dir.file("link.log");
  EXPECT_EQ(compare_slow_log_paths(f, followed, host_name()), SameSlowLog::kYes);
  // Another file, here, on the server's host.
  f.slow_query_log_file = other;
  EXPECT_EQ(compare_slow_log_paths(f, followed, host_name()), SameSlowLog::kNo);
  // The same, named by a server on another host: its paths are not this file system's.
  f.hostname = "elsewhere";
  EXPECT_EQ(compare_slow_log_paths(f, followed, host_name()), SameSlowLog::kCannotTell);
  // A path that does not exist here: a container's, or a mount's.
  f.hostname = host_name();
  f.slow_query_log_file = "/var/lib/mysql-in-a-container/slow.log";
  EXPECT_EQ(compare_slow_log_paths(f, followed, host_name()), SameSlowLog::kCannotTell);
}

TEST(SlowLogServerFactsTest, TellsWhichSettingsLogFewerSlowQueriesThanCounted) {
  EXPECT_EQ(counted_but_not_logged(mariadb_defaults()), "");
  SlowLogServerFacts mysql;  // MySQL has none of these settings
  EXPECT_EQ(counted_but_not_logged(mysql), "");

  SlowLogServerFacts f = mariadb_defaults();
  f.log_slow_rate_limit = "10";
  EXPECT_EQ(counted_but_not_logged(f),
            "log_slow_rate_limit is 10: the server logs one slow query in 10");
  f = mariadb_defaults();
  f.log_slow_filter = "filesort,full_scan";
  EXPECT_NE(counted_but_not_logged(f).find("log_slow_filter is 'filesort,full_scan'"),
            std::string::npos);
  f.log_slow_filter = "query_cache,query_cache_miss";  // every statement is one of these
  EXPECT_EQ(counted_but_not_logged(f), "");
  f.log_slow_filter = "full_scan,qc_miss";  // Percona Server: only these are logged
  EXPECT_NE(counted_but_not_logged(f), "");
  f = mariadb_defaults();
  f.log_slow_disabled_statements = "sp,call";  // neither counted nor logged
  EXPECT_EQ(counted_but_not_logged(f), "");
  f.log_slow_disabled_statements = "admin,sp";
  EXPECT_NE(counted_but_not_logged(f).find("holds admin"), std::string::npos);
}

// The shared server writes its slow log to slow.log in the test's folder, which the target
// follows; each test puts the server's settings back.
class MariadbSlowLogGrowthTest : public testing::MariadbFixture {
 protected:
  void SetUp() override {
    MariadbFixture::SetUp();
    if (HasFatalFailure()) return;
    log_ = (dir_ / "slow.log").string();
    server_->sql("SET GLOBAL slow_query_log_file = '" + log_ + "';");
    store_.emplace(Store::open(StoreLocation::parse("sqlite:" + (dir_ / "s.db").string())));
    store_->ensure_target("testdb", Engine::kMysql);
  }
  void TearDown() override {
    if (server_ != nullptr && server_->ok()) {
      server_->sql(
          "SET GLOBAL slow_query_log = 1; SET GLOBAL log_output = 'FILE,TABLE'; "
          "SET GLOBAL slow_query_log_file = '" +
          server_->slow_log().string() + "';");
    }
    collector_.reset();
    store_.reset();
    MariadbFixture::TearDown();
  }

  // A slow_log_file target of the test's log, reaching the server through its socket.
  TargetConfig file_target() {
    TargetConfig target =
        socket_target(testing::MariadbServer::kPassword, MysqlSource::kSlowLogFile);
    target.mysql.slow_log = log_;
    return target;
  }
  void start(const TargetConfig& target) {
    collector_ = std::make_unique<SlowLogFileTargetCollector>(target, false, false);
  }

  CycleReport cycle() {
    CycleReport r =
        collector_->run_cycle(*store_, std::chrono::system_clock::now(), std::chrono::seconds(60));
    for (const CycleNote& note : r.notes) notes_.push_back(note);
    entries_ += r.entries;
    return r;
  }
  // Cycles until one reads nothing new of the file (the one that checks the server);
  // returns that one. `grew`: whether an earlier one read something. notes_ then holds
  // what these cycles said.
  CycleReport quiet_cycle(bool* grew = nullptr) {
    notes_.clear();
    for (int i = 0; i < 20; ++i) {
      const size_t before = notes_.size();
      const CycleReport r = cycle();
      for (size_t n = before; n < notes_.size(); ++n) {
        if (notes_[n].text.starts_with("nothing new in ")) return r;
      }
      if (grew != nullptr) *grew = true;
      EXPECT_EQ(r.health, CollectorHealth::kOk) << r.problem;
    }
    ADD_FAILURE() << "the log never went quiet";
    return {};
  }
  bool noted(const std::string& text) const {
    for (const CycleNote& n : notes_) {
      if (n.text.find(text) != std::string::npos) return true;
    }
    return false;
  }
  size_t warnings() const {
    return std::count_if(notes_.begin(), notes_.end(),
                         [](const CycleNote& n) { return n.level == spdlog::level::warn; });
  }
  std::string said() const {
    std::string out;
    for (const CycleNote& n : notes_) out += "\n  " + n.text;
    return out;
  }
  // Slow_queries, read through a session of slowscope's own (which adds nothing to it).
  uint64_t slow_queries() {
    MysqlSession session(socket_target());
    uint64_t n = 0;
    session.query("testing", "SHOW GLOBAL STATUS LIKE 'Slow_queries'", {},
                  [&](const MysqlRow& row) { n = row.uint64(1); });
    return n;
  }

  std::string log_;
  std::optional<Store> store_;
  std::unique_ptr<SlowLogFileTargetCollector> collector_;
  std::vector<CycleNote> notes_;  // of the cycles since quiet_cycle() began
  uint64_t entries_ = 0;
};

TEST_F(MariadbSlowLogGrowthTest, ABusyOrQuietServerWritingTheFollowedFileIsFine) {
  start(file_target());
  for (int round = 0; round < 4; ++round) {
    server_->sql("SELECT " + std::to_string(round) + "; SELECT SLEEP(0.01);");
    bool grew = false;
    const CycleReport r = quiet_cycle(&grew);
    EXPECT_TRUE(grew);
    EXPECT_EQ(r.health, CollectorHealth::kOk) << r.problem;
    EXPECT_EQ(warnings(), 0u) << said();
  }
  EXPECT_GE(entries_, 8u);
  // Nothing runs: the checks at each quiet cycle add nothing to Slow_queries or the log.
  const uint64_t counted = slow_queries();
  const auto size = fs::file_size(log_);
  for (int i = 0; i < 4; ++i) {
    const CycleReport r = quiet_cycle();
    EXPECT_EQ(r.health, CollectorHealth::kOk) << r.problem;
    EXPECT_EQ(r.problem, "");
    EXPECT_EQ(warnings(), 0u) << said();
  }
  EXPECT_EQ(slow_queries(), counted);
  EXPECT_EQ(fs::file_size(log_), size);
}

TEST_F(MariadbSlowLogGrowthTest, AnotherSlowQueryLogFileIsReportedWithBothPaths) {
  start(file_target());
  EXPECT_EQ(quiet_cycle().health, CollectorHealth::kOk);
  const std::string other = (dir_ / "other.log").string();
  server_->sql("SET GLOBAL slow_query_log_file = '" + other + "'; SELECT 1; SELECT 2;");

  // The setting says so at once.
  CycleReport r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kLogNotGrowing);
  EXPECT_EQ(r.problem, "slow_query_log_file is " + other +
                           " on the server: its slow queries go "
                           "there, not to " +
                           log_);
  EXPECT_TRUE(noted(r.problem)) << said();
  // A cycle later the count shows it too; the finding is not said again.
  server_->sql("SELECT 3;");
  r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kLogNotGrowing);
  EXPECT_NE(r.problem.find("slow queries since "), std::string::npos) << r.problem;
  EXPECT_NE(r.problem.find(" but " + log_ + " did not grow; slow_query_log_file is " + other),
            std::string::npos)
      << r.problem;
  EXPECT_EQ(warnings(), 0u) << said();

  // Back to the followed file: the cycle that reads its new entries ends it.
  server_->sql("SET GLOBAL slow_query_log_file = '" + log_ + "'; SELECT 4;");
  notes_.clear();
  r = cycle();
  EXPECT_GT(r.entries, 0u);
  EXPECT_EQ(r.health, CollectorHealth::kOk);
  EXPECT_TRUE(noted("the server's slow queries reach " + log_ + " again")) << said();
  r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kOk) << r.problem;
  EXPECT_EQ(warnings(), 0u) << said();
}

TEST_F(MariadbSlowLogGrowthTest, TheSlowLogSwitchedOffOrIntoTheTableIsReported) {
  start(file_target());
  EXPECT_EQ(quiet_cycle().health, CollectorHealth::kOk);
  server_->sql("SET GLOBAL slow_query_log = 0; SELECT 1;");
  CycleReport r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kLogNotGrowing);
  EXPECT_EQ(r.problem,
            "slow_query_log is OFF on the server: " + log_ + " receives no slow queries");
  EXPECT_TRUE(noted(r.problem));
  r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kLogNotGrowing);
  EXPECT_NE(r.problem.find("did not grow; slow_query_log is OFF"), std::string::npos) << r.problem;

  // The first SET is logged to the file (which ends the finding), the second to the table.
  server_->sql("SET GLOBAL slow_query_log = 1; SET GLOBAL log_output = 'TABLE';");
  r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kLogNotGrowing);
  EXPECT_EQ(r.problem,
            "log_output is TABLE on the server: its slow queries go to "
            "mysql.slow_log, not to " +
                log_);
  EXPECT_TRUE(noted(r.problem)) << said();

  server_->sql("SET GLOBAL log_output = 'FILE'; SELECT 2;");
  bool grew = false;
  r = quiet_cycle(&grew);
  EXPECT_TRUE(grew);
  EXPECT_EQ(r.health, CollectorHealth::kOk) << r.problem;
}

TEST_F(MariadbSlowLogGrowthTest, AFileMovedAwayWithoutFlushIsToldBySlowQueries) {
  start(file_target());
  EXPECT_EQ(quiet_cycle().health, CollectorHealth::kOk);
  // logrotate without a postrotate flush: the server writes on into the moved file.
  fs::rename(log_, log_ + ".1");
  std::ofstream(log_).close();
  server_->sql("SELECT 1;");
  EXPECT_EQ(quiet_cycle().health, CollectorHealth::kOk);  // the moved file, read to its end
  server_->sql("SELECT 2;");
  // Counted after the last check: not judged yet, it may still be on its way.
  CycleReport r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kOk) << r.problem;
  r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kLogNotGrowing);
  EXPECT_NE(r.problem.find("the server counted "), std::string::npos) << r.problem;
  EXPECT_NE(r.problem.find(" but " + log_ + " did not grow"), std::string::npos) << r.problem;
  EXPECT_TRUE(noted(r.problem));
  // Still so, and said once.
  r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kLogNotGrowing);
  EXPECT_EQ(warnings(), 0u) << said();

  server_->sql("FLUSH SLOW LOGS; SELECT 3;");
  bool grew = false;
  r = quiet_cycle(&grew);
  EXPECT_TRUE(grew);
  EXPECT_EQ(r.health, CollectorHealth::kOk) << r.problem;
}

TEST_F(MariadbSlowLogGrowthTest, WithoutSocketOrHostNothingIsChecked) {
  TargetConfig target = file_target();
  target.mysql.socket.clear();
  target.mysql.user.clear();
  target.password_file.clear();
  start(target);
  EXPECT_EQ(quiet_cycle().health, CollectorHealth::kOk);
  server_->sql("SET GLOBAL slow_query_log = 0; SELECT 1;");
  for (int i = 0; i < 3; ++i) {
    const CycleReport r = quiet_cycle();
    EXPECT_EQ(r.health, CollectorHealth::kOk) << r.problem;
    EXPECT_EQ(warnings(), 0u) << said();
  }
}

TEST_F(MariadbSlowLogGrowthTest, AServerTheCheckCannotReachLeavesTheFileReadAsEver) {
  TargetConfig target = file_target();
  target.mysql.socket = (dir_ / "nowhere.sock").string();
  start(target);
  server_->sql("SELECT 1; SELECT 2;");
  CycleReport r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kOk);
  EXPECT_GE(entries_, 2u);
  EXPECT_TRUE(noted("cannot check that the server writes its slow log to " + log_ +
                    ", reading the file on: cannot connect to socket " + target.mysql.socket))
      << said();
  // Said once.
  server_->sql("SET GLOBAL slow_query_log = 0; SELECT 3;");
  r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kOk);
  EXPECT_EQ(warnings(), 0u) << said();

  // A refused login is no different.
  TargetConfig refused = socket_target("not-the-password", MysqlSource::kSlowLogFile);
  refused.mysql.slow_log = log_;
  start(refused);
  r = quiet_cycle();
  EXPECT_EQ(r.health, CollectorHealth::kOk);
  EXPECT_TRUE(noted("access denied")) << said();
  EXPECT_FALSE(noted("not-the-password")) << said();
}

}  // namespace
}  // namespace slowscope
