// How a finding's line states the database time it adds: one way everywhere
// (format_added_time), and once per shape in a report — a second finding of the same target
// and shape refers to the first instead of adding the same time again.
#include "reports/text/finding_text.h"

#include <gtest/gtest.h>

#include <sstream>

namespace slowscope {
namespace {

Finding finding(const std::string& target, const std::string& shape, FindingKind kind,
                double added) {
  Finding f;
  f.key = {target, shape, kind};
  f.fingerprint = "select * from t where id = ?";
  f.before_mean = 0.010;
  f.after_mean = 0.0101;
  f.ratio = 1.01;
  f.measure = "shared blocks per call";
  f.before_value = 5;
  f.after_value = 501;
  f.added_seconds_per_hour = added;
  f.q_value = 1.2e-30;
  return f;
}

TEST(FindingText, AddedTimeIsWrittenInMinutesPerHour) {
  const std::string text =
      finding_evidence_text(finding("orders", "8f3a", FindingKind::kLatency, 948));
  EXPECT_NE(text.find(", +15.8 min/h of database time"), std::string::npos) << text;
}

TEST(FindingText, AShapesAddedTimeIsShownOnceInAReport) {
  std::ostringstream out;
  AddedTimeOnce once;
  write_finding_text(out, finding("orders", "8f3a", FindingKind::kRowsPerCall, 0.6), &once);
  write_finding_text(out, finding("orders", "8f3a", FindingKind::kLatency, 0.6), &once);
  // The same shape on another target is another cost.
  write_finding_text(out, finding("billing", "8f3a", FindingKind::kLatency, 0.6), &once);
  const std::string text = out.str();
  EXPECT_NE(text.find("  warning  rows_per_call  8f3a  shared blocks per call 5 -> 501 (x1.01), "
                      "10.0ms -> 10.1ms per call, +600 ms/h of database time, q=1.20e-30\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  warning  latency  8f3a  10.0ms -> 10.1ms per call (x1.01), added "
                      "database time: see its rows_per_call finding, q=1.20e-30\n"),
            std::string::npos)
      << text;
  size_t shown = 0;
  for (size_t at = text.find("+600 ms/h"); at != std::string::npos;
       at = text.find("+600 ms/h", at + 1)) {
    ++shown;
  }
  EXPECT_EQ(shown, 2u) << text;  // orders once, billing once
  // Without a report to share, each line shows its own.
  std::ostringstream alone;
  write_finding_text(alone, finding("orders", "8f3a", FindingKind::kLatency, 0.6));
  EXPECT_NE(alone.str().find("+600 ms/h of database time"), std::string::npos) << alone.str();
}

}  // namespace
}  // namespace slowscope
