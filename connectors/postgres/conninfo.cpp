#include "connectors/postgres/conninfo.h"

#include <libpq-fe.h>

#include <map>
#include <memory>

#include "analyzer/config/dsn.h"
#include "analyzer/config/password_file.h"

namespace slowscope {

std::string collector_conninfo(const TargetConfig& target, const SessionLimits& limits) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> parsed(
      PQconninfoParse(target.dsn.c_str(), &error), PQconninfoFree);
  if (!parsed) {
    std::string why = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    while (!why.empty() && why.back() == '\n') why.pop_back();
    throw ConfigError("target " + target.name + ": dsn " + redact_dsn(target.dsn) +
                      " is not a valid connection string: " + why);
  }
  // Ordered, so that the resulting string does not depend on libpq's option order.
  std::map<std::string, std::string> params;
  for (const PQconninfoOption* o = parsed.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr) params[o->keyword] = o->val;
  }
  // pg_stat_activity and the server's log show slowscope's sessions as such, unless the
  // user named them (application_name in the dsn, or PGAPPNAME).
  params.try_emplace("fallback_application_name", "slowscope");
  params.try_emplace("connect_timeout", std::to_string(limits.connect_timeout.count()));
  params.try_emplace("keepalives", "1");
  params.try_emplace("keepalives_idle", std::to_string(limits.keepalives_idle.count()));
  params.try_emplace("keepalives_interval", "10");
  params.try_emplace("keepalives_count", "3");
  std::string& options = params["options"];
  options += (options.empty() ? "" : " ") + std::string("-c statement_timeout=") +
             std::to_string(limits.statement_timeout.count()) +
             " -c lock_timeout=" + std::to_string(limits.lock_timeout.count());
  if (!target.password_file.empty()) params["password"] = read_password_file(target.password_file);

  std::string conninfo;
  for (const auto& [key, value] : params) {
    conninfo += (conninfo.empty() ? "" : " ") + key + "=" + quote_dsn_value(value);
  }
  return conninfo;
}

}  // namespace slowscope
