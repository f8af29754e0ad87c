// Continuous detection with memory: one pass judges a target's most recent minutes
// (detect_recent), or once a day its daily series for trends (detect_latency_trends), and
// records what it found in the store with its lifecycle (track_findings), so that a
// regression is reported once when it opens and once when it resolves, not every cycle.
// What `collect` runs after its cycles.
//
// One call at a time per Store (Store is not thread-safe).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analyzer/regression/finding_tracker.h"
#include "analyzer/regression/recent_detection.h"
#include "analyzer/regression/trend_detector.h"

namespace slowscope {

// The daily trend pass: the slow build-up that stays under the thresholds of a window
// comparison until late.
struct TrendPassOptions {
  int days = 14;  // whole days before today judged; 0: no trend passes
  TrendThresholds thresholds;
  // Daily passes in a row without the trend, to resolve it.
  LifecycleOptions lifecycle{2};
};

// Called inside a pass's transaction once the lifecycle has decided `changes` from `stored`
// (the rows Store::update_findings gave it): what it adds to `update` — the alert events the
// changes cause and the state they are judged from — is written with the findings, or
// nothing is. `store` may be read. Set by whoever turns findings into alerts (app/).
using FindingsHook = std::function<void(Store& store, const std::string& target, StoreTime at,
                                        const std::vector<FindingRecord>& stored,
                                        const std::vector<FindingChange>& changes,
                                        FindingsUpdate& update)>;

struct ContinuousDetectionOptions {
  RecentDetectionOptions recent;
  LifecycleOptions lifecycle;
  TrendPassOptions trends;
  FindingsHook on_changes;  // for the window and trend passes alike; none when empty
};

struct DetectionPassReport {
  TargetCheck check;                   // what the pass judged
  std::vector<FindingChange> changes;  // what was recorded (none when not evaluated)
};

// Judges [now - post_window, now) of `target` and records the outcome in one transaction.
// New findings follow the latest release of `target` (or of every target) at or before
// `now`. `kept`: as detect_recent's, the target's raw intervals kept between passes.
// Throws StoreError.
DetectionPassReport run_detection_pass(Store& store, const std::string& target, StoreTime now,
                                       const ContinuousDetectionOptions& options,
                                       RecentIntervals* kept = nullptr);

// Judges the trends of `target` over the `options.days` whole days before the day holding
// `now` and records them (findings of kind trend only; the windows' findings are left
// alone). The check's windows: the first day judged as baseline, the last one as post
// window. Not evaluated when no shape has a day of history. Throws StoreError.
DetectionPassReport run_trend_pass(Store& store, const std::string& target, StoreTime now,
                                   const TrendPassOptions& options,
                                   const FindingsHook& on_changes = {});

}  // namespace slowscope
