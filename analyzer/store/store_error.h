// StoreError: the history store cannot do what was asked — unreachable, a schema newer than
// this binary, an unknown target, a failed cycle. what() says which store (password masked)
// and which operation, then the cause.
#pragma once

#include <stdexcept>

namespace slowscope {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace slowscope
