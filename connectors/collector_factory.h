// make_collector: the Collector (connectors/common/collector.h) of a configured target,
// chosen by its engine and source, so that the collect loop knows only the interface.
#pragma once

#include <memory>

#include "analyzer/config/config.h"
#include "connectors/common/collector.h"

namespace slowscope {

// How a collect run reads the sources that care.
struct CollectorOptions {
  bool once = false;      // a --once run: a slow-log backlog is read to its last entry
  bool from_end = false;  // a slow-log file seen for the first time starts at its end
};

// The collector of `target`; null for a source this build cannot collect. Throws for
// settings that cannot be used (a CollectorError when the source says so).
std::unique_ptr<Collector> make_collector(const TargetConfig& target,
                                          const CollectorOptions& options);

}  // namespace slowscope
