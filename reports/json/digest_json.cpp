#include "reports/json/digest_json.h"

#include <array>
#include <cctype>

#include "analyzer/time/utc_time.h"

namespace slowscope {
namespace {

using Json = nlohmann::ordered_json;

Json timestamp(const std::optional<int64_t>& us) { return us ? Json(format_utc(*us)) : Json(); }

Json metric_json(const MetricSummary& m) {
  return Json{{"count", m.count()},   {"sum", m.sum()},
              {"min", m.min()},       {"max", m.max()},
              {"mean", m.mean()},     {"stddev", m.stddev()},
              {"p50", m.quantile(0.5)}, {"p95", m.percentile_95()},
              {"p99", m.quantile(0.99)}};
}

template <typename Map>
Json counts_json(const Map& counts) {
  Json out = Json::object();
  for (const auto& [name, n] : counts) out[name] = n;
  return out;
}

Json class_json(const DigestReport& report, const QueryClass& c, size_t rank) {
  const double total = report.summary.total_query_time();
  const MetricSummary* qt = c.metric("Query_time");
  Json j;
  j["rank"] = rank;
  j["query_id"] = c.query_id;
  j["legacy_query_id"] = c.legacy_query_id;
  j["fingerprint"] = c.fingerprint;
  j["calls"] = c.calls;
  j["estimated_calls"] = c.estimated_calls;
  j["sampled"] = c.sampled;
  j["share"] = total > 0 && qt ? std::min(1.0, qt->sum() / total) : 0.0;
  // Query_time first since everything ranks by it; every class has it, logged or not.
  j["query_time"] = metric_json(qt ? *qt : MetricSummary{});
  for (const auto& [name, summary] : c.metrics)
    if (name != "Query_time") j[metric_key(name)] = metric_json(summary);
  Json flags = Json::object();
  for (const auto& [name, flag] : c.flags) flags[metric_key(name)] = flag.true_count;
  j["flags"] = std::move(flags);
  j["tables"] = c.tables;
  j["databases"] = counts_json(c.databases);
  j["users"] = counts_json(c.users);
  j["hosts"] = counts_json(c.hosts);
  j["first_seen"] = timestamp(c.first_seen_us);
  j["last_seen"] = timestamp(c.last_seen_us);
  const auto input = c.example.input < report.inputs.size() ? report.inputs[c.example.input].name
                                                            : std::string();
  j["example"] = Json{{"query", example_text(c, report.literal_examples)},
                      {"literal", report.literal_examples},
                      {"query_time", c.example.query_time},
                      {"ts", timestamp(c.example.ts_us)},
                      {"db", c.example.db},
                      {"input", input},
                      {"line", std::max<uint64_t>(1, c.example.line)}};
  return j;
}

}  // namespace

std::string metric_key(std::string_view attribute_name) {
  static constexpr std::array<std::string_view, 18> kReserved = {
      "rank",   "query_id", "legacy_query_id", "fingerprint", "calls",      "estimated_calls",
      "sampled", "share",   "flags",           "tables",      "databases",  "users",
      "hosts",  "first_seen", "last_seen",     "example",     "query_time", "schema"};
  std::string key(attribute_name);
  for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (auto reserved : kReserved)
    if (key == reserved && attribute_name != "Query_time") return "attr_" + key;
  return key;
}

Json digest_to_json(const DigestReport& report) {
  Json summary;
  summary["events"] = report.summary.events;
  summary["estimated_events"] = report.summary.estimated_events;
  summary["classes"] = report.total_classes;
  summary["bytes"] = report.total_bytes();
  uint64_t lines = 0;
  for (const auto& input : report.inputs) lines += input.lines;
  summary["lines"] = lines;
  summary["skipped"] = report.total_skipped();
  Json skipped_lines = Json::array();
  Json truncated = Json::array();
  for (const auto& input : report.inputs) {
    for (uint64_t line : input.first_skipped_lines)
      skipped_lines.push_back(Json{{"input", input.name}, {"line", line}});
    if (input.truncated_last_entry) truncated.push_back(input.name);
  }
  summary["skipped_lines"] = std::move(skipped_lines);
  summary["truncated_inputs"] = std::move(truncated);
  summary["truncated_statements"] = report.total_truncated_statements();
  summary["max_statement_bytes"] = report.max_statement_bytes;
  summary["bad_query_time"] = report.total_bad_query_time();
  summary["headerless"] = report.total_headerless();
  summary["saturated_values"] = report.summary.saturated_values;
  summary["filtered"] = report.filtered;
  summary["first_seen"] = timestamp(report.summary.first_seen_us);
  summary["last_seen"] = timestamp(report.summary.last_seen_us);
  summary["query_time"] = report.summary.total_query_time();
  Json inputs = Json::array();
  for (const auto& input : report.inputs) inputs.push_back(input.name);
  summary["inputs"] = std::move(inputs);
  summary["sampled"] = report.summary.sampled;

  Json classes = Json::array();
  for (size_t i = 0; i < report.classes.size(); ++i)
    classes.push_back(class_json(report, report.classes[i], i + 1));

  Json doc;
  doc["schema"] = kDigestSchemaId;
  doc["summary"] = std::move(summary);
  doc["classes"] = std::move(classes);
  return doc;
}

}  // namespace slowscope
