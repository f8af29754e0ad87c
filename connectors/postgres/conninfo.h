// The libpq connection string a PostgreSQL collector connects with: the target's dsn as the
// user wrote it (key=value or URI; service files and ~/.pgpass keep working) plus
// slowscope's own session parameters, and the target's password_file read into memory.
// Pure except for reading the password file; thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "analyzer/config/config.h"

namespace slowscope {

struct SessionLimits {
  std::chrono::seconds connect_timeout{10};
  std::chrono::milliseconds statement_timeout{10'000};  // every poll statement
  std::chrono::milliseconds lock_timeout{2'000};
  std::chrono::seconds keepalives_idle{30};
};

// The connection string for `target`, in key=value form: fallback_application_name=slowscope
// (the session is named slowscope unless the dsn or PGAPPNAME name it), connect_timeout and
// keepalives unless the dsn sets them, statement_timeout and
// lock_timeout appended to the dsn's `options`, and the password from password_file. The
// result holds the password: pass it to libpq only, never log it. Throws ConfigError
// (without the password) when the dsn is malformed or the password file unusable.
std::string collector_conninfo(const TargetConfig& target, const SessionLimits& limits);

}  // namespace slowscope
