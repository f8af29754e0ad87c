// The kinds of error every layer throws, so that whoever catches one can tell what went
// wrong by its type, and `slowscope` turns each kind into one exit status
// (cli/command_errors.h holds that table):
//
//   InvalidInput      a value a user gave (an option, a setting, a filter, a time, a store
//                     location) cannot be used. what() says which value and what is
//                     accepted; retrying the same request cannot help. Exit 2, as usage.
//   CorruptData       stored bytes (a sketch, a summary, a checkpoint) do not decode as
//                     what wrote them. what() says what was being read, and which record
//                     where the reader knows. The command's failure code.
//   std::logic_error  a precondition a caller must meet was not met: a bug in slowscope,
//                     never the user's input (sizes that must match, a quantile outside
//                     [0, 1] from code, an empty callback). The command's failure code.
//
// The store's and the sources' own failures have their types (StoreError in
// analyzer/store/store_error.h, CollectorError in connectors/common/collector.h), as do
// the configuration file's (ConfigError in analyzer/config/config.h).
//
// InvalidInput is a std::invalid_argument, which is also what the standard library's
// number parsers throw for user text: a catch of std::invalid_argument before
// std::logic_error treats both as input. Programming errors therefore throw
// std::logic_error itself, never std::invalid_argument.
#pragma once

#include <stdexcept>

namespace slowscope {

// A value a user gave cannot be used; what() names it and what is accepted.
class InvalidInput : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Stored bytes do not decode; what() names what was read.
class CorruptData : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace slowscope
