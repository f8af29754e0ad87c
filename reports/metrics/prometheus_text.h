// Prometheus' text exposition format (version 0.0.4), as node_exporter's textfile collector
// and Pushgateway read it: each metric family as a `# HELP` line, a `# TYPE` line and its
// samples, `name{label="value",...} value`, one per line, the file ending in a newline.
// render_prometheus_text writes families; read_prometheus_samples reads samples back (what
// a command carries forward from the file its previous run wrote).
//
// The renderer checks names (metric and label names as the format allows them) and refuses
// a family that breaks the format's rules — a name twice, a series twice — since a file
// Prometheus refuses alerts nobody. Label values are escaped as the format says; what goes
// into them is the caller's concern (slowscope's metrics hold target, sink and kind names,
// never query text).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slowscope {

enum class MetricType { kGauge, kCounter };

// One series of a family: its labels (name, value), in the order written, and its value.
struct MetricSample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

struct MetricFamily {
  std::string name;  // e.g. "slowscope_cycles_total": counters end in _total
  std::string help;  // one line, what the value means and its unit
  MetricType type = MetricType::kGauge;
  std::vector<MetricSample> samples;
};

// A sample as read_prometheus_samples reads it.
struct ReadSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// The text of `families` in the exposition format; families without samples are left out.
// Throws std::invalid_argument for a metric or label name the format does not allow, a
// family name given twice, a counter whose name does not end in _total, or two samples of
// a family with the same labels.
std::string render_prometheus_text(const std::vector<MetricFamily>& families);

// The samples of `text`, in order; comment lines, and lines this reader cannot read, are
// skipped (it reads what render_prometheus_text writes, and is lenient with the rest).
std::vector<ReadSample> read_prometheus_samples(std::string_view text);

}  // namespace slowscope
