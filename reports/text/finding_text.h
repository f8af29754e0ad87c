// Terminal rendering of one regression finding: severity, kind, query id and the evidence
// of its kind on one line, the fingerprint (never literals) indented below. Shared by every
// report and log line that shows findings, fresh or stored. Pure functions; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "analyzer/regression/finding.h"

namespace slowscope {

// What changed, in the measure of the finding's kind — latency per call; rows examined or
// blocks per call; calls per call of the other shapes; share of database time; calls
// expected; the daily rise — with p50/p95 where known and the database time it adds per
// hour (format_added_time). One line without a newline: what every report and log line
// shows of a finding. `added_time_with`: the kind of another finding of the same shape whose
// line shows the added time, to refer to it instead (see AddedTimeOnce).
std::string finding_evidence_text(const Finding& finding,
                                  std::optional<FindingKind> added_time_with = std::nullopt);

// A shape's added database time, shown once in a report: on the line of its first finding;
// a later finding of the same target and shape refers to that one. Two findings of one
// shape are two views of one change (a lost index shows as latency and as blocks per call,
// with the same added time), and adding their times up would count it twice. One per report.
class AddedTimeOnce {
 public:
  // finding_evidence_text(finding), referring to the earlier finding of its shape if any.
  std::string evidence(const Finding& finding);

 private:
  std::map<std::pair<std::string, std::string>, FindingKind> shown_;  // (target, shape hash)
};

// Two lines: severity, kind, query id, the evidence (through `once` when given) and the
// q-value; then the fingerprint, indented.
void write_finding_text(std::ostream& out, const Finding& finding, AddedTimeOnce* once = nullptr);

}  // namespace slowscope
