// KnownStatements: the statement keys a collector knows its store holds for its target under
// one server identity, so that a cycle lists as new (with text and shape) only the keys it
// sees for the first time. Loaded from the store once per server identity; the statements of
// a cycle join only once that cycle has committed, so a failed cycle lists them again.
//
// Not thread-safe: one per collector.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "analyzer/store/store.h"

namespace slowscope {

class KnownStatements {
 public:
  // Loads the keys stored for `target` under `server`, unless those of `server` are loaded
  // already; the keys of another server are dropped.
  void load(Store& store, std::string_view target, const ServerIdentity& server);

  // Whether `key` is stored, as far as the load and the committed cycles since tell.
  bool contains(const StatementKey& key) const { return keys_.count(key) != 0; }

  // After `cycle` committed: its new statements are known from now on.
  void committed(const CycleWrite& cycle);

 private:
  struct KeyHash {
    size_t operator()(const StatementKey& key) const;
  };

  std::optional<ServerIdentity> server_;
  std::unordered_set<StatementKey, KeyHash> keys_;
};

}  // namespace slowscope
