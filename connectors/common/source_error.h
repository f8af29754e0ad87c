// SourceError: the one error a database source throws when its server cannot be reached or
// read, whatever the server (PgssPoller for PostgreSQL; MysqlSession and the readers on it
// for MySQL and MariaDB). what() starts with the target's name, says what to check and never
// contains a password. The kind says what went wrong, so that a collector tells its health
// by it (health_of in collector.h) and a caller can tell a refused login from a server that
// is down, rather than match message text.
#pragma once

#include <stdexcept>
#include <string>

namespace slowscope {

// The target's server cannot be reached or read. what() names the target.
class SourceError : public std::runtime_error {
 public:
  enum class Kind {
    kCannotConnect,     // no connection: down, unreachable, an unknown host, too many
                        // connections, the connect timeout
    kConnectionLost,    // the connection broke during a call; reopened on the next one
    kLoginRefused,      // the server refused the login: credentials, pg_hba.conf, no database
    kPrivilegeMissing,  // logged in, but the user may not read what slowscope reads (MySQL)
    kTimeout,           // a statement ran into the session's statement timeout
    kExtensionMissing,  // PostgreSQL: pg_stat_statements is not installed in the database
    kMisconfigured,     // the target's settings cannot be used (e.g. unreadable password file)
    kQueryFailed,       // anything else: a statement failed, or its result cannot be read
  };

  SourceError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace slowscope
