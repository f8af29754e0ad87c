#include "connectors/postgres/query_shape.h"

#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

namespace slowscope {
namespace {

// FNV-1a, 64 bits: stable across builds and platforms, enough to key unparsable texts.
uint64_t fnv1a(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hex16(uint64_t v) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(v));
  return buffer;
}

void collect_cte_names(const nlohmann::json& node, std::set<std::string>& names) {
  if (node.is_object()) {
    if (auto it = node.find("CommonTableExpr"); it != node.end() && it->is_object()) {
      if (auto name = it->find("ctename"); name != it->end() && name->is_string()) {
        names.insert(name->get<std::string>());
      }
    }
    for (const auto& [key, child] : node.items()) collect_cte_names(child, names);
  } else if (node.is_array()) {
    for (const auto& child : node) collect_cte_names(child, names);
  }
}

// A RangeVar is wrapped as {"RangeVar": {...}} where the tree holds any node, and bare where
// the field can only be a RangeVar (e.g. InsertStmt.relation); relpersistence marks both.
bool is_range_var(const nlohmann::json& node) {
  return node.contains("relname") && node.contains("relpersistence");
}

void collect_relations(const nlohmann::json& node, const std::set<std::string>& ctes,
                       std::set<std::string>& tables) {
  if (node.is_object()) {
    if (is_range_var(node)) {
      const std::string rel = node.value("relname", "");
      const std::string schema = node.value("schemaname", "");
      if (!rel.empty() && (!schema.empty() || ctes.count(rel) == 0)) {
        tables.insert(schema.empty() ? rel : schema + "." + rel);
      }
    }
    for (const auto& [key, child] : node.items()) collect_relations(child, ctes, tables);
  } else if (node.is_array()) {
    for (const auto& child : node) collect_relations(child, ctes, tables);
  }
}

}  // namespace

std::vector<std::string> tables_of_parse_tree(std::string_view json) {
  const auto tree = nlohmann::json::parse(json);
  std::set<std::string> ctes, tables;
  collect_cte_names(tree, ctes);
  collect_relations(tree, ctes, tables);
  return {tables.begin(), tables.end()};
}

ShapeInfo postgres_query_shape(std::string_view query_text) {
  const std::string text(query_text);
  ShapeInfo shape;
  PgQueryFingerprintResult fp = pg_query_fingerprint(text.c_str());
  const bool parsed = fp.error == nullptr && fp.fingerprint_str != nullptr;
  if (parsed) shape.hash = fp.fingerprint_str;
  pg_query_free_fingerprint_result(fp);
  // pg_stat_statements leaves some constants in place (in utility statements): the shown
  // text has none, and matches the fingerprint.
  shape.fingerprint = postgres_literal_free_text(text);
  if (!parsed) {
    // Keyed by the literal-free text: a hash of the literal text would group nothing and
    // could be reversed for a short secret.
    shape.hash = std::string(kUnparsedShapePrefix) + hex16(fnv1a(shape.fingerprint));
    return shape;
  }
  PgQueryParseResult tree = pg_query_parse(text.c_str());
  if (tree.error == nullptr && tree.parse_tree != nullptr) {
    try {
      shape.tables = tables_of_parse_tree(tree.parse_tree);
    } catch (const nlohmann::json::exception&) {
      shape.tables.clear();  // tables are a convenience; the shape stands without them
    }
  }
  pg_query_free_parse_result(tree);
  return shape;
}

}  // namespace slowscope
