// Turning what a log source read in one cycle (an IntervalAggregator's cells) into the
// store's samples and new statements, the same way for every log source of a MySQL target
// (the slow-log file and the mysql.slow_log table).
//
// Statement keys of log sources: database = the entry's schema, user empty, query id = the
// pt-query-digest fingerprint's id, which is also the shape's hash. They belong to the
// server identity kSlowLogServer: fingerprints do not depend on the server or its version.
//
// Thread-safety: LogStatements is not thread-safe; one per collector.
#pragma once

#include <string_view>

#include "analyzer/aggregate/interval_aggregator.h"
#include "analyzer/event/own_statement.h"
#include "analyzer/store/store.h"
#include "connectors/common/known_statements.h"

namespace slowscope {

// The identity under which slow-log statements are stored.
inline const ServerIdentity kSlowLogServer{"mysql-slow-log", ""};

// The statements a collector knows to be stored for its target.
class LogStatements {
 public:
  // Loads the known statement keys of `target` once.
  void load(Store& store, std::string_view target);

  // Adds the samples of `cells` (with `interval`) and the statements not known yet to
  // `cycle`, which must be a SampleConflict::kAdd cycle.
  void add_to_cycle(const IntervalAggregator& cells, CycleWrite& cycle) const;

  // After `cycle` committed: its statements are known from now on.
  void committed(const CycleWrite& cycle);

 private:
  KnownStatements known_;
};

}  // namespace slowscope
