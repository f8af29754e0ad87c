// The Collectors (connectors/common/collector.h) of MySQL and MariaDB targets, one per
// source. Each runs its source's cycles (SlowLogFileCollector, SlowLogTableCollector,
// DigestCollector) and maps their reports into a CycleReport, with the cycle's account as
// collect logs it. Session errors become CollectorErrors with the health they tell.
//
//  - SlowLogFileTargetCollector: a slow-log file followed across rotations. A missing file
//    is waited for (health kLogMissing, said when that changes, not every cycle); in a
//    --once run it fails the cycle. A backlog reports more_waiting. When the target gives
//    `socket` or `host`, each cycle that read nothing new asks the server whether its slow
//    queries still reach the file (SlowLogGrowthCheck): health kLogNotGrowing when they
//    do not, with `problem` saying what was found.
//  - MysqlTargetCollector<Source>: the mysql.slow_log table or performance_schema digests,
//    through a session opened at the first cycle.
//
// One thread at a time, like the collectors they run.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "analyzer/config/config.h"
#include "connectors/common/collector.h"
#include "connectors/mysql/mysql_collectors.h"
#include "connectors/mysql/slow_log_collector.h"
#include "connectors/mysql/slow_log_growth_check.h"

namespace slowscope {

class SlowLogFileTargetCollector final : public Collector {
 public:
  // `once`: a --once run, which reads any backlog up to the last entry and fails when the
  // file is missing; `from_end`: a file seen for the first time starts at its end.
  SlowLogFileTargetCollector(const TargetConfig& target, bool once, bool from_end);

  CycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                        std::chrono::seconds interval) override;
  CollectorHealth health() const override { return health_; }

 private:
  std::string target_;
  bool once_ = false;
  SlowLogFileCollector collector_;
  bool missing_ = false;                      // the file was missing at the last cycle
  std::optional<SlowLogGrowthCheck> growth_;  // without socket or host: none
  CollectorHealth health_ = CollectorHealth::kOk;
};

// Source: SlowLogTableCollector or DigestCollector.
template <typename Source>
class MysqlTargetCollector final : public Collector {
 public:
  // Throws CollectorError for settings that cannot be used (e.g. an unreadable password
  // file).
  explicit MysqlTargetCollector(const TargetConfig& target);

  CycleReport run_cycle(Store& store, std::chrono::system_clock::time_point now,
                        std::chrono::seconds interval) override;
  CollectorHealth health() const override { return health_; }

 private:
  Source collector_;
  CollectorHealth health_ = CollectorHealth::kOk;
};

extern template class MysqlTargetCollector<SlowLogTableCollector>;
extern template class MysqlTargetCollector<DigestCollector>;

}  // namespace slowscope
