#include "analyzer/regression/recent_detection.h"

namespace slowscope {

TargetCheck detect_recent(Store& store, const std::string& target, StoreTime now,
                          const RecentDetectionOptions& options) {
  const StoreTime post_from = now - options.post_window;
  return compare_windows(store, target, {post_from - options.baseline, post_from, post_from, now},
                         options.detection);
}

}  // namespace slowscope
