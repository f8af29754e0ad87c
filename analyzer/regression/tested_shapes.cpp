#include "analyzer/regression/tested_shapes.h"

#include "analyzer/regression/stats/benjamini_hochberg.h"

namespace slowscope {

void correct_together(std::vector<TestedShape>& family) {
  std::vector<double> p_values;
  p_values.reserve(family.size());
  for (const TestedShape& t : family) p_values.push_back(t.p_value);
  const std::vector<double> q_values = stats::benjamini_hochberg(p_values);
  for (size_t i = 0; i < family.size(); ++i) family[i].q_value = q_values[i];
}

Finding ratio_finding(const TestedShape& tested, FindingKind kind, std::string measure,
                      double before, double after, double critical_ratio) {
  Finding f = finding_about(*tested.shape, kind);
  f.ratio = after / before;
  f.severity = f.ratio >= critical_ratio ? Severity::kCritical : Severity::kWarning;
  f.p_value = tested.p_value;
  f.q_value = tested.q_value;
  f.measure = std::move(measure);
  f.before_value = before;
  f.after_value = after;
  return f;
}

}  // namespace slowscope
