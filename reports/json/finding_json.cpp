#include "reports/json/finding_json.h"

namespace slowscope {

nlohmann::ordered_json finding_to_json(const Finding& f) {
  nlohmann::ordered_json out{{"id", f.key.id()},
                             {"kind", to_string(f.key.kind)},
                             {"severity", to_string(f.severity)},
                             {"query_id", f.key.shape_hash},
                             {"fingerprint", f.fingerprint}};
  out.update(evidence_json(f));
  return out;
}

}  // namespace slowscope
