// PostgresTargetCollector: the Collector (connectors/common/collector.h) of a PostgreSQL
// target. Runs PgssCollector's cycles and maps each PgssCycleReport into a CycleReport:
// the cycle's account (samples, span, epoch breaks, where the time went) as collect logs it,
// and each warning once, when it appears, not again every cycle while it lasts. Poll errors
// become CollectorErrors with the health they tell (unreachable, login refused, extension
// missing).
//
// One thread at a time, like PgssCollector.
#pragma once

#include <chrono>
#include <set>
#include <string>

#include "analyzer/config/config.h"
#include "connectors/common/collector.h"
#include "connectors/postgres/pgss_collector.h"

namespace slowscope {

class PostgresTargetCollector final : public Collector {
 public:
  // Connects at the first cycle. Throws for settings that cannot be used (e.g. an
  // unreadable password file).
  explicit PostgresTargetCollector(const TargetConfig& target);

  CycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                        std::chrono::seconds interval) override;
  CollectorHealth health() const override { return health_; }

 private:
  PgssCollector collector_;
  // The warnings of the last written cycle: a warning is logged when it appears, not next
  // to the event saying the same, nor again every cycle while it lasts.
  std::set<std::string> last_warnings_;
  CollectorHealth health_ = CollectorHealth::kOk;
};

}  // namespace slowscope
