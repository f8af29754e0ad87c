#include "reports/alerts/incidents.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <set>
#include <tuple>
#include <utility>

namespace slowscope {

std::vector<Incident> group_incidents(const std::vector<IncidentFinding>& findings,
                                      const std::map<std::string, std::string>& previous) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  // Vertices 0..n-1 are the findings; then one per (target, table) and (target, release).
  Graph graph(findings.size());
  std::map<std::pair<std::string, std::string>, size_t> tables, releases;
  const auto vertex_of = [&](auto& vertices, const std::string& target, const std::string& name) {
    const auto [it, added] = vertices.try_emplace({target, name}, 0);
    if (added) it->second = boost::add_vertex(graph);
    return it->second;
  };
  for (size_t i = 0; i < findings.size(); ++i) {
    const IncidentFinding& f = findings[i];
    for (const std::string& table : f.tables) {
      boost::add_edge(i, vertex_of(tables, f.target, table), graph);
    }
    if (!f.release.empty()) boost::add_edge(i, vertex_of(releases, f.target, f.release), graph);
  }
  std::vector<int> component(boost::num_vertices(graph));
  boost::connected_components(graph, component.data());

  // Incidents in the order of their first members.
  std::vector<Incident> incidents;
  std::map<int, size_t> incident_of_component;
  for (size_t i = 0; i < findings.size(); ++i) {
    const auto [it, added] = incident_of_component.try_emplace(component[i], incidents.size());
    if (added) incidents.push_back({"", findings[i].target, {}, {}, {}});
    incidents[it->second].members.push_back(i);
  }

  for (Incident& incident : incidents) {
    std::map<std::string, int> readers;
    std::set<std::string> member_releases;
    for (const size_t i : incident.members) {
      for (const std::string& table :
           std::set<std::string>(findings[i].tables.begin(), findings[i].tables.end())) {
        ++readers[table];
      }
      member_releases.insert(findings[i].release);
    }
    for (const auto& [table, count] : readers) {
      if (count >= 2) incident.shared_tables.push_back(table);
    }
    if (member_releases.size() == 1) incident.release = *member_releases.begin();
  }

  // Keys: each earlier key goes to the incident holding most of its members (a split keeps
  // it in its largest part, a merge keeps its most common key), every key at most once.
  std::vector<std::tuple<int, std::string, size_t>> claims;  // (-members, key, incident)
  for (size_t k = 0; k < incidents.size(); ++k) {
    std::map<std::string, int> held;
    for (const size_t i : incidents[k].members) {
      if (const auto it = previous.find(findings[i].id); it != previous.end()) ++held[it->second];
    }
    for (const auto& [key, count] : held) claims.emplace_back(-count, key, k);
  }
  std::sort(claims.begin(), claims.end());
  std::set<std::string> taken;
  for (const auto& [count, key, k] : claims) {
    if (!incidents[k].key.empty() || taken.contains(key)) continue;
    incidents[k].key = key;
    taken.insert(key);
  }
  for (Incident& incident : incidents) {
    if (!incident.key.empty()) continue;
    const std::string first = findings[incident.members.front()].id;
    std::string key = first;
    for (int n = 2; taken.contains(key); ++n) key = first + "#" + std::to_string(n);
    incident.key = key;
    taken.insert(key);
  }
  return incidents;
}

}  // namespace slowscope
