// How commands turn failures into exit statuses and messages, so that every command says
// the same things the same way: usage and configuration errors, and a store that does not
// exist, exit 2 (the documented code of every command), anything else the command's own
// failure code. Messages go to the log (stderr) without the exception's type.
// Thread-compatible.
#pragma once

#include <functional>
#include <stdexcept>
#include <string_view>

#include "analyzer/store/store.h"

namespace slowscope {

// A request that cannot be carried out as asked: a bad option, an unknown name.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs `body` and returns its exit status. An exception is logged and becomes 2 when it is
// a UsageError, a ConfigError, a NoStoreError (a store that must exist does not) or a
// std::invalid_argument (what option parsing throws), else `failure`.
int run_command(int failure, const std::function<int()>& body);

// Throws UsageError, naming the targets the store knows, when it has none called `name`.
void require_target(Store& store, std::string_view name);

}  // namespace slowscope
