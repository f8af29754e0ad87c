// Test support: a strict reader of Prometheus' text exposition format (0.0.4), written from
// the format's description rather than from slowscope's renderer, so that a file the
// renderer gets wrong fails here as it would in node_exporter's textfile collector. It
// refuses what Prometheus refuses — a bad metric or label name, a bad escape, a value Go
// cannot parse, TYPE after a family's samples, a family split in two, a series given
// twice, a missing final newline — and what the conventions forbid (a counter whose name
// does not end in _total, or below 0; HELP or TYPE missing). Header-only.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace slowscope::testing {

struct PromSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// A file read by read_prom_text.
struct PromText {
  std::vector<std::string> errors;  // empty: the file is good
  std::vector<PromSample> samples;
  std::map<std::string, std::string> types;  // by family name
  std::map<std::string, std::string> help;

  // The value of the one sample `name` with exactly `labels`; NaN when there is none.
  double value(const std::string& name, const std::map<std::string, std::string>& labels) const {
    for (const PromSample& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return std::nan("");
  }
  // The samples of `name` whose labels include `labels`.
  std::vector<PromSample> matching(const std::string& name,
                                   const std::map<std::string, std::string>& labels = {}) const {
    std::vector<PromSample> out;
    for (const PromSample& s : samples) {
      if (s.name != name) continue;
      bool all = true;
      for (const auto& [k, v] : labels) {
        const auto it = s.labels.find(k);
        all = all && it != s.labels.end() && it->second == v;
      }
      if (all) out.push_back(s);
    }
    return out;
  }
};

inline bool prom_go_float(const std::string& word, double& value) {
  static const std::regex number(
      R"([+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|Inf|inf|NaN))");
  if (!std::regex_match(word, number)) return false;
  if (word == "NaN") {
    value = std::nan("");
  } else if (word.find("Inf") != std::string::npos || word.find("inf") != std::string::npos) {
    value = word[0] == '-' ? -INFINITY : INFINITY;
  } else {
    value = std::stod(word);
  }
  return true;
}

inline PromText read_prom_text(const std::string& text) {
  PromText out;
  const auto fail = [&](size_t line_no, const std::string& why, const std::string& line) {
    out.errors.push_back("line " + std::to_string(line_no) + ": " + why + ": " + line);
  };
  if (!text.empty() && text.back() != '\n') out.errors.push_back("no newline at the end");
  static const std::regex metric_name("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex label_name("[a-zA-Z_][a-zA-Z0-9_]*");
  static const std::regex help_line(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*))");
  static const std::regex type_line(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  std::set<std::string> finished;  // families whose samples ended
  std::string current;             // the family of the last line
  std::set<std::string> series;
  std::istringstream lines(text);
  std::string line;
  size_t no = 0;
  while (std::getline(lines, line)) {
    ++no;
    if (line.empty()) continue;  // allowed, and ignored
    std::smatch m;
    if (line.rfind("# HELP ", 0) == 0) {
      if (!std::regex_match(line, m, help_line)) {
        fail(no, "malformed HELP", line);
      } else if (out.help.count(m[1]) != 0) {
        fail(no, "second HELP", line);
      } else {
        out.help[m[1]] = m[2];
        // HELP escapes only backslash and line feed.
        const std::string h = m[2];
        for (size_t i = 0; i < h.size(); ++i) {
          if (h[i] == '\\' && (i + 1 == h.size() || (h[i + 1] != '\\' && h[i + 1] != 'n'))) {
            fail(no, "bad escape in HELP", line);
          } else if (h[i] == '\\') {
            ++i;
          }
        }
      }
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      if (!std::regex_match(line, m, type_line)) {
        fail(no, "malformed TYPE", line);
      } else if (out.types.count(m[1]) != 0) {
        fail(no, "second TYPE", line);
      } else {
        const std::string name = m[1];
        for (const PromSample& s : out.samples) {
          if (s.name == name) fail(no, "TYPE after samples of its family", line);
        }
        out.types[name] = m[2];
      }
      continue;
    }
    if (line[0] == '#') continue;  // another comment
    // name [{labels}] value [timestamp]
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    PromSample s;
    s.name = line.substr(0, i);
    if (!std::regex_match(s.name, metric_name)) {
      fail(no, "bad metric name", line);
      continue;
    }
    bool good = true;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (good && i < line.size() && line[i] != '}') {
        const size_t eq = line.find('=', i);
        if (eq == std::string::npos) {
          good = false;
          break;
        }
        const std::string name = line.substr(i, eq - i);
        if (!std::regex_match(name, label_name) || name.rfind("__", 0) == 0) good = false;
        i = eq + 1;
        if (i >= line.size() || line[i] != '"') {
          good = false;
          break;
        }
        ++i;
        std::string value;
        bool closed = false;
        while (i < line.size()) {
          const char c = line[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\') {
            if (i >= line.size()) break;
            const char e = line[i++];
            if (e == 'n') {
              value += '\n';
            } else if (e == '\\' || e == '"') {
              value += e;
            } else {
              good = false;
            }
          } else {
            value += c;
          }
        }
        if (!closed || s.labels.count(name) != 0) good = false;
        s.labels[name] = value;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size() || line[i] != '}') good = false;
      ++i;
    }
    if (!good) {
      fail(no, "bad labels", line);
      continue;
    }
    if (i >= line.size() || line[i] != ' ') {
      fail(no, "no value", line);
      continue;
    }
    std::istringstream rest(line.substr(i + 1));
    std::string value_word, timestamp, extra;
    rest >> value_word >> timestamp >> extra;
    if (!prom_go_float(value_word, s.value) || !extra.empty() ||
        (!timestamp.empty() && !std::regex_match(timestamp, std::regex("-?[0-9]+")))) {
      fail(no, "bad value", line);
      continue;
    }
    // The family's lines are together: once another family began, it cannot come back.
    if (s.name != current) {
      if (finished.count(s.name) != 0) fail(no, "family split in two", line);
      if (!current.empty()) finished.insert(current);
      current = s.name;
    }
    std::string key = s.name;
    for (const auto& [k, v] : s.labels) key += "\x1f" + k + "=" + v;
    if (!series.insert(key).second) fail(no, "series given twice", line);
    if (out.types.count(s.name) == 0) fail(no, "sample without TYPE", line);
    if (out.help.count(s.name) == 0) fail(no, "sample without HELP", line);
    const auto type = out.types.find(s.name);
    if (type != out.types.end() && type->second == "counter") {
      if (s.name.size() < 6 || s.name.substr(s.name.size() - 6) != "_total") {
        fail(no, "counter not named *_total", line);
      }
      if (!(s.value >= 0)) fail(no, "counter below 0", line);
    }
    out.samples.push_back(std::move(s));
  }
  return out;
}

// Passes when `text` is a good exposition-format file.
inline ::testing::AssertionResult is_prom_text(const std::string& text) {
  const PromText read = read_prom_text(text);
  if (read.errors.empty()) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  for (const std::string& e : read.errors) failure << e << "\n";
  return failure << "in:\n" << text;
}

}  // namespace slowscope::testing
