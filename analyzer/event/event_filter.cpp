#include "analyzer/event/event_filter.h"

#include <stdexcept>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

bool any_match(const std::vector<std::string>& patterns, std::string_view value) {
  if (patterns.empty()) return true;
  for (const auto& p : patterns)
    if (wildcard_match(p, value)) return true;
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool wildcard_match(std::string_view pattern, std::string_view text) {
  // Greedy matching with backtracking to the last star: linear for practical patterns.
  size_t p = 0, t = 0, star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

EventFilter EventFilter::parse(std::string_view spec) {
  EventFilter filter;
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    const std::string_view item = trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos)
      throw InvalidInput("filter '" + std::string(item) +
                         "' is not key=value (keys: db, user, host)");
    filter.allow(trim(item.substr(0, eq)), trim(item.substr(eq + 1)));
  }
  return filter;
}

void EventFilter::set_window(std::optional<int64_t> since_us, std::optional<int64_t> until_us) {
  if (since_us && until_us && *since_us >= *until_us)
    throw InvalidInput("--since must be before --until");
  since_us_ = since_us;
  until_us_ = until_us;
}

void EventFilter::allow(std::string_view key, std::string_view pattern) {
  if (key == "db") {
    dbs_.emplace_back(pattern);
  } else if (key == "user") {
    users_.emplace_back(pattern);
  } else if (key == "host") {
    hosts_.emplace_back(pattern);
  } else {
    throw InvalidInput("unknown filter key '" + std::string(key) + "' (keys: db, user, host)");
  }
}

bool EventFilter::accepts(const QueryEvent& event) const {
  if (since_us_ || until_us_) {
    if (!event.ts_us) return false;
    if (since_us_ && *event.ts_us < *since_us_) return false;
    if (until_us_ && *event.ts_us >= *until_us_) return false;
  }
  return any_match(dbs_, event.db) && any_match(users_, event.user) &&
         any_match(hosts_, event.host);
}

bool EventFilter::accepts_everything() const {
  return !since_us_ && !until_us_ && dbs_.empty() && users_.empty() && hosts_.empty();
}

}  // namespace slowscope
