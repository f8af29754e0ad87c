#include "analyzer/regression/daily_series.h"

#include <limits>
#include <map>

#include "analyzer/store/tiers.h"

namespace slowscope {

TimeSpan daily_series_span(StoreTime now, int days) {
  const StoreTime today(
      std::chrono::seconds(floor_to(now.time_since_epoch().count(), kSecondsPerDay)));
  return {today - std::chrono::days(days), today};
}

std::vector<ShapeDailySeries> read_daily_series(Store& store, const std::string& target,
                                                StoreTime now, int days) {
  const StoreTime first = daily_series_span(now, days).from;
  std::map<int64_t, ShapeDailySeries> by_shape;
  for (int i = 0; i < days; ++i) {
    const StoreTime day = first + std::chrono::days(i);
    // One whole day per read: the store serves it from the daily rollup where that is
    // complete, else from the hours, so a month of series costs a few thousand rows a day.
    for (ShapeTotals& t : store.top({target, day, day + std::chrono::days(1), TopOrder::kTotal,
                                     std::numeric_limits<int>::max()})) {
      if (t.measures.calls == 0) continue;
      ShapeDailySeries& series = by_shape[t.shape_id];
      if (series.days.empty()) {
        series.target = target;
        series.shape_hash = std::move(t.shape_hash);
        series.fingerprint = std::move(t.fingerprint);
      }
      series.days.push_back({day, t.measures});
    }
  }
  std::vector<ShapeDailySeries> out;
  out.reserve(by_shape.size());
  for (auto& [id, series] : by_shape) out.push_back(std::move(series));
  return out;
}

}  // namespace slowscope
