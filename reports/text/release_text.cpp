#include "reports/text/release_text.h"

#include "analyzer/time/utc_time.h"
#include "reports/text/digest_text.h"

namespace slowscope {

void write_releases_text(std::ostream& out, const std::vector<Release>& releases,
                         const char* indent) {
  for (const Release& r : releases) {
    std::string targets;
    for (const auto& t : r.targets) targets += (targets.empty() ? "" : ",") + t;
    std::string meta;
    for (const auto& [k, v] : r.meta) meta += " " + k + "=" + v;
    out << indent << format_utc(r.at.time_since_epoch().count() * 1'000'000) << "  "
        << terminal_safe(r.name, 200) << "  "
        << (targets.empty() ? "(all targets)" : terminal_safe(targets, 200))
        << terminal_safe(meta, 400) << "\n";
  }
}

}  // namespace slowscope
