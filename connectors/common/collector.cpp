#include "connectors/common/collector.h"

#include <algorithm>

#include "analyzer/time/utc_time.h"

namespace slowscope {

std::string_view to_string(CollectorHealth health) {
  switch (health) {
    case CollectorHealth::kOk:
      return "ok";
    case CollectorHealth::kUnreachable:
      return "unreachable";
    case CollectorHealth::kLoginRefused:
      return "login refused";
    case CollectorHealth::kMisconfigured:
      return "misconfigured";
    case CollectorHealth::kExtensionMissing:
      return "extension missing";
    case CollectorHealth::kCoverageLost:
      return "coverage lost";
    case CollectorHealth::kLogMissing:
      return "log missing";
    case CollectorHealth::kLogNotGrowing:
      return "log not growing";
    case CollectorHealth::kStalled:
      return "not completing cycles";
    case CollectorHealth::kFailed:
      break;
  }
  return "failed";
}

bool needs_a_person(CollectorHealth health) {
  return health == CollectorHealth::kLoginRefused || health == CollectorHealth::kMisconfigured;
}

CollectorHealth health_of(const SourceError& error) {
  switch (error.kind()) {
    case SourceError::Kind::kCannotConnect:
    case SourceError::Kind::kConnectionLost:
      return CollectorHealth::kUnreachable;
    case SourceError::Kind::kLoginRefused:
    case SourceError::Kind::kPrivilegeMissing:
      return CollectorHealth::kLoginRefused;
    case SourceError::Kind::kMisconfigured:
      return CollectorHealth::kMisconfigured;
    case SourceError::Kind::kExtensionMissing:
      return CollectorHealth::kExtensionMissing;
    case SourceError::Kind::kTimeout:
    case SourceError::Kind::kQueryFailed:
      break;
  }
  return CollectorHealth::kFailed;
}

double flush_store_wal(Store& store) {
  const auto start = std::chrono::steady_clock::now();
  store.flush_wal();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

CollectorHealth health_of_events(const std::vector<CollectorEvent>& events) {
  const bool gap = std::any_of(events.begin(), events.end(), [](const CollectorEvent& e) {
    return e.kind == event_kind::kCoverageGap;
  });
  return gap ? CollectorHealth::kCoverageLost : CollectorHealth::kOk;
}

std::optional<CollectorEvent> collection_gap_event(StoreTime at, int64_t covered_from,
                                                   int64_t bucket_end, int64_t step) {
  if (bucket_end - covered_from <= 2 * step) return std::nullopt;
  const int64_t minutes = (bucket_end - covered_from) / 60;
  return CollectorEvent{
      at, std::string(event_kind::kCollectionGap),
      "no poll from " + format_utc(std::chrono::sys_seconds(std::chrono::seconds(covered_from))) +
          " to " + format_utc(std::chrono::sys_seconds(std::chrono::seconds(bucket_end))) + " (" +
          std::to_string(minutes) +
          " min): what ran then is counted in one sample of that span, not interval by interval"};
}

}  // namespace slowscope
