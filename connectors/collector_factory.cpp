#include "connectors/collector_factory.h"

#include "connectors/mysql/mysql_target_collectors.h"
#include "connectors/postgres/postgres_target_collector.h"

namespace slowscope {

std::unique_ptr<Collector> make_collector(const TargetConfig& target,
                                          const CollectorOptions& options) {
  if (target.engine == Engine::kPostgres) return std::make_unique<PostgresTargetCollector>(target);
  switch (target.mysql.source) {
    case MysqlSource::kSlowLogFile:
      return std::make_unique<SlowLogFileTargetCollector>(target, options.once, options.from_end);
    case MysqlSource::kSlowLogTable:
      return std::make_unique<MysqlTargetCollector<SlowLogTableCollector>>(target);
    case MysqlSource::kPerformanceSchema:
      return std::make_unique<MysqlTargetCollector<DigestCollector>>(target);
  }
  return nullptr;
}

}  // namespace slowscope
