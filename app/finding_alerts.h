// Finding alerts: what a detection pass's finding changes mean for on-call — which
// incidents (reports/alerts/incidents.h) open, grow more severe or end — as alert events
// queued in the outbox in the pass's own transaction (ContinuousDetectionOptions::
// on_changes). One page per incident: an incident is triggered once when it reaches a
// sink's minimum severity, re-triggered (same dedup key) when it grows past the next
// severity, and resolved when its last member resolves.
//
// What was sent per incident is kept as the target's checkpoint kIncidentsCheckpoint,
// written with the events, so that a restart neither re-pages nor forgets to resolve.
//
// The hook runs on the detection pass's thread with that pass's Store; it keeps no state of
// its own and may be shared by the threads of several targets.
#pragma once

#include <string_view>

#include "analyzer/regression/continuous_detection.h"
#include "app/alert_routing.h"

namespace slowscope {

inline constexpr std::string_view kIncidentsCheckpoint = "alerts/incidents";
// What release checks paged (queue_check_alerts), per target.
inline constexpr std::string_view kChecksCheckpoint = "alerts/checks";

// The hook that queues the alert events of each pass's changes as `routing` says.
FindingsHook finding_alerts_hook(AlertRouting routing);

// Brings the paged incidents of `target` in line with its stored findings at `at`, in one
// transaction, as a detection pass's hook would: what opened is triggered, what grew is
// re-triggered, what resolved is resolved (`report --alert`, for stores whose collector
// sends no alerts). Returns the events queued. Throws StoreError.
size_t sync_finding_alerts(Store& store, const std::string& target, StoreTime at,
                           const AlertRouting& routing);

// Queues the triggers of a release check's `findings` of `target` (`check --alert`): one
// per incident, keyed by the release and the incident; checking the same release again
// pages again only an incident that is new or more severe (kChecksCheckpoint). Returns the
// events queued. Throws StoreError.
size_t queue_check_alerts(Store& store, const std::string& target,
                          const std::vector<Finding>& findings, const std::string& release,
                          StoreTime at, const AlertRouting& routing);

}  // namespace slowscope
