// The raw interval counts of one target's shapes over a trailing span, kept from one
// continuous detection pass to the next, so that a pass reads the newest minutes instead of
// the hours each shape's drift is measured on (RecentDetectionOptions::noise_span): at 5,000
// shapes, 3 hours of 1-minute intervals are nearly a million rows a pass.
//
// Each refresh reads again the last `reread` of what it holds, for samples written a little
// late. A sample written further back than that (a slow-log backlog read after a restart)
// is seen only after forget(): whoever writes into the past calls it.
//
// Not thread-safe; one per target.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyzer/regression/comparison_windows.h"
#include "analyzer/regression/shape_windows.h"
#include "analyzer/store/store.h"

namespace slowscope {

class RecentIntervals {
 public:
  explicit RecentIntervals(std::chrono::seconds reread = std::chrono::minutes(15))
      : reread_(reread) {}

  // Holds `span` of `target`'s raw intervals: reads what it does not hold yet and the last
  // `reread` of what it does, and drops what lies before span.from. Reads the whole span
  // when it holds another target, nothing of the span, or span.until went back.
  // Throws StoreError.
  void refresh(Store& store, const std::string& target, const TimeSpan& span);

  // Forgets what it holds: the next refresh reads its whole span.
  void forget();

  // The intervals of the shape hashed `shape_hash` in the span held, oldest first; empty when
  // it did not run there.
  std::span<const IntervalCounts> of(const std::string& shape_hash) const;

  // Raw rows the last refresh read (one per shape and interval): what keeping saved.
  size_t rows_last_read() const { return rows_last_read_; }

 private:
  std::chrono::seconds reread_;
  std::string target_;
  std::optional<TimeSpan> held_;  // none: the next refresh reads its whole span
  std::map<std::string, std::vector<IntervalCounts>> by_shape_;
  size_t rows_last_read_ = 0;
};

}  // namespace slowscope
