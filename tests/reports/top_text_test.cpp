// `show`'s sparklines over a timeline read from several tiers: a day from the daily rollup
// and then minutes draw the time they cover, not one column each, so an even load draws an
// even line.
#include "reports/text/top_text.h"

#include <gtest/gtest.h>

#include <sstream>

namespace slowscope {
namespace {

TEST(ShowText, ATimelineOfDaysThenMinutesIsDrawnOverTime) {
  ShowReport report;
  report.shape.info.hash = "0123456789abcdef";
  report.shape.info.fingerprint = "select 1";
  ShapeOnTarget on;
  on.target = "orders";
  const StoreTime day(std::chrono::seconds(1'699'920'000));
  // One call a second all along: a day bucket of 86,400, then 60 minutes of 60 each.
  TimelinePoint whole_day{day, std::chrono::seconds(86400), {}};
  whole_day.measures.calls = 86400;
  whole_day.measures.total_time = 86.4;
  on.timeline.push_back(whole_day);
  for (int m = 0; m < 60; ++m) {
    TimelinePoint minute{
        day + std::chrono::hours(24) + std::chrono::minutes(m), std::chrono::seconds(60), {}};
    minute.measures.calls = 60;
    minute.measures.total_time = 0.06;
    on.timeline.push_back(minute);
  }
  for (const auto& p : on.timeline) on.totals += p.measures;
  report.targets.push_back(on);
  std::ostringstream out;
  write_show_text(out, report);
  std::string even;
  for (int i = 0; i < 60; ++i) even += "█";
  EXPECT_NE(out.str().find("  calls " + even + "\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("  time  " + even + "\n"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("(1 bucket of 1d, 60 of 1m)"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace slowscope
