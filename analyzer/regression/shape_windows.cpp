#include "analyzer/regression/shape_windows.h"

namespace slowscope {

Finding finding_about(const ShapeWindows& shape, FindingKind kind) {
  Finding f;
  f.key = {shape.target, shape.shape_hash, kind};
  f.fingerprint = shape.fingerprint;
  f.before_mean = shape.baseline.mean_time();
  f.after_mean = shape.post.mean_time();
  f.before_calls = shape.baseline.calls;
  f.after_calls = shape.post.calls;
  return f;
}

double latency_cost_per_hour(const ShapeWindows& shape) {
  const double hours = hours_of(shape.post_span);
  return hours > 0 ? (shape.post.mean_time() - shape.baseline.mean_time()) *
                         static_cast<double>(shape.post.calls) / hours
                   : 0;
}

double hours_of(std::chrono::seconds span) {
  return static_cast<double>(span.count()) / 3600.0;
}

}  // namespace slowscope
