// Incidents: the findings of one detection pass (or one `check`) that share a table, or
// follow the same release on the same target, are one incident, so that one bad release
// pages once rather than once per shape; unrelated findings at the same time stay apart.
// The incidents are the connected components (Boost.Graph) of the graph whose vertices are
// the findings, the tables their shapes read and the releases they follow (each per target).
//
// An incident's key stays while its members come and go: an incident that holds findings
// of an incident of the previous pass keeps that incident's key; a new one is keyed by the
// id of its first member.
//
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace slowscope {

struct IncidentFinding {
  std::string id;  // the finding's id: "target/shape_hash/kind"
  std::string target;
  std::vector<std::string> tables;  // the tables its shape reads
  std::string release;              // the release it follows; empty for none
};

struct Incident {
  std::string key;  // stable while members come and go
  std::string target;
  std::vector<size_t> members;             // indexes into the findings, ascending
  std::vector<std::string> shared_tables;  // tables two or more members read, sorted
  std::string release;                     // the release every member follows, if one
};

// The incidents of `findings`, in the order of their first members. `previous` maps the
// finding ids of the previous pass to their incidents' keys (empty for a first pass).
// Keys are unique: where an earlier incident split, the part holding most of its members
// keeps its key (ties: the part with the first member); where several merged, the merged one
// keeps the key held by most of its members (ties: the smallest key).
std::vector<Incident> group_incidents(const std::vector<IncidentFinding>& findings,
                                      const std::map<std::string, std::string>& previous);

}  // namespace slowscope
