// Terminal rendering of one regression finding: severity, kind, query id and the evidence
// of its kind on one line, the fingerprint (never literals) indented below. Shared by every
// report and log line that shows findings, fresh or stored. Pure functions; thread-safe.
#pragma once

#include <ostream>
#include <string>

#include "analyzer/regression/finding.h"

namespace slowscope {

// Two lines: severity, kind, query id, finding_evidence_text() and the q-value; then the
// fingerprint, indented.
void write_finding_text(std::ostream& out, const Finding& finding);

// What changed, in the measure of the finding's kind — latency per call; rows examined or
// blocks per call; calls per call of the other shapes; share of database time; calls
// expected; the daily rise — with p50/p95 where known and the database time it adds per
// hour. One line without a newline: what every report and log line shows of a finding.
std::string finding_evidence_text(const Finding& finding);

}  // namespace slowscope
