#include "reports/metrics/prometheus_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <set>
#include <stdexcept>

namespace slowscope {
namespace {

bool name_start(char c, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}

bool name_char(char c, bool colon) {
  return name_start(c, colon) || (c >= '0' && c <= '9');
}

// [a-zA-Z_:][a-zA-Z0-9_:]* for metric names; label names take no colon.
bool valid_name(std::string_view name, bool colon) {
  if (name.empty() || !name_start(name.front(), colon)) return false;
  for (const char c : name) {
    if (!name_char(c, colon)) return false;
  }
  return true;
}

// A label value as the format quotes it: backslash, double quote and line feed escaped.
std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// HELP text: backslash and line feed escaped.
std::string escape_help(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// A value as Go's ParseFloat reads it: whole numbers (timestamps, counts) without exponent,
// others in the shortest form that reads back the same; NaN and infinities as the format
// spells them.
std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  std::to_chars_result result;
  if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0) {  // 2^53
    result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<int64_t>(value));
  } else {
    result = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  return std::string(buffer, result.ptr);
}

std::string_view type_name(MetricType type) {
  return type == MetricType::kCounter ? "counter" : "gauge";
}

// The text between `{` and `}` of a sample line, read into `labels`; false when malformed.
bool read_labels(std::string_view text, std::map<std::string, std::string>& labels) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    if (i == text.size()) break;
    const size_t equals = text.find('=', i);
    if (equals == std::string_view::npos) return false;
    std::string_view name = text.substr(i, equals - i);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    i = equals + 1;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == text.size() || text[i] != '"') return false;
    ++i;
    std::string value;
    bool closed = false;
    while (i < text.size()) {
      const char c = text[i++];
      if (c == '"') {
        closed = true;
        break;
      }
      if (c == '\\' && i < text.size()) {
        const char next = text[i++];
        value += next == 'n' ? '\n' : next;
      } else {
        value += c;
      }
    }
    if (!closed || !valid_name(name, false)) return false;
    labels[std::string(name)] = std::move(value);
  }
  return true;
}

// The value at the start of `text` (a timestamp may follow); false when there is none.
bool read_value(std::string_view text, double& value) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  const std::string_view word = text.substr(0, text.find(' '));
  if (word == "NaN") {
    value = std::nan("");
    return true;
  }
  if (word == "+Inf" || word == "-Inf") {
    value = word.front() == '+' ? INFINITY : -INFINITY;
    return true;
  }
  const auto result = std::from_chars(word.data(), word.data() + word.size(), value);
  return result.ec == std::errc() && result.ptr == word.data() + word.size() && !word.empty();
}

}  // namespace

std::string render_prometheus_text(const std::vector<MetricFamily>& families) {
  std::string out;
  std::set<std::string_view> names;
  for (const MetricFamily& family : families) {
    if (!valid_name(family.name, true)) {
      throw std::invalid_argument("not a metric name: '" + family.name + "'");
    }
    if (!names.insert(family.name).second) {
      throw std::invalid_argument("metric family '" + family.name + "' given twice");
    }
    if (family.type == MetricType::kCounter &&
        (family.name.size() < 6 || family.name.substr(family.name.size() - 6) != "_total")) {
      throw std::invalid_argument("counter '" + family.name + "' does not end in _total");
    }
    if (family.samples.empty()) continue;
    out += "# HELP " + family.name + " " + escape_help(family.help) + "\n";
    out += "# TYPE " + family.name + " " + std::string(type_name(family.type)) + "\n";
    std::set<std::vector<std::pair<std::string, std::string>>> series;
    for (const MetricSample& sample : family.samples) {
      std::set<std::string_view> label_names;
      for (const auto& [name, value] : sample.labels) {
        if (!valid_name(name, false) || name.starts_with("__")) {
          throw std::invalid_argument("metric '" + family.name + "': not a label name: '" + name +
                                      "'");
        }
        if (!label_names.insert(name).second) {
          throw std::invalid_argument("metric '" + family.name + "': label '" + name +
                                      "' given twice");
        }
      }
      auto sorted = sample.labels;
      std::sort(sorted.begin(), sorted.end());
      if (!series.insert(sorted).second) {
        throw std::invalid_argument("metric '" + family.name + "': a series given twice");
      }
      out += family.name;
      if (!sample.labels.empty()) {
        out += '{';
        for (size_t i = 0; i < sample.labels.size(); ++i) {
          if (i > 0) out += ',';
          out +=
              sample.labels[i].first + "=\"" + escape_label_value(sample.labels[i].second) + "\"";
        }
        out += '}';
      }
      // Appended piece by piece: `" " + std::string` trips GCC 12's -Wrestrict at -O3.
      out += ' ';
      out += format_value(sample.value);
      out += '\n';
    }
  }
  return out;
}

std::vector<ReadSample> read_prometheus_samples(std::string_view text) {
  std::vector<ReadSample> samples;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    size_t i = 0;
    while (i < line.size() && name_char(line[i], true)) ++i;
    ReadSample sample;
    sample.name = std::string(line.substr(0, i));
    if (!valid_name(sample.name, true)) continue;
    std::string_view rest = line.substr(i);
    if (!rest.empty() && rest.front() == '{') {
      // The closing brace is the first one outside a quoted value.
      size_t close = std::string_view::npos;
      bool quoted = false;
      for (size_t j = 1; j < rest.size(); ++j) {
        if (quoted && rest[j] == '\\') {
          ++j;
        } else if (rest[j] == '"') {
          quoted = !quoted;
        } else if (!quoted && rest[j] == '}') {
          close = j;
          break;
        }
      }
      if (close == std::string_view::npos ||
          !read_labels(rest.substr(1, close - 1), sample.labels)) {
        continue;
      }
      rest.remove_prefix(close + 1);
    }
    if (rest.empty() || rest.front() != ' ' || !read_value(rest, sample.value)) continue;
    samples.push_back(std::move(sample));
  }
  return samples;
}

}  // namespace slowscope
