// Connection strings as users write them for libpq: descriptions safe to log, a check that
// one is well formed, and the string with parameters slowscope adds. Pure functions,
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace slowscope {

// `dsn` with every password replaced by "***": the value of a `password=` keyword, the
// password of a URI's user info, and a `password` URI parameter. A string that cannot be
// read as either form is described as "<unreadable connection string>" rather than shown.
std::string redact_dsn(std::string_view dsn);

// True when libpq accepts `dsn` as a connection string (key=value form or URI).
bool is_valid_dsn(std::string_view dsn);

// True when `message`, libpq's text for a connection that failed, says the server refused
// the login — wrong password, unknown role or database, a pg_hba.conf rule, no CONNECT
// privilege — which retrying cannot mend, unlike a server that is down or busy. Knows
// the English texts (servers with another lc_messages are not recognised).
bool libpq_login_refused(std::string_view message);

// `value` as a key=value connection string value: single-quoted, ' and \ escaped.
std::string quote_dsn_value(std::string_view value);

// `dsn` (either form) rewritten in key=value form, with `keyword`=`value` added unless `dsn`
// sets it. Keeps any password: pass the result to libpq only. Throws InvalidInput
// (without the dsn's text) when libpq cannot read `dsn`.
std::string dsn_with_default(std::string_view dsn, std::string_view keyword,
                             std::string_view value);

}  // namespace slowscope
