// Laying out the baseline: the span before the post window, or its hours on previous days.
#include "analyzer/regression/comparison_windows.h"
#include "analyzer/error/errors.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace slowscope {
namespace {

StoreTime at(int64_t t) {
  return StoreTime(std::chrono::seconds(t));
}

TEST(ComparisonWindowsTest, PreviousIsTheSpanRightBefore) {
  const TimeSpan post{at(100'000), at(101'800)};
  const ComparisonWindows w =
      comparison_windows(post, std::chrono::hours(2), BaselineMode::kPrevious);
  EXPECT_EQ(w.post, post);
  ASSERT_EQ(w.baseline.size(), 1u);
  EXPECT_EQ(w.baseline[0], (TimeSpan{at(100'000 - 7200), at(100'000)}));
}

TEST(ComparisonWindowsTest, SameHoursAreThePostHoursOnEachPreviousDay) {
  const TimeSpan post{at(1'000'000), at(1'001'800)};
  const ComparisonWindows w =
      comparison_windows(post, std::chrono::days(3), BaselineMode::kSameHours);
  ASSERT_EQ(w.baseline.size(), 3u);
  EXPECT_EQ(w.baseline[0], (TimeSpan{at(1'000'000 - 3 * 86400), at(1'001'800 - 3 * 86400)}));
  EXPECT_EQ(w.baseline[2], (TimeSpan{at(1'000'000 - 86400), at(1'001'800 - 86400)}));
  // Less than a day of baseline still means the day before.
  EXPECT_EQ(
      comparison_windows(post, std::chrono::hours(5), BaselineMode::kSameHours).baseline.size(),
      1u);
}

TEST(ComparisonWindowsTest, CoveringHoursAreTheWholeHoursASpanTouches) {
  EXPECT_EQ(covering_hours({at(3600 + 300), at(3600 + 1200)}), (TimeSpan{at(3600), at(7200)}));
  EXPECT_EQ(covering_hours({at(3600 - 60), at(3600 + 60)}), (TimeSpan{at(0), at(7200)}));
  EXPECT_EQ(covering_hours({at(3600), at(7200)}), (TimeSpan{at(3600), at(7200)}));
}

TEST(ComparisonWindowsTest, RefusesWhatCannotBeCompared) {
  EXPECT_THROW(comparison_windows({at(10), at(10)}, std::chrono::hours(1), BaselineMode::kPrevious),
               InvalidInput);
  EXPECT_THROW(
      comparison_windows({at(0), at(10)}, std::chrono::seconds(0), BaselineMode::kPrevious),
      InvalidInput);
  EXPECT_THROW(
      comparison_windows({at(0), at(2 * 86400)}, std::chrono::days(7), BaselineMode::kSameHours),
      InvalidInput);
  EXPECT_EQ(to_string(BaselineMode::kSameHours), "same-hours");
}

}  // namespace
}  // namespace slowscope
