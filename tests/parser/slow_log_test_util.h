// Helpers for the slow-log parser tests and fuzz target: an owning copy of a QueryEvent
// (events are views valid only inside the sink), a readable dump of one, and the same
// per-event line that tests/parser/pt_reference_events.pl prints for pt-query-digest.
// Plain functions and values; no shared state.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "analyzer/event/query_event.h"
#include "connectors/mysql/slow_log_parser.h"

namespace slowscope::testing {

using OwnedValue = std::variant<double, bool, std::string>;

struct OwnedEvent {
  std::string query;
  bool admin_command = false;
  std::string db, user, host;
  std::optional<int64_t> ts_us;
  double query_time = 0, lock_time = 0, sample_rate = 1;
  std::vector<std::pair<std::string, OwnedValue>> attributes;
  uint64_t line = 0, offset = 0;

  bool operator==(const OwnedEvent&) const = default;

  // The last value logged under `name`, if any.
  const OwnedValue* Find(std::string_view name) const {
    const OwnedValue* found = nullptr;
    for (const auto& [n, v] : attributes) {
      if (n == name) found = &v;
    }
    return found;
  }
  double Number(std::string_view name) const {
    const OwnedValue* v = Find(name);
    return v != nullptr && std::holds_alternative<double>(*v) ? std::get<double>(*v) : NAN;
  }
};

inline OwnedEvent Own(const QueryEvent& e) {
  OwnedEvent o;
  o.query = e.query;
  o.admin_command = e.admin_command;
  o.db = e.db;
  o.user = e.user;
  o.host = e.host;
  o.ts_us = e.ts_us;
  o.query_time = e.query_time;
  o.lock_time = e.lock_time;
  o.sample_rate = e.sample_rate;
  for (const Attribute& a : e.attributes) {
    OwnedValue v;
    if (const auto* d = std::get_if<double>(&a.value)) {
      v = *d;
    } else if (const auto* b = std::get_if<bool>(&a.value)) {
      v = *b;
    } else {
      v = std::string(std::get<std::string_view>(a.value));
    }
    o.attributes.emplace_back(std::string(a.name), std::move(v));
  }
  o.line = e.line;
  o.offset = e.offset;
  return o;
}

inline std::string Escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

inline std::string FormatNumber(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

inline std::string ValueText(const OwnedValue& v) {
  if (const auto* d = std::get_if<double>(&v)) return FormatNumber(*d);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "Yes" : "No";
  return std::get<std::string>(v);
}

// The line pt_reference_events.pl prints for the same event: attributes last-wins by name,
// "Id" from the User@Host line under pt's name Thread_id, Schema folded into db, ts in
// whole seconds.
inline std::string PtLine(const OwnedEvent& e) {
  std::map<std::string, std::string> kv;
  for (const auto& [name, value] : e.attributes) {
    if (name == "Schema") continue;
    if (name == "Id") {
      if (std::holds_alternative<double>(value) && std::get<double>(value) != 0) {
        kv["Thread_id"] = ValueText(value);
      }
      continue;
    }
    kv[name] = ValueText(value);
  }
  kv["arg"] = e.query;
  kv["cmd"] = e.admin_command ? "Admin" : "Query";
  if (!e.db.empty()) kv["db"] = e.db;
  if (!e.user.empty()) {
    kv["user"] = e.user;
    kv["host"] = e.host;
  }
  if (e.ts_us) {
    int64_t secs = *e.ts_us / 1000000;
    if (*e.ts_us < 0 && *e.ts_us % 1000000 != 0) --secs;
    kv["ts"] = std::to_string(secs);
  }
  std::string out;
  for (const auto& [k, v] : kv) {
    if (!out.empty()) out += '\t';
    out += k;
    out += '=';
    out += Escape(v);
  }
  return out;
}

// Everything about an event, for failure messages.
inline std::string Describe(const OwnedEvent& e) {
  std::string out = "line " + std::to_string(e.line) + " @" + std::to_string(e.offset) +
                    (e.admin_command ? " admin" : "") + " query=\"" + Escape(e.query) +
                    "\" db=" + e.db + " user=" + e.user + " host=" + e.host +
                    " ts=" + (e.ts_us ? std::to_string(*e.ts_us) : "-") +
                    " qt=" + FormatNumber(e.query_time) + " lt=" + FormatNumber(e.lock_time) +
                    " rate=" + FormatNumber(e.sample_rate) + " attrs{";
  for (const auto& [n, v] : e.attributes) out += " " + n + "=" + Escape(ValueText(v));
  return out + " }";
}

inline std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct ParsedLog {
  std::vector<OwnedEvent> events;
  ParseStats stats;
};

// Parses `log` in one go, or in pieces of `piece` bytes.
inline ParsedLog ParseLog(std::string_view log, const SlowLogParserOptions& options = {},
                          size_t piece = 0) {
  ParsedLog out;
  SlowLogParser parser([&](const QueryEvent& e) { out.events.push_back(Own(e)); }, options);
  if (piece == 0) piece = log.size() + 1;
  for (size_t pos = 0; pos < log.size(); pos += piece) parser.feed(log.substr(pos, piece));
  parser.finish();
  out.stats = parser.stats();
  return out;
}

}  // namespace slowscope::testing
