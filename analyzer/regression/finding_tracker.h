// Finding lifecycle: what one detection pass of one target does to the findings stored for
// it. A finding opens when a pass first finds it, stays open while passes keep finding it,
// and resolves after `resolve_after` evaluated passes in a row without it; found again after
// that, it reopens (same identity and row, reopen_count + 1). A pass that could not evaluate
// the target (no recent samples, no baseline) changes nothing, nor does a pass in which the
// shape ran too little to be judged for a latency, call-surge or rows-per-call finding:
// missing data is no evidence of a fix. See docs/REGRESSION.md, "Findings".
//
// Pure function over values; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/store/store.h"

namespace slowscope {

struct LifecycleOptions {
  int resolve_after = 5;  // evaluated passes in a row without the finding, to resolve it
};

// What a pass judges: the windows of its recent minutes (every kind but trends), or the
// daily series (trends). A pass leaves the findings of the other scope alone: a trend is
// not cleaned by a minute that shows no trend, nor a latency finding by a day's trend pass.
enum class PassScope { kWindows, kTrends };

// What one detection pass judged for one target.
struct DetectionPass {
  std::string target;
  StoreTime baseline_from;
  StoreTime baseline_until;
  StoreTime post_from;  // the start of the post window
  StoreTime at;         // the end of the post window: when the pass judged
  bool evaluated = false;
  std::vector<Finding> findings;         // each with the release it follows, if any
  std::vector<std::string> thin_shapes;  // TargetCheck::thin_shapes: not judged this time
  PassScope scope = PassScope::kWindows;
};

enum class FindingEvent {
  kOpened,    // found for the first time
  kReopened,  // found again after it was resolved
  kSeen,      // open, found again
  kClean,     // open, not found this time
  kResolved,  // not found `resolve_after` times in a row
};

// "opened", "reopened", "seen", "clean" or "resolved".
std::string_view to_string(FindingEvent event);

struct FindingChange {
  FindingEvent event = FindingEvent::kSeen;
  FindingRecord record;  // the state to store
};

// The finding a stored record describes, its evidence read back (read_evidence_json), for
// showing it as a fresh finding is shown. nullopt when its kind is not one this binary knows.
std::optional<Finding> finding_of_record(const FindingRecord& record);

// The identities a pass found, for Store::update_findings to fetch with the open ones.
std::vector<FindingShapeKind> found_identities(const DetectionPass& pass);

// The changes `pass` makes to `stored` (the target's open findings, and the stored rows of
// the identities the pass found), in the order: found ones as the pass ranks them, then the
// open ones of its scope it did not find. Stored rows the pass does not concern are left out.
std::vector<FindingChange> track_findings(const std::vector<FindingRecord>& stored,
                                          const DetectionPass& pass,
                                          const LifecycleOptions& options);

}  // namespace slowscope
