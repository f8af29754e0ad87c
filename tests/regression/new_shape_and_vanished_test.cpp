// New and vanished shapes on windows built bucket by bucket: a new shape with a notable
// share of the time and a steady shape that stopped are found; small, rare, bursty or
// unobservable ones are not.
#include <gtest/gtest.h>

#include <cmath>

#include "analyzer/regression/new_shape_detector.h"
#include "analyzer/regression/vanished_detector.h"
#include "tests/regression/target_windows_builder.h"

namespace slowscope {
namespace {

using testing::TargetWindowsBuilder;

// "page", 100 calls a minute of 10 ms, in 60 baseline and 30 post minutes.
TargetWindowsBuilder pages() {
  return TargetWindowsBuilder().steady("page", false, 0, 60, 100).steady("page", true, 0, 30, 100);
}

TEST(NewShapeDetectorTest, FindsANewShapeByItsShareOfTime) {
  // 20 calls a minute of 50 ms next to 100 of 10 ms: half of the time.
  const auto findings =
      detect_new_shapes(pages().steady("fresh", true, 0, 30, 20, 0.050).build(), {});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.key.id(), "orders/fresh/new_shape");
  EXPECT_EQ(f.severity, Severity::kCritical);
  EXPECT_NEAR(f.after_value, 0.5, 1e-9);
  EXPECT_EQ(f.before_calls, 0);
  EXPECT_EQ(f.after_calls, 600);
  // 600 calls, each in the post window with probability 3000 / 9000 had it always run.
  EXPECT_NEAR(std::log(f.p_value), 600 * std::log(1.0 / 3), 1e-6);
  // All its time is new: 30 s in half an hour.
  EXPECT_NEAR(f.added_seconds_per_hour, 60, 1e-9);
  // 10 ms calls: 600 of 3600 calls' time, a warning.
  const auto smaller = detect_new_shapes(pages().steady("fresh", true, 0, 30, 20).build(), {});
  ASSERT_EQ(smaller.size(), 1u);
  EXPECT_EQ(smaller[0].severity, Severity::kWarning);
}

TEST(NewShapeDetectorTest, QuietOnSmallRareAndUnobservableShapes) {
  // 1% of the time.
  EXPECT_TRUE(detect_new_shapes(pages().steady("fresh", true, 0, 30, 1).build(), {}).empty());
  // A large share but 5 calls.
  EXPECT_TRUE(detect_new_shapes(pages().steady("fresh", true, 0, 5, 1, 2.0).build(), {}).empty());
  // A baseline of a single call: it could not have seen the shape.
  const TargetWindows thin = TargetWindowsBuilder()
                                 .add("page", false, 0, 1)
                                 .steady("page", true, 0, 30, 100)
                                 .steady("fresh", true, 0, 30, 20, 0.050)
                                 .build();
  EXPECT_TRUE(detect_new_shapes(thin, {}).empty());
  // Shapes that ran before are not new, however much they grew.
  EXPECT_TRUE(detect_new_shapes(
                  pages().add("fresh", false, 3, 1).steady("fresh", true, 0, 30, 20).build(), {})
                  .empty());
  EXPECT_TRUE(detect_new_shapes(TargetWindows{}, {}).empty());
}

TEST(VanishedDetectorTest, FindsASteadyShapeThatStopped) {
  const auto findings = detect_vanished(pages().steady("gone", false, 0, 60, 10).build(), {});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.key.id(), "orders/gone/vanished");
  EXPECT_EQ(f.severity, Severity::kWarning);
  // 600 calls per 6000 pages before; 3000 pages after: 300 expected.
  EXPECT_NEAR(f.before_value, 300, 1e-9);
  EXPECT_EQ(f.after_calls, 0);
  EXPECT_EQ(f.added_seconds_per_hour, 0);
}

TEST(VanishedDetectorTest, QuietOnShapesStillRunningBurstyOrTooRare) {
  // Still running, if less.
  EXPECT_TRUE(
      detect_vanished(pages().steady("gone", false, 0, 60, 10).add("gone", true, 7, 1).build(), {})
          .empty());
  // Bursty: 60 calls in each of 6 of the 60 minutes.
  TargetWindowsBuilder bursty = pages();
  for (int m = 0; m < 60; m += 10) bursty.add("gone", false, m, 60);
  EXPECT_TRUE(detect_vanished(bursty.build(), {}).empty());
  // Fewer calls expected (300) than asked for.
  VanishedThresholds strict;
  strict.min_expected = 1000;
  EXPECT_TRUE(detect_vanished(pages().steady("gone", false, 0, 60, 10).build(), strict).empty());
  // No other calls after: nothing predicts the shape's calls (expected 0).
  const TargetWindows silent = TargetWindowsBuilder()
                                   .steady("page", false, 0, 60, 100)
                                   .steady("gone", false, 0, 60, 10)
                                   .add("page", true, 0, 1)
                                   .build();
  EXPECT_TRUE(detect_vanished(silent, {}).empty());
  EXPECT_TRUE(detect_vanished(TargetWindows{}, {}).empty());
}

}  // namespace
}  // namespace slowscope
