// Findings in the store (sql/store/finding_upsert.sql, findings_list.sql; schema in
// */003_findings.sql). The lifecycle itself is decided in analyzer/regression; this file only
// reads and writes rows, a detection pass's rows in one transaction.
#include <set>

#include "analyzer/store/store_impl.h"

namespace slowscope {
namespace {
// Filters of findings_list.sql; empty text means "any".
struct ListFilter {
  std::string target;
  std::string status;
  StoreTime active_since;
  std::string shape_hash;
  std::string kind;
};

std::vector<FindingRecord> list_findings(Store::Impl& s, const ListFilter& filter) {
  auto& list = s.sql("findings_list");
  list.bind_text(1, filter.target);
  list.bind_text(2, filter.status);
  list.bind_int(3, epoch_seconds(filter.active_since));
  list.bind_text(4, filter.shape_hash);
  list.bind_text(5, filter.kind);
  std::vector<FindingRecord> out;
  while (list.step()) {
    FindingRecord f;
    f.target = list.get_text(0);
    f.shape_hash = list.get_text(1);
    f.fingerprint = list.get_text(2);
    f.kind = list.get_text(3);
    f.status = list.get_text(4) == "resolved" ? FindingStatus::kResolved : FindingStatus::kOpen;
    f.severity = list.get_text(5);
    f.opened_at = store_time(list.get_int(6));
    f.first_interval = store_time(list.get_int(7));
    f.last_seen_at = store_time(list.get_int(8));
    if (!list.is_null(9)) f.resolved_at = store_time(list.get_int(9));
    f.release = list.get_text(10);
    f.evidence = list.get_text(11);
    f.clean_passes = static_cast<int>(list.get_int(12));
    f.reopen_count = static_cast<int>(list.get_int(13));
    out.push_back(std::move(f));
  }
  list.reset();
  return out;
}

void upsert_finding(Store::Impl& s, int64_t target_id, const FindingRecord& f) {
  auto& upsert = s.sql("finding_upsert");
  upsert.bind_int(1, target_id);
  upsert.bind_text(2, f.shape_hash);
  upsert.bind_text(3, f.kind);
  upsert.bind_text(4, to_string(f.status));
  upsert.bind_text(5, f.severity);
  upsert.bind_int(6, epoch_seconds(f.opened_at));
  upsert.bind_int(7, epoch_seconds(f.first_interval));
  upsert.bind_int(8, epoch_seconds(f.last_seen_at));
  if (f.resolved_at) {
    upsert.bind_int(9, epoch_seconds(*f.resolved_at));
  } else {
    upsert.bind_null(9);
  }
  upsert.bind_text(10, f.release);
  upsert.bind_text(11, f.evidence);
  upsert.bind_int(12, f.clean_passes);
  upsert.bind_int(13, f.reopen_count);
  upsert.run();
  if (upsert.changes() == 0) {
    throw StoreError("finding " + f.id() + ": no shape with hash '" + f.shape_hash + "'");
  }
}

}  // namespace

std::string_view to_string(FindingStatus status) {
  return status == FindingStatus::kResolved ? "resolved" : "open";
}

std::string FindingRecord::id() const {
  return target + "/" + shape_hash + "/" + kind;
}

void Store::update_findings(
    std::string_view target, const std::vector<FindingShapeKind>& also,
    const std::function<FindingsUpdate(const std::vector<FindingRecord>&)>& decide) {
  Impl& s = *impl_;
  const std::string operation = "recording the findings of target '" + std::string(target) + "'";
  s.in_transaction(operation, [&] {
    const int64_t target_id = s.target_id(target);
    std::vector<FindingRecord> stored =
        list_findings(s, {std::string(target), "open", StoreTime{}, "", ""});
    std::set<std::string> ids;
    for (const FindingRecord& f : stored) ids.insert(f.id());
    for (const FindingShapeKind& k : also) {
      for (FindingRecord& f :
           list_findings(s, {std::string(target), "", StoreTime{}, k.shape_hash, k.kind})) {
        if (ids.insert(f.id()).second) stored.push_back(std::move(f));
      }
    }
    const FindingsUpdate update = decide(stored);
    for (const FindingRecord& f : update.rows) {
      if (f.target != target) {
        throw StoreError("finding " + f.id() + " does not belong to target '" +
                         std::string(target) + "'");
      }
      upsert_finding(s, target_id, f);
    }
    write_alerts(s, target_id, update.alerts, update.checkpoints, update.at);
  });
}

std::vector<FindingRecord> Store::findings(const FindingQuery& query) {
  Impl& s = *impl_;
  try {
    return list_findings(
        s, {query.target.value_or(""), query.status ? std::string(to_string(*query.status)) : "",
            query.active_since, "", ""});
  } catch (const SqlError& e) {
    s.fail("listing findings", e.what());
  }
}

std::vector<OpenFindingCount> Store::open_finding_counts(std::string_view target) {
  Impl& s = *impl_;
  try {
    auto& counts = s.sql("findings_open_counts");
    counts.bind_text(1, target);
    std::vector<OpenFindingCount> out;
    while (counts.step()) {
      out.push_back(
          {counts.get_text(0), counts.get_text(1), counts.get_text(2), counts.get_int(3)});
    }
    counts.reset();
    return out;
  } catch (const SqlError& e) {
    s.fail("counting open findings", e.what());
  }
}

std::optional<FindingRecord> Store::finding(std::string_view id) {
  // Target names and kinds have no '/'; a shape hash might, so it is what lies between.
  const size_t first = id.find('/');
  const size_t last = id.rfind('/');
  if (first == std::string_view::npos || first == last) return std::nullopt;
  Impl& s = *impl_;
  try {
    std::vector<FindingRecord> found = list_findings(
        s, {std::string(id.substr(0, first)), "", StoreTime{},
            std::string(id.substr(first + 1, last - first - 1)), std::string(id.substr(last + 1))});
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  } catch (const SqlError& e) {
    s.fail("reading finding '" + std::string(id) + "'", e.what());
  }
}

}  // namespace slowscope
