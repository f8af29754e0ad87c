// StoreError: the history store cannot do what was asked — unreachable, a schema newer than
// this binary, an unknown target, a failed cycle; NoStoreError: there is no store where one
// must be; StoreUnusableError: retrying cannot help until someone acts. what() says which
// store (password masked) and which operation, then the cause.
#pragma once

#include <stdexcept>

namespace slowscope {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Opening a store that must exist (StoreOpen::kMustExist) found none: no file, a file that is
// not an SQLite database or holds no slowscope schema, a PostgreSQL database without the
// schema ledger. Nothing was created. what() names the location and what was there.
class NoStoreError : public StoreError {
 public:
  using StoreError::StoreError;
};

// The store cannot be used by this slowscope however often it tries: its schema is newer
// than this binary understands, or its server refused the login (credentials, pg_hba.conf,
// no such database). A server that is down or busy is a plain StoreError.
class StoreUnusableError : public StoreError {
 public:
  using StoreError::StoreError;
};

}  // namespace slowscope
