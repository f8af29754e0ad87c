// Each target's own `detection:` settings reach `collect`: two slow-log targets read the same
// file, one with detection switched off and one with its own baseline mode; the collector
// says what it will do for each and judges only the one that detects, its trends once a day.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

using testing::run_slowscope;

TEST(CollectDetectionSettings, EachTargetDetectsByItsOwnSettings) {
  testing::TempDir dir;
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  {
    std::ofstream log(dir.file("slow.log"));
    for (int i = 0; i < 40; ++i) {
      log << "# User@Host: app[app] @ localhost []  Id: 9\n"
          << "# Query_time: 0.010000  Lock_time: 0.000100 Rows_sent: 1  Rows_examined: 10\n"
          << "SET timestamp=" << now - 120 + i << ";\nSELECT * FROM t WHERE id = " << i << ";\n";
    }
  }
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("store.db") << "\ninterval: 60s\n"
      << "detection: {baseline: 1d}\ntargets:\n"
      << "  - name: judged\n    engine: mysql\n    source: slow_log_file\n    slow_log: "
      << dir.file("slow.log") << "\n    detection: {baseline_mode: previous}\n"
      << "  - name: quiet\n    engine: mysql\n    source: slow_log_file\n    slow_log: "
      << dir.file("slow.log") << "\n    detection: {enabled: false}\n";

  setenv("SPDLOG_LEVEL", "debug", 1);  // the per-pass detection line
  const auto r = run_slowscope("collect --once --config '" + dir.file("slowscope.yaml") + "'");
  unsetenv("SPDLOG_LEVEL");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("judged: regression detection every cycle: the last 15m against the 1d "
                       "before; resolve after 5 clean passes; daily trends over 14 days"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("quiet: regression detection off"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("judged: detection "), std::string::npos) << r.err;
  // The first cycle of a day judges the trends too (the log holds minutes of today only);
  // the next run of the day does not again.
  EXPECT_NE(r.err.find("judged: trends "), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("judged today already"), std::string::npos) << r.err;
  setenv("SPDLOG_LEVEL", "debug", 1);
  const auto again = run_slowscope("collect --once --config '" + dir.file("slowscope.yaml") + "'");
  unsetenv("SPDLOG_LEVEL");
  EXPECT_NE(again.err.find("judged: trends "), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("not evaluated: judged today already"), std::string::npos) << again.err;
  EXPECT_EQ(r.err.find("quiet: detection "), std::string::npos) << r.err;
}

}  // namespace
}  // namespace slowscope
