#include "connectors/common/known_statements.h"

#include <functional>
#include <string>

namespace slowscope {

size_t KnownStatements::KeyHash::operator()(const StatementKey& key) const {
  const std::hash<std::string> text;
  size_t h = text(key.query_id);
  h = h * 31 + text(key.database);
  h = h * 31 + text(key.user);
  return h * 2 + (key.toplevel ? 1 : 0);
}

void KnownStatements::load(Store& store, std::string_view target, const ServerIdentity& server) {
  if (server_ == server) return;
  keys_.clear();
  for (auto& known : store.known_statements(target, server)) keys_.insert(std::move(known.key));
  server_ = server;
}

void KnownStatements::committed(const CycleWrite& cycle) {
  for (const NewStatement& statement : cycle.new_statements) keys_.insert(statement.key);
}

}  // namespace slowscope
