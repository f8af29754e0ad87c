#include "analyzer/regression/interval_noise.h"

#include <cmath>
#include <vector>

#include "analyzer/regression/stats/successive_difference_variance.h"

namespace slowscope {

IntervalNoise measured_interval_noise(std::span<const IntervalCounts> intervals,
                                      const Measures& per_call) {
  if (per_call.calls < 2) return {};
  const double n = static_cast<double>(per_call.calls);
  const double mean = per_call.total_time / n;
  const double variance = (per_call.sum_sq - per_call.total_time * mean) / (n - 1);
  if (!(mean > 0) || !(variance > 0)) return {};  // also: no Σx² from the source
  const double cv2 = variance / (mean * mean);

  // Each interval's log mean: a mean of n calls with this CV has a log variance of about
  // cv²/n, and drift multiplies latency (load slows every call by a share).
  std::vector<double> logs, variances;
  for (const IntervalCounts& i : intervals) {
    if (i.calls <= 0 || !(i.total_time > 0)) continue;
    logs.push_back(std::log(i.total_time / static_cast<double>(i.calls)));
    variances.push_back(cv2 / static_cast<double>(i.calls));
  }
  if (logs.size() < kMinNoiseIntervals) return {};
  return {std::sqrt(stats::successive_difference_tau2(logs, variances).value_or(0)), logs.size()};
}

}  // namespace slowscope
