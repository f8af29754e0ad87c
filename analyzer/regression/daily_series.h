// Daily series: each query shape of a target day by day, read from the store's rollups —
// what trend detection looks at. Reads the store only; one call at a time per Store.
#pragma once

#include <string>
#include <vector>

#include "analyzer/regression/comparison_windows.h"
#include "analyzer/regression/trend_detector.h"
#include "analyzer/store/store.h"

namespace slowscope {

// The `days` whole UTC days before the day holding `now` (today is not complete yet): the
// span read_daily_series reads. Pure.
TimeSpan daily_series_span(StoreTime now, int days);

// The `days` whole UTC days before the day holding `now` (today is not complete yet), one
// series per shape that ran in them, days without calls left out. Throws StoreError.
std::vector<ShapeDailySeries> read_daily_series(Store& store, const std::string& target,
                                                StoreTime now, int days);

}  // namespace slowscope
