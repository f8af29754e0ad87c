// PgssPoller: slowscope's one connection to one PostgreSQL target. Reads pg_stat_statements
// snapshots (counters only, no text) and, separately, the text of given entries.
//
// Every statement it runs starts with the marker comment kOwnStatementMarker so that its own
// entries can be told apart and left out of results; it runs no transaction, so sends no
// unmarked BEGIN or COMMIT. The session runs with fallback_application_name=slowscope,
// statement_timeout and lock_timeout (see conninfo.h). The connection is opened lazily and
// reopened after it breaks.
//
// One thread at a time: use one poller per target and thread.
#pragma once

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/event/own_statement.h"
#include "connectors/common/source_error.h"
#include "connectors/postgres/pgss_columns.h"
#include "connectors/postgres/pgss_snapshot.h"

namespace slowscope {

// True when `query_text` is one of slowscope's own statements.
bool is_own_statement(std::string_view query_text);

// What the poller learnt about the extension when it connected.
struct PgssExtension {
  std::string schema;
  std::string version;  // extversion, e.g. "1.10"
  bool has_info = false;
  PgssColumnSet columns;
};

class PgssPoller {
 public:
  // `conninfo` holds any password: it is kept in memory only and never shown.
  PgssPoller(std::string target, std::string conninfo,
             std::chrono::milliseconds text_timeout = std::chrono::seconds(60));
  ~PgssPoller();
  PgssPoller(const PgssPoller&) = delete;
  PgssPoller& operator=(const PgssPoller&) = delete;

  // Reads the server facts and every readable entry's counters; `now_us` is the collection
  // time recorded in the snapshot. Throws SourceError.
  PgssSnapshot poll(int64_t now_us);

  // The text of each of `keys` that the server still has (pg_stat_statements may have
  // dropped texts, e.g. after a garbage collection of its text file). Runs one query, with
  // the longer text timeout. Throws SourceError.
  std::map<StatementKey, std::string> fetch_texts(const std::vector<StatementKey>& keys);

  // Known after the first successful poll.
  const std::optional<PgssExtension>& extension() const { return extension_; }
  const std::string& current_user() const { return current_user_; }

  // Text queries run and keys whose text was asked for, since construction.
  int64_t text_queries() const { return text_queries_; }
  int64_t texts_requested() const { return texts_requested_; }

  // Closes the connection; the next call reconnects.
  void disconnect();

 private:
  struct Session;  // the libpqxx connection
  Session& session();
  void probe();
  [[noreturn]] void fail(std::string_view doing, const std::exception& e);
  [[noreturn]] void fail_to_connect(const std::exception& e);

  std::string target_;
  std::string conninfo_;
  std::chrono::milliseconds text_timeout_;
  std::unique_ptr<Session> session_;
  std::optional<PgssExtension> extension_;
  std::string statements_sql_;
  std::string texts_sql_;
  std::string facts_sql_;
  std::string current_user_;
  int64_t text_queries_ = 0;
  int64_t texts_requested_ = 0;
};

}  // namespace slowscope
