// Trends on daily series built from known means: a steady rise is found and sized, noise,
// flat and falling series are not, and short or thin series are not tested at all.
#include "analyzer/regression/trend_detector.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

namespace slowscope {
namespace {

constexpr StoreTime kFirstDay{std::chrono::seconds(1'700'006'400)};  // a UTC midnight

// `days` days of `calls` calls a day with the mean `mean_of(day)` seconds.
ShapeDailySeries series(const std::string& hash, int days, int64_t calls,
                        const std::function<double(int)>& mean_of) {
  ShapeDailySeries s{"orders", hash, "select ? from t", {}};
  for (int d = 0; d < days; ++d) {
    Measures m;
    m.calls = calls;
    m.total_time = mean_of(d) * static_cast<double>(calls);
    s.days.push_back({kFirstDay + std::chrono::days(d), m});
  }
  return s;
}

TEST(TrendDetectorTest, SizesASteadyRiseWithTheTheilSenLine) {
  // 10 ms, +5 % of that per day, for 14 days: 16.5 ms on the last day.
  const std::vector<ShapeDailySeries> shapes{
      series("rising", 14, 2400, [](int d) { return 0.010 * (1 + 0.05 * d); })};
  const auto findings = detect_latency_trends(shapes, {});
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.key.id(), "orders/rising/trend");
  ASSERT_TRUE(f.daily_rise.has_value());
  EXPECT_NEAR(*f.daily_rise, 0.05, 1e-9);
  EXPECT_NEAR(f.before_mean, 0.010, 1e-12);
  EXPECT_NEAR(f.after_mean, 0.0165, 1e-12);
  EXPECT_NEAR(f.ratio, 1.65, 1e-9);
  EXPECT_EQ(f.severity, Severity::kWarning);
  // A perfectly monotone series of 14: S = 91 of 91 pairs, z = 90 / sqrt(333.67).
  EXPECT_LT(f.p_value, 1e-6);
  // 6.5 ms more per call at 2400 calls a day = 100 calls an hour.
  EXPECT_NEAR(f.added_seconds_per_hour, 0.0065 * 100, 1e-9);
}

TEST(TrendDetectorTest, ADoublingIsCriticalAndRanksFirst) {
  const std::vector<ShapeDailySeries> shapes{
      series("rising", 14, 2400, [](int d) { return 0.010 * (1 + 0.05 * d); }),
      series("doubling", 11, 2400, [](int d) { return 0.010 * (1 + 0.12 * d); }),
  };
  const auto findings = detect_latency_trends(shapes, {});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].key.shape_hash, "doubling");
  EXPECT_EQ(findings[0].severity, Severity::kCritical);
  EXPECT_EQ(findings[1].key.shape_hash, "rising");
}

TEST(TrendDetectorTest, NoiseFlatAndFallingSeriesAreNotTrends) {
  std::mt19937 random(42);
  std::normal_distribution<double> noise(0, 0.15);
  std::vector<double> noisy;
  for (int d = 0; d < 30; ++d) noisy.push_back(0.010 * (1 + noise(random)));
  std::vector<ShapeDailySeries> shapes{
      series("noisy", 30, 5000, [&](int d) { return noisy[static_cast<size_t>(d)]; }),
      series("flat", 30, 5000, [](int) { return 0.010; }),  // zero variance
      series("falling", 14, 5000, [](int d) { return 0.020 * (1 - 0.03 * d); }),
  };
  EXPECT_TRUE(detect_latency_trends(shapes, {}).empty());
}

TEST(TrendDetectorTest, SignificantButSmallRisesAreNotReported) {
  // Certainly rising, but 0.5 %/day: below --min-daily-rise.
  const std::vector<ShapeDailySeries> shapes{
      series("creeping", 30, 5000, [](int d) { return 0.010 * (1 + 0.005 * d); })};
  EXPECT_TRUE(detect_latency_trends(shapes, {}).empty());
  TrendThresholds loose;
  loose.min_daily_rise = 0.001;
  loose.min_total_ratio = 1.1;
  EXPECT_EQ(detect_latency_trends(shapes, loose).size(), 1u);
}

TEST(TrendDetectorTest, ShortOrThinSeriesAreNotTested) {
  const auto rising = [](int d) { return 0.010 * (1 + 0.2 * d); };
  const std::vector<ShapeDailySeries> shapes{
      series("short", 6, 5000, rising),  // fewer than min_days
      series("thin", 14, 50, rising),    // every day below min_calls_per_day
  };
  EXPECT_TRUE(detect_latency_trends(shapes, {}).empty());
  EXPECT_TRUE(detect_latency_trends({}, {}).empty());
}

TEST(TrendDetectorTest, ThinDaysAreLeftOutOfTheSeries) {
  // A rising series with every other day nearly empty and absurdly fast: those days must
  // not count, or the series would not be monotone.
  ShapeDailySeries s = series("gappy", 20, 3000, [](int d) { return 0.010 * (1 + 0.05 * d); });
  for (size_t d = 1; d < s.days.size(); d += 2) {
    s.days[d].measures.calls = 10;
    s.days[d].measures.total_time = 10 * 0.0001;
  }
  const auto findings = detect_latency_trends(std::vector<ShapeDailySeries>{s}, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NEAR(*findings[0].daily_rise, 0.05, 1e-9);
}

}  // namespace
}  // namespace slowscope
