// DigestSummaryPoller: reads performance_schema.events_statements_summary_by_digest of one
// MySQL/MariaDB target into DigestSnapshots (see digest_delta.h for what a collector makes
// of two of them).
//
// Its own statements are left out. performance_schema strips comments from DIGEST_TEXT,
// so the marker comment cannot be seen there; instead every statement slowscope sends
// carries an alias `slowscope_...` near its start (identifiers survive digesting, and the
// start survives the truncation of long digest texts), and an entry whose DIGEST_TEXT
// contains kOwnDigestIdentifier is slowscope's. An application using such an identifier
// would be left out too. The statements Connector/C++ sends on its own when a session
// connects (SET autocommit, SET SESSION TRANSACTION ISOLATION LEVEL, SHOW SESSION
// VARIABLES LIKE) cannot carry an alias; slowscope's sessions run them with
// kOwnSessionSchema as their default database (mysql_session.h), and those three digests
// in that schema are left out — with any application's, should one run exactly these
// statements in information_schema.
//
// Which columns are read depends on the table's actual columns (probed once per
// connection): QUANTILE_95/99 on MySQL 8.0+.
//
// One thread at a time, like the session it reads through.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "connectors/mysql/digest_snapshot.h"
#include "connectors/mysql/mysql_session.h"

namespace slowscope {

inline constexpr std::string_view kOwnDigestIdentifier = "`slowscope_";

// True when the digest `digest_text` in `schema` (SCHEMA_NAME; "" for NULL) is one of
// slowscope's own statements.
bool is_own_digest(std::string_view schema, std::string_view digest_text);

class DigestSummaryPoller {
 public:
  // Reads through `session`, which must outlive the poller.
  explicit DigestSummaryPoller(MysqlSession& session);

  // The server facts and every entry's counters. Throws SourceError, also when
  // performance_schema is off.
  DigestSnapshot poll();

  // Known after the first poll on a connection.
  bool has_quantiles() const { return has_quantiles_; }

 private:
  void probe();

  MysqlSession& session_;
  int64_t probed_connection_ = -1;  // session_.connects() when probed
  std::string summary_sql_;
  bool has_quantiles_ = false;
};

}  // namespace slowscope
