// The family of shapes one detector tested: each with its p-value, and the q-value
// Benjamini–Hochberg gives it across the whole family. Every tested shape belongs in the
// family, also those that turn out too small to matter: leaving them out after looking
// would understate the number of tests. Value types; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/regression/shape_windows.h"

namespace slowscope {

struct TestedShape {
  const ShapeWindows* shape = nullptr;
  double p_value = 1;
  double q_value = 1;  // set by correct_together()
  double figure = 0;   // a detector's own number about the shape (vanished: calls expected)
};

// Sets the q-value of every member of `family`.
void correct_together(std::vector<TestedShape>& family);

// A finding of `kind` about a member, for kinds whose measure is a ratio of `measure` after
// to before (> 0): evidence, p- and q-value, severity by `critical_ratio`. The added
// database time is the caller's.
Finding ratio_finding(const TestedShape& tested, FindingKind kind, std::string measure,
                      double before, double after, double critical_ratio);

}  // namespace slowscope
