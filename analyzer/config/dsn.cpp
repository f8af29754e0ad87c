#include "analyzer/config/dsn.h"

#include <libpq-fe.h>

#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

constexpr std::string_view kMask = "***";
constexpr std::string_view kUnreadable = "<unreadable connection string>";

bool starts_with_uri_scheme(std::string_view dsn) {
  return dsn.starts_with("postgresql://") || dsn.starts_with("postgres://");
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// URI form: postgresql://[user[:password]@][hosts][/dbname][?key=value&...]
std::string redact_uri(std::string_view uri) {
  const size_t authority = uri.find("://") + 3;
  std::string out(uri.substr(0, authority));
  // libpq ends the user info at the first '@' or '/', so a '/' before any '@' means none.
  const size_t end_of_userinfo = uri.find_first_of("@/?", authority);
  size_t rest = authority;
  if (end_of_userinfo != std::string_view::npos && uri[end_of_userinfo] == '@') {
    std::string_view userinfo = uri.substr(authority, end_of_userinfo - authority);
    const size_t colon = userinfo.find(':');
    out += userinfo.substr(0, colon);
    if (colon != std::string_view::npos) {
      out += ':';
      out += kMask;
    }
    out += '@';
    rest = end_of_userinfo + 1;
  }
  const size_t query = uri.find('?', rest);
  out += uri.substr(rest, query == std::string_view::npos ? query : query - rest);
  if (query == std::string_view::npos) return out;
  out += '?';
  std::string_view params = uri.substr(query + 1);
  bool first = true;
  while (true) {
    const size_t amp = params.find('&');
    std::string_view param = params.substr(0, amp);
    if (!first) out += '&';
    first = false;
    const size_t eq = param.find('=');
    if (eq != std::string_view::npos && param.substr(0, eq) == "password") {
      out += "password=";
      out += kMask;
    } else {
      out += param;
    }
    if (amp == std::string_view::npos) break;
    params.remove_prefix(amp + 1);
  }
  return out;
}

// key=value form, following libpq's rules: values are single-quoted (with \' and \\) or
// run to the next space, and a backslash escapes the next character in either.
std::optional<std::string> redact_keyword_value(std::string_view dsn) {
  std::string out;
  size_t i = 0;
  const size_t n = dsn.size();
  while (i < n) {
    const size_t word_start = i;
    while (i < n && is_space(dsn[i])) ++i;
    if (i == n) {
      out += dsn.substr(word_start);
      break;
    }
    const size_t key_start = i;
    while (i < n && dsn[i] != '=' && !is_space(dsn[i])) ++i;
    std::string_view key = dsn.substr(key_start, i - key_start);
    while (i < n && is_space(dsn[i])) ++i;
    if (i == n || dsn[i] != '=' || key.empty()) return std::nullopt;
    ++i;
    while (i < n && is_space(dsn[i])) ++i;
    const size_t value_start = i;
    if (i < n && dsn[i] == '\'') {
      ++i;
      while (i < n && dsn[i] != '\'') i += dsn[i] == '\\' ? 2 : 1;
      if (i >= n) return std::nullopt;
      ++i;
    } else {
      while (i < n && !is_space(dsn[i])) i += dsn[i] == '\\' ? 2 : 1;
      i = std::min(i, n);
    }
    out += dsn.substr(word_start, value_start - word_start);
    if (key == "password") {
      out += kMask;
    } else {
      out += dsn.substr(value_start, i - value_start);
    }
  }
  return out;
}

}  // namespace

std::string redact_dsn(std::string_view dsn) {
  if (starts_with_uri_scheme(dsn)) return redact_uri(dsn);
  return redact_keyword_value(dsn).value_or(std::string(kUnreadable));
}

bool is_valid_dsn(std::string_view dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(dsn).c_str(), &error);
  // libpq's message may quote the string, password included: it is dropped, not shown.
  PQfreemem(error);
  if (options == nullptr) return false;
  PQconninfoFree(options);
  return true;
}

bool libpq_login_refused(std::string_view message) {
  for (const std::string_view refusal : {
           "authentication failed",           // password, md5, scram, peer, ident, ...
           "no pg_hba.conf entry",            // 28000
           "pg_hba.conf rejects connection",  // 28000
           "no password supplied",            // libpq: a password is required
           "is not permitted to log in",      // a role without LOGIN
           "permission denied for database",  // no CONNECT privilege
       }) {
    if (message.find(refusal) != std::string_view::npos) return true;
  }
  // 'role "x" does not exist', 'database "x" does not exist'
  for (const std::string_view object : {"role \"", "database \""}) {
    const size_t at = message.find(object);
    if (at != std::string_view::npos &&
        message.find("\" does not exist", at + object.size()) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::string quote_dsn_value(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string dsn_with_default(std::string_view dsn, std::string_view keyword,
                             std::string_view value) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)> parsed(
      PQconninfoParse(std::string(dsn).c_str(), &error), PQconninfoFree);
  // libpq's message may quote the string, password included: it is dropped, not shown.
  PQfreemem(error);
  if (!parsed) throw InvalidInput("not a valid connection string");
  // Ordered, so that the result does not depend on libpq's option order.
  std::map<std::string, std::string, std::less<>> params;
  for (const PQconninfoOption* o = parsed.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr) params[o->keyword] = o->val;
  }
  params.try_emplace(std::string(keyword), value);
  std::string out;
  for (const auto& [key, text] : params) {
    out += (out.empty() ? "" : " ") + key + "=" + quote_dsn_value(text);
  }
  return out;
}

}  // namespace slowscope
