// Terminal rendering of one regression finding: severity, kind, query id and the evidence
// of its kind on one line, the fingerprint (never literals) indented below. Shared by every
// report that lists findings. Pure function; thread-safe.
#pragma once

#include <ostream>

#include "analyzer/regression/finding.h"

namespace slowscope {

void write_finding_text(std::ostream& out, const Finding& finding);

}  // namespace slowscope
