// Call surges per unit of work on windows built bucket by bucket: the N+1 pattern is found
// with its evidence; more traffic, a small change, too few buckets and a lone shape are not.
#include "analyzer/regression/call_surge_detector.h"

#include <gtest/gtest.h>

#include "tests/regression/target_windows_builder.h"

namespace slowscope {
namespace {

using testing::TargetWindowsBuilder;

// 60 baseline and 30 post minutes of "page" (about 100 calls a minute) and "lookup"
// (`before` and `after` per minute, varying a little).
TargetWindows page_and_lookup(int64_t before, int64_t after, int64_t traffic_after = 1) {
  TargetWindowsBuilder b;
  for (int m = 0; m < 60; ++m) {
    b.add("page", false, m, 100 + m % 7).add("lookup", false, m, before * (10 + m % 3) / 10);
  }
  for (int m = 0; m < 30; ++m) {
    b.add("page", true, m, traffic_after * (100 + m % 5))
        .add("lookup", true, m, traffic_after * after * (10 + m % 4) / 10);
  }
  return b.build();
}

TEST(CallSurgeDetectorTest, FindsAShapeRunningFourTimesAsOftenPerPage) {
  const auto findings = detect_call_surges(page_and_lookup(10, 40), {});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.key.id(), "orders/lookup/call_surge");
  EXPECT_EQ(f.severity, Severity::kWarning);
  EXPECT_NEAR(f.ratio, 4.0, 0.3);
  EXPECT_NEAR(f.before_value, 0.107, 0.01);
  EXPECT_EQ(f.measure, "calls per call of other shapes");
  EXPECT_LT(f.q_value, 1e-6);
  EXPECT_GT(f.added_seconds_per_hour, 0);
}

TEST(CallSurgeDetectorTest, MoreTrafficIsNotASurge) {
  EXPECT_TRUE(detect_call_surges(page_and_lookup(10, 10, 3), {}).empty());
}

TEST(CallSurgeDetectorTest, ASignificantButSmallChangeIsNotReported) {
  const TargetWindows w = page_and_lookup(10, 20);
  EXPECT_TRUE(detect_call_surges(w, {}).empty());
  CallSurgeThresholds lower;
  lower.min_ratio = 1.5;
  EXPECT_EQ(detect_call_surges(w, lower).size(), 1u);
}

TEST(CallSurgeDetectorTest, ConstantRatiosGiveACertainVerdictAndExactCost) {
  // Zero variance in both windows: 10 per 100 pages before, 40 after, every minute.
  const TargetWindows w = TargetWindowsBuilder()
                              .steady("page", false, 0, 60, 100)
                              .steady("lookup", false, 0, 60, 10)
                              .steady("page", true, 0, 30, 100)
                              .steady("lookup", true, 0, 30, 40)
                              .build();
  const auto findings = detect_call_surges(w, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_DOUBLE_EQ(findings[0].ratio, 4.0);
  EXPECT_EQ(findings[0].p_value, 0);
  // 1200 calls where 300 were due, 900 extra of 10 ms in half an hour: 18 s per hour.
  EXPECT_NEAR(findings[0].added_seconds_per_hour, 18.0, 1e-9);
  // Unchanged and constant: nothing.
  const TargetWindows same = TargetWindowsBuilder()
                                 .steady("page", false, 0, 60, 100)
                                 .steady("lookup", false, 0, 60, 10)
                                 .steady("page", true, 0, 30, 100)
                                 .steady("lookup", true, 0, 30, 10)
                                 .build();
  EXPECT_TRUE(detect_call_surges(same, {}).empty());
}

TEST(CallSurgeDetectorTest, NeedsTwoBucketsOtherShapesAndEnoughCalls) {
  // One post bucket: no spread to test with.
  EXPECT_TRUE(detect_call_surges(TargetWindowsBuilder()
                                     .steady("page", false, 0, 60, 100)
                                     .steady("lookup", false, 0, 60, 10)
                                     .add("page", true, 0, 100)
                                     .add("lookup", true, 0, 400)
                                     .build(),
                                 {})
                  .empty());
  // Alone on its target: nothing to normalize by.
  EXPECT_TRUE(detect_call_surges(TargetWindowsBuilder()
                                     .steady("lookup", false, 0, 60, 10)
                                     .steady("lookup", true, 0, 30, 40)
                                     .build(),
                                 {})
                  .empty());
  // Fewer than min_calls in the post window.
  CallSurgeThresholds strict;
  strict.min_calls = 100'000;
  EXPECT_TRUE(detect_call_surges(page_and_lookup(10, 40), strict).empty());
  EXPECT_TRUE(detect_call_surges(TargetWindows{}, {}).empty());
}

}  // namespace
}  // namespace slowscope
