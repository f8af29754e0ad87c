#include "app/finding_alerts.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "reports/alerts/incident_event.h"
#include "reports/alerts/incidents.h"

namespace slowscope {
namespace {

// An incident that was paged: what the checkpoint keeps of it.
struct SentIncident {
  std::string key;
  AlertSeverity severity = AlertSeverity::kWarning;  // the highest sent
  std::vector<std::string> sinks;                    // every sink that was sent a trigger
  std::vector<std::string> members;                  // finding ids, as of the last pass
  std::string document;                              // the last trigger, for its resolve
};

std::vector<SentIncident> read_sent(Store& store, const std::string& target) {
  std::vector<SentIncident> out;
  const nlohmann::json j = json_checkpoint(store, target, kIncidentsCheckpoint);
  if (!j.contains("incidents")) return out;
  try {
    for (const auto& i : j.at("incidents")) {
      SentIncident s;
      s.key = i.at("key").get<std::string>();
      s.severity = alert_severity_from_string(i.at("severity").get<std::string>())
                       .value_or(AlertSeverity::kWarning);
      s.sinks = i.at("sinks").get<std::vector<std::string>>();
      s.members = i.at("members").get<std::vector<std::string>>();
      s.document = i.at("document").get<std::string>();
      out.push_back(std::move(s));
    }
  } catch (const nlohmann::json::exception&) {
    // Written by hand, or by a later version: start afresh rather than stop alerting; what
    // was open may be paged once more.
    spdlog::warn("{}: the record of paged incidents is unreadable; starting a new one", target);
    out.clear();
  }
  return out;
}

std::string write_sent(const std::vector<SentIncident>& sent) {
  nlohmann::json incidents = nlohmann::json::array();
  for (const SentIncident& s : sent) {
    incidents.push_back({{"key", s.key},
                         {"severity", to_string(s.severity)},
                         {"sinks", s.sinks},
                         {"members", s.members},
                         {"document", s.document}});
  }
  return nlohmann::json{{"incidents", std::move(incidents)}}.dump();
}

// The target's open findings once `changes` are applied to `stored`, by id.
std::map<std::string, FindingRecord> open_after(const std::vector<FindingRecord>& stored,
                                                const std::vector<FindingChange>& changes) {
  std::map<std::string, FindingRecord> open;
  for (const FindingRecord& r : stored) {
    if (r.status == FindingStatus::kOpen) open[r.id()] = r;
  }
  for (const FindingChange& c : changes) {
    if (c.record.status == FindingStatus::kOpen) {
      open[c.record.id()] = c.record;
    } else {
      open.erase(c.record.id());
    }
  }
  return open;
}

std::vector<std::string> sink_union(std::vector<std::string> a, const std::vector<std::string>& b) {
  for (const std::string& s : b) {
    if (std::find(a.begin(), a.end(), s) == a.end()) a.push_back(s);
  }
  return a;
}

// The tables of each shape a finding is about, read once per shape.
class ShapeTables {
 public:
  explicit ShapeTables(Store& store) : store_(store) {}
  const std::vector<std::string>& of(const std::string& shape_hash) {
    auto found = tables_.find(shape_hash);
    if (found == tables_.end()) {
      const std::optional<ShapeRecord> shape = store_.shape_by_hash(shape_hash);
      found = tables_.emplace(shape_hash, shape ? shape->info.tables : std::vector<std::string>{})
                  .first;
    }
    return found->second;
  }

 private:
  Store& store_;
  std::map<std::string, std::vector<std::string>> tables_;
};

void queue_alerts(Store& store, const std::string& target, StoreTime at,
                  const std::vector<FindingRecord>& stored,
                  const std::vector<FindingChange>& changes, const AlertRouting& routing,
                  FindingsUpdate& update) {
  const int64_t now = at.time_since_epoch().count();
  std::vector<IncidentFinding> nodes;
  std::vector<Finding> findings;
  ShapeTables tables(store);
  for (const auto& [id, record] : open_after(stored, changes)) {
    std::optional<Finding> finding = finding_of_record(record);
    if (!finding) continue;  // a kind of a later version
    nodes.push_back({id, target, tables.of(record.shape_hash), record.release});
    findings.push_back(std::move(*finding));
  }

  const std::vector<SentIncident> sent = read_sent(store, target);
  std::map<std::string, std::string> previous;
  for (const SentIncident& s : sent) {
    for (const std::string& member : s.members) previous[member] = s.key;
  }
  std::vector<SentIncident> still_open;
  for (const Incident& incident : group_incidents(nodes, previous)) {
    IncidentSnapshot snapshot{incident.key, target, {}, incident.shared_tables, incident.release};
    std::vector<std::string> members;
    for (const size_t m : incident.members) {
      snapshot.members.push_back(findings[m]);
      members.push_back(nodes[m].id);
    }
    const AlertSeverity severity = incident_severity(snapshot, routing.thresholds);
    const std::vector<std::string> sinks = routing.sinks_for(severity);
    const auto before = std::find_if(sent.begin(), sent.end(),
                                     [&](const SentIncident& s) { return s.key == incident.key; });
    const bool paged = before != sent.end();
    if (!paged && sinks.empty()) continue;  // below every sink's minimum: not paged yet
    SentIncident now_sent = paged ? *before : SentIncident{incident.key, severity, {}, {}, {}};
    now_sent.members = members;
    // Paged for the first time, or more urgent than when last paged: (re-)trigger.
    if (!paged || severity > before->severity) {
      const AlertEvent event = incident_event(snapshot, AlertAction::kTrigger, severity, now,
                                              routing.thresholds, routing.report_url);
      now_sent.severity = severity;
      now_sent.sinks = sink_union(now_sent.sinks, sinks);
      now_sent.document = alert_document(event).dump();
      update.alerts.push_back(outbox_alert(event, now_sent.sinks));
    }
    still_open.push_back(std::move(now_sent));
  }
  // Paged incidents with no open member left end.
  for (const SentIncident& s : sent) {
    const bool open = std::any_of(still_open.begin(), still_open.end(),
                                  [&](const SentIncident& o) { return o.key == s.key; });
    if (open) continue;
    if (auto resolve = resolve_alert(s.document, s.sinks, now)) {
      update.alerts.push_back(std::move(*resolve));
    }
  }
  if (!sent.empty() || !still_open.empty()) {
    update.checkpoints.push_back({std::string(kIncidentsCheckpoint), write_sent(still_open)});
  }
}

}  // namespace

size_t sync_finding_alerts(Store& store, const std::string& target, StoreTime at,
                           const AlertRouting& routing) {
  size_t queued = 0;
  store.update_findings(target, {}, [&](const std::vector<FindingRecord>& stored) {
    FindingsUpdate update;
    update.at = at;
    queue_alerts(store, target, at, stored, {}, routing, update);
    queued = update.alerts.size();
    return update;
  });
  return queued;
}

size_t queue_check_alerts(Store& store, const std::string& target,
                          const std::vector<Finding>& findings, const std::string& release,
                          StoreTime at, const AlertRouting& routing) {
  std::vector<IncidentFinding> nodes;
  ShapeTables tables(store);
  for (const Finding& f : findings) {
    nodes.push_back({f.key.id(), target, tables.of(f.key.shape_hash), release});
  }
  // What earlier checks paged, by dedup key: the severity sent.
  nlohmann::json paged = json_checkpoint(store, target, kChecksCheckpoint);
  std::vector<OutboxAlert> alerts;
  for (const Incident& incident : group_incidents(nodes, {})) {
    IncidentSnapshot snapshot{
        "check/" + release + "/" + incident.key, target, {}, incident.shared_tables, release};
    for (const size_t m : incident.members) snapshot.members.push_back(findings[m]);
    const AlertSeverity severity = incident_severity(snapshot, routing.thresholds);
    std::vector<std::string> sinks = routing.sinks_for(severity);
    if (sinks.empty()) continue;
    const std::string key = incident_dedup_key(target, snapshot.key);
    const std::optional<AlertSeverity> before =
        alert_severity_from_string(paged.value(key, std::string()));
    if (before && *before >= severity) continue;  // an earlier check paged it already
    const AlertEvent event =
        incident_event(snapshot, AlertAction::kTrigger, severity, at.time_since_epoch().count(),
                       routing.thresholds, routing.report_url);
    alerts.push_back(outbox_alert(event, std::move(sinks)));
    paged[key] = to_string(severity);
  }
  if (!alerts.empty()) {
    store.queue_alerts(target, alerts, {{std::string(kChecksCheckpoint), paged.dump()}}, at);
  }
  return alerts.size();
}

FindingsHook finding_alerts_hook(AlertRouting routing) {
  return [routing = std::move(routing)](Store& store, const std::string& target, StoreTime at,
                                        const std::vector<FindingRecord>& stored,
                                        const std::vector<FindingChange>& changes,
                                        FindingsUpdate& update) {
    queue_alerts(store, target, at, stored, changes, routing, update);
  };
}

}  // namespace slowscope
