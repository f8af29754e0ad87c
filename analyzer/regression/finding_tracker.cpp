#include "analyzer/regression/finding_tracker.h"

#include <map>
#include <set>

#include "analyzer/time/utc_time.h"

namespace slowscope {
namespace {

// The evidence stored with a finding: its numbers and the windows they compare.
std::string evidence_text(const Finding& f, const DetectionPass& pass) {
  nlohmann::ordered_json evidence = evidence_json(f);
  evidence["baseline"] = {{"from", format_utc(pass.baseline_from)}, {"until", format_utc(pass.baseline_until)}};
  evidence["post"] = {{"from", format_utc(pass.post_from)}, {"until", format_utc(pass.at)}};
  return evidence.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// A new episode of `f`, opened by `pass`.
FindingRecord opened(const Finding& f, const DetectionPass& pass) {
  FindingRecord r;
  r.target = f.key.target;
  r.shape_hash = f.key.shape_hash;
  r.kind = std::string(to_string(f.key.kind));
  r.fingerprint = f.fingerprint;
  r.opened_at = pass.at;
  r.first_interval = pass.post_from;
  r.release = f.release;
  return r;
}

}  // namespace

std::string_view to_string(FindingEvent event) {
  switch (event) {
    case FindingEvent::kOpened:
      return "opened";
    case FindingEvent::kReopened:
      return "reopened";
    case FindingEvent::kSeen:
      return "seen";
    case FindingEvent::kClean:
      return "clean";
    case FindingEvent::kResolved:
      return "resolved";
  }
  return "unknown";
}

std::optional<Finding> finding_of_record(const FindingRecord& record) {
  const std::optional<FindingKind> kind = finding_kind_from_string(record.kind);
  if (!kind) return std::nullopt;
  Finding f;
  f.key = {record.target, record.shape_hash, *kind};
  f.fingerprint = record.fingerprint;
  f.severity = severity_from_string(record.severity).value_or(Severity::kWarning);
  read_evidence_json(nlohmann::ordered_json::parse(record.evidence, nullptr, false), f);
  // The record's own column is the release of the current episode.
  f.release = record.release;
  return f;
}

std::vector<FindingShapeKind> found_identities(const DetectionPass& pass) {
  std::vector<FindingShapeKind> out;
  for (const Finding& f : pass.findings) {
    out.push_back({f.key.shape_hash, std::string(to_string(f.key.kind))});
  }
  return out;
}

std::vector<FindingChange> track_findings(const std::vector<FindingRecord>& stored,
                                          const DetectionPass& pass,
                                          const LifecycleOptions& options) {
  std::vector<FindingChange> changes;
  if (!pass.evaluated) return changes;
  std::map<std::string, const FindingRecord*> by_id;
  for (const FindingRecord& r : stored) by_id.emplace(r.id(), &r);

  std::set<std::string> found;
  for (const Finding& f : pass.findings) {
    const std::string id = f.key.id();
    if (!found.insert(id).second) continue;
    const auto it = by_id.find(id);
    FindingChange change;
    if (it == by_id.end()) {
      change = {FindingEvent::kOpened, opened(f, pass)};
    } else if (it->second->status == FindingStatus::kResolved) {
      change = {FindingEvent::kReopened, opened(f, pass)};
      change.record.reopen_count = it->second->reopen_count + 1;
    } else {
      // Still the same episode: it keeps the time and release it opened with.
      change = {FindingEvent::kSeen, *it->second};
    }
    FindingRecord& r = change.record;
    r.status = FindingStatus::kOpen;
    r.resolved_at.reset();
    r.severity = std::string(to_string(f.severity));
    r.last_seen_at = pass.at;
    r.clean_passes = 0;
    r.fingerprint = f.fingerprint;
    r.evidence = evidence_text(f, pass);
    changes.push_back(std::move(change));
  }

  const std::set<std::string> thin(pass.thin_shapes.begin(), pass.thin_shapes.end());
  // The kinds judged on the shape's own calls in the post window; new and vanished shapes
  // are about having (almost) none.
  const auto judged_on_calls = [](const std::string& kind) {
    return kind == to_string(FindingKind::kLatency) || kind == to_string(FindingKind::kCallSurge) ||
           kind == to_string(FindingKind::kRowsPerCall);
  };
  const auto in_scope = [&](const std::string& kind) {
    return (kind == to_string(FindingKind::kTrend)) == (pass.scope == PassScope::kTrends);
  };
  for (const FindingRecord& r : stored) {
    if (r.status != FindingStatus::kOpen || found.contains(r.id()) || !in_scope(r.kind)) continue;
    if (judged_on_calls(r.kind) && thin.contains(r.shape_hash)) continue;
    FindingChange change{FindingEvent::kClean, r};
    change.record.clean_passes = r.clean_passes + 1;
    if (change.record.clean_passes >= options.resolve_after) {
      change.event = FindingEvent::kResolved;
      change.record.status = FindingStatus::kResolved;
      change.record.resolved_at = pass.at;
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace slowscope
