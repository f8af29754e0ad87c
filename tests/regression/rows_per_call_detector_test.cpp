// Rows examined / blocks per call surges on windows built bucket by bucket: a lost index is
// found in rows (MySQL) or blocks (PostgreSQL); noise, small absolute changes and shapes
// with no work before are not.
#include "analyzer/regression/rows_per_call_detector.h"

#include <gtest/gtest.h>

#include "tests/regression/target_windows_builder.h"

namespace slowscope {
namespace {

using testing::TargetWindowsBuilder;

// "scan" with about `before` and `after` rows (or blocks) per call, 20 calls a minute, the
// work varying ±10% from minute to minute.
TargetWindows scan(double before, double after, bool rows) {
  TargetWindowsBuilder b;
  for (int m = 0; m < 60; ++m) {
    const double w = before * (0.9 + 0.1 * (m % 3));
    b.add("scan", false, m, 20, 0.010, rows ? w : 0, rows ? 0 : w);
  }
  for (int m = 0; m < 30; ++m) {
    const double w = after * (0.9 + 0.1 * (m % 3));
    b.add("scan", true, m, 20, 0.010, rows ? w : 0, rows ? 0 : w);
  }
  return b.build();
}

TEST(RowsPerCallDetectorTest, FindsALostIndexInBlocksAndInRows) {
  const TargetWindows blocks = scan(4, 400, false);
  auto findings = detect_rows_per_call(blocks.shapes, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].key.id(), "orders/scan/rows_per_call");
  EXPECT_EQ(findings[0].measure, "shared blocks per call");
  EXPECT_NEAR(findings[0].ratio, 100, 1);
  EXPECT_NEAR(findings[0].after_value, 400, 4);
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  // Same latency: the extra work costs no time (it was cached).
  EXPECT_NEAR(findings[0].added_seconds_per_hour, 0, 1e-9);

  const TargetWindows rows = scan(10, 35, true);
  findings = detect_rows_per_call(rows.shapes, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].measure, "rows examined per call");
  EXPECT_NEAR(findings[0].ratio, 3.5, 0.1);
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
}

TEST(RowsPerCallDetectorTest, QuietOnNoiseAndOnSmallAbsoluteChanges) {
  EXPECT_TRUE(detect_rows_per_call(scan(100, 100, true).shapes, {}).empty());
  EXPECT_TRUE(detect_rows_per_call(scan(100, 150, true).shapes, {}).empty());  // 1.5x
  // Three times as many rows, but 2 -> 6 per call: below min_delta.
  EXPECT_TRUE(detect_rows_per_call(scan(2, 6, true).shapes, {}).empty());
  RowsPerCallThresholds any_delta;
  any_delta.min_delta = 0;
  EXPECT_EQ(detect_rows_per_call(scan(2, 6, true).shapes, any_delta).size(), 1u);
}

TEST(RowsPerCallDetectorTest, EdgeCases) {
  // No work at all before: no ratio to judge.
  EXPECT_TRUE(detect_rows_per_call(scan(0, 400, false).shapes, {}).empty());
  // Constant work per call in both windows (zero variance): the change is certain.
  const TargetWindows constant = TargetWindowsBuilder()
                                     .steady("scan", false, 0, 60, 20, 0.010, 0, 4)
                                     .steady("scan", true, 0, 30, 20, 0.010, 0, 40)
                                     .build();
  const auto findings = detect_rows_per_call(constant.shapes, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].p_value, 0);
  // One bucket after: no spread to test with.
  const TargetWindows one = TargetWindowsBuilder()
                                .steady("scan", false, 0, 60, 20, 0.010, 0, 4)
                                .add("scan", true, 0, 200, 0.010, 0, 400)
                                .build();
  EXPECT_TRUE(detect_rows_per_call(one.shapes, {}).empty());
  EXPECT_TRUE(detect_rows_per_call(std::vector<ShapeWindows>{}, {}).empty());
}

}  // namespace
}  // namespace slowscope
