#include "analyzer/regression/recent_detection.h"

namespace slowscope {

TargetCheck detect_recent(Store& store, const std::string& target, StoreTime now,
                          const RecentDetectionOptions& options) {
  return compare_windows(
      store, target,
      comparison_windows({now - options.post_window, now}, options.baseline, options.baseline_mode),
      options.detection);
}

}  // namespace slowscope
