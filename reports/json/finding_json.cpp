#include "reports/json/finding_json.h"

namespace slowscope {

nlohmann::ordered_json finding_to_json(const Finding& f) {
  nlohmann::ordered_json out{{"id", f.key.id()},
                             {"kind", to_string(f.key.kind)},
                             {"severity", to_string(f.severity)},
                             {"query_id", f.key.shape_hash},
                             {"fingerprint", f.fingerprint},
                             {"before_mean", f.before_mean},
                             {"after_mean", f.after_mean},
                             {"ratio", f.ratio},
                             {"before_calls", f.before_calls},
                             {"after_calls", f.after_calls},
                             {"p_value", f.p_value},
                             {"q_value", f.q_value},
                             {"added_seconds_per_hour", f.added_seconds_per_hour}};
  if (f.daily_rise) out["daily_rise"] = *f.daily_rise;
  return out;
}

}  // namespace slowscope
