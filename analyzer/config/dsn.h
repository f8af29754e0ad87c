// Connection strings as users write them for libpq: descriptions safe to log, and a check
// that one is well formed. Pure functions, thread-safe.
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

}  // namespace slowscope
