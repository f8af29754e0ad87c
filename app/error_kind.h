// The kind of an error that ends a use case, as one value: what the layers throw
// (analyzer/error/errors.h, ConfigError, StoreError and NoStoreError, CollectorError,
// SourceError, std::logic_error) found by catching it as each kind's type in turn, never by
// casts. The command line maps each kind to an exit status in one table
// (cli/command_errors.cpp).
// Pure function; thread-safe.
#pragma once

#include <exception>

namespace slowscope {

enum class ErrorKind {
  kInvalidInput,  // InvalidInput (the command line's UsageError), another std::invalid_argument
  kConfig,        // ConfigError: the configuration file cannot be used
  kNoStore,       // NoStoreError: a store that must exist does not
  kCorruptData,   // CorruptData: stored bytes that do not decode
  kSourceFailed,  // CollectorError or SourceError: a target's source failed
  kStore,         // StoreError (other than NoStoreError): the store failed
  kInternal,      // std::logic_error other than std::invalid_argument: a bug
  kOther,         // any other exception
};

// The kind of `error` (not null).
ErrorKind error_kind(const std::exception_ptr& error);

}  // namespace slowscope
