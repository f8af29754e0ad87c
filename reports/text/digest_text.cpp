#include "reports/text/digest_text.h"

#include <algorithm>
#include <cstdio>

#include "analyzer/time/utc_time.h"
#include "reports/text/units.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

constexpr size_t kFingerprintColumn = 70;
constexpr size_t kHistogramWidth = 40;

std::string time_or_dash(const std::optional<int64_t>& us) { return us ? format_utc(*us) : "-"; }

std::string percent(double fraction) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", fraction * 100);
  return buf;
}

const char* rank_name(RankBy by) {
  switch (by) {
    case RankBy::kTotalTime: return "total time";
    case RankBy::kMeanTime: return "mean time";
    case RankBy::kCalls: return "calls";
    case RankBy::kP95Time: return "95th percentile time";
    case RankBy::kRowsExamined: return "rows examined";
  }
  return "";
}

bool is_time_metric(std::string_view name) {
  return name.size() > 5 && name.substr(name.size() - 5) == "_time";
}

std::string metric_cell(std::string_view name, double value) {
  return is_time_metric(name) ? format_seconds(value) : format_count(value);
}

template <typename Map>
std::string top_counts(const Map& counts, uint64_t calls) {
  std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  const size_t shown = std::min<size_t>(sorted.size(), 3);
  for (size_t i = 0; i < shown; ++i) {
    if (i) out += ", ";
    out += terminal_safe(sorted[i].first, 40) + " " +
           percent(calls ? double(sorted[i].second) / double(calls) : 0);
  }
  if (sorted.size() > shown) out += ", +" + std::to_string(sorted.size() - shown) + " more";
  return out.empty() ? "-" : out;
}

void write_header(std::ostream& out, const DigestReport& r) {
  const auto& s = r.summary;
  out << "# slowscope digest of " << r.inputs.size() << (r.inputs.size() == 1 ? " input" : " inputs")
      << ": " << format_bytes(double(r.total_bytes())) << ", " << s.events << " events, "
      << r.total_classes << " query shapes\n";
  out << "# time range: " << time_or_dash(s.first_seen_us) << " to "
      << time_or_dash(s.last_seen_us) << "; total query time "
      << format_seconds(s.total_query_time()) << "\n";
  if (s.sampled)
    out << "# sampled log (Log_slow_rate_limit): about " << format_count(s.estimated_events)
        << " statements ran; calls below count logged entries\n";
  if (r.filtered) out << "# " << r.filtered << " entries excluded by --since/--until/--filter\n";
  for (const auto& input : r.inputs) {
    if (input.skipped) {
      out << "# " << terminal_safe(input.name, 200) << ": skipped " << input.skipped
          << " unreadable stretches, first at line";
      for (size_t i = 0; i < input.first_skipped_lines.size(); ++i)
        out << (i ? ", " : " ") << input.first_skipped_lines[i];
      out << "\n";
    }
    if (input.truncated_last_entry)
      out << "# " << terminal_safe(input.name, 200)
          << ": ends inside an entry (still being written?); that entry was ignored\n";
    if (input.truncated_statements)
      out << "# " << terminal_safe(input.name, 200) << ": statements longer than "
          << format_bytes(double(r.max_statement_bytes))
          << ", cut to that and counted: " << input.truncated_statements
          << " (--max-statement-bytes)\n";
    if (input.bad_query_time)
      out << "# " << terminal_safe(input.name, 200)
          << ": entries skipped because their Query_time is not a number >= 0: "
          << input.bad_query_time << ", first at line " << input.first_bad_query_time_line
          << "\n";
    if (input.headerless)
      out << "# " << terminal_safe(input.name, 200)
          << ": statements without a slow-log header (bare SQL) skipped: " << input.headerless
          << ", first at line " << input.first_headerless_line << "\n";
  }
  if (s.saturated_values)
    out << "# attribute values beyond 9.2e12 (a corrupt log?) counted as 9.2e12: "
        << s.saturated_values << "\n";
  out << "# ranked by " << rank_name(r.ranked_by) << "; showing " << r.classes.size() << " of "
      << r.total_classes << "\n\n";
}

void write_profile(std::ostream& out, const DigestReport& r) {
  const double total = r.summary.total_query_time();
  char line[256];
  std::snprintf(line, sizeof line, "%4s  %-32s  %8s  %6s  %8s  %8s  %8s  %s\n", "Rank", "Query ID",
                "Total", "Share", "Calls", "Mean", "P95", "Fingerprint");
  out << line;
  for (size_t i = 0; i < r.classes.size(); ++i) {
    const QueryClass& c = r.classes[i];
    const MetricSummary* qt = c.metric("Query_time");
    const double sum = qt ? qt->sum() : 0;
    std::snprintf(line, sizeof line, "%4zu  %-32s  %8s  %6s  %8s  %8s  %8s  ", i + 1,
                  c.query_id.c_str(), format_seconds(sum).c_str(),
                  percent(total > 0 ? sum / total : 0).c_str(),
                  format_count(double(c.calls)).c_str(),
                  format_seconds(qt ? qt->mean() : 0).c_str(),
                  format_seconds(qt ? qt->percentile_95() : 0).c_str());
    out << line << terminal_safe(c.fingerprint, kFingerprintColumn) << "\n";
  }
}

void write_histogram(std::ostream& out, const MetricSummary& query_time) {
  static constexpr const char* kLabels[] = {"  1us", " 10us", "100us", "  1ms",
                                            " 10ms", "100ms", "   1s", " 10s+"};
  const auto counts = query_time.sketch().decade_histogram();
  const uint64_t peak = *std::max_element(counts.begin(), counts.end());
  out << "#   Query_time distribution\n";
  for (size_t i = 0; i < counts.size(); ++i) {
    const size_t bar = peak ? size_t((counts[i] * kHistogramWidth + peak - 1) / peak) : 0;
    out << "#     " << kLabels[i] << "  " << std::string(bar, '#');
    if (counts[i]) out << " " << counts[i];
    out << "\n";
  }
}

void write_detail(std::ostream& out, const DigestReport& r, const QueryClass& c, size_t rank) {
  out << "\n# " << rank << ". " << c.query_id << "  " << terminal_safe(c.fingerprint, 120) << "\n";
  out << "#   calls " << c.calls;
  if (c.sampled) out << " (sampled; about " << format_count(c.estimated_calls) << " ran)";
  out << "; seen " << time_or_dash(c.first_seen_us) << " to " << time_or_dash(c.last_seen_us)
      << "\n";
  out << "#   databases: " << top_counts(c.databases, c.calls)
      << "\n#   users: " << top_counts(c.users, c.calls)
      << "\n#   hosts: " << top_counts(c.hosts, c.calls) << "\n";
  if (!c.tables.empty()) {
    out << "#   tables:";
    for (const auto& t : c.tables) out << " " << terminal_safe(t, 64);
    out << "\n";
  }
  char line[256];
  std::snprintf(line, sizeof line, "#   %-22s %8s %8s %8s %8s %8s %8s %8s %8s\n", "attribute",
                "total", "min", "max", "mean", "p50", "p95", "p99", "stddev");
  out << line;
  // Query_time first, then the others in name order.
  std::vector<std::pair<std::string_view, const MetricSummary*>> rows;
  if (const MetricSummary* qt = c.metric("Query_time")) rows.emplace_back("Query_time", qt);
  for (const auto& [name, m] : c.metrics)
    if (name != "Query_time") rows.emplace_back(name, &m);
  for (const auto& [name, m] : rows) {
    std::snprintf(line, sizeof line, "#   %-22s %8s %8s %8s %8s %8s %8s %8s %8s\n",
                  terminal_safe(name, 22).c_str(), metric_cell(name, m->sum()).c_str(),
                  metric_cell(name, m->min()).c_str(), metric_cell(name, m->max()).c_str(),
                  metric_cell(name, m->mean()).c_str(), metric_cell(name, m->quantile(0.5)).c_str(),
                  metric_cell(name, m->percentile_95()).c_str(),
                  metric_cell(name, m->quantile(0.99)).c_str(), metric_cell(name, m->stddev()).c_str());
    out << line;
  }
  for (const auto& [name, flag] : c.flags)
    out << "#   " << terminal_safe(name, 22) << ": yes " << flag.true_count << " of " << flag.count
        << "\n";
  if (const MetricSummary* qt = c.metric("Query_time")) write_histogram(out, *qt);
  const std::string& input =
      c.example.input < r.inputs.size() ? r.inputs[c.example.input].name : std::string();
  out << "#   slowest: " << format_seconds(c.example.query_time) << " at "
      << time_or_dash(c.example.ts_us) << ", line " << c.example.line << " of "
      << terminal_safe(input, 200);
  if (!c.example.db.empty()) out << ", db " << terminal_safe(c.example.db, 64);
  out << (r.literal_examples ? "\n" : " (fingerprint shown; --examples shows the statement)\n");
  out << "    " << terminal_safe(example_text(c, r.literal_examples), 4000) << "\n";
}

}  // namespace

std::string terminal_safe(std::string_view text, size_t max_width) {
  std::string out;
  out.reserve(std::min(text.size(), max_width) + 8);
  size_t width = 0;
  auto hex_bytes = [&](std::string_view bytes) {
    for (const char byte : bytes) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(byte));
      out += buf;
      width += 4;
    }
  };
  for (size_t i = 0; i < text.size();) {
    if (width >= max_width) {
      out += "...";
      break;
    }
    const DecodedCodePoint d = decode_utf8(text, i);
    const char32_t c = d.code_point;
    const std::string_view bytes = text.substr(i, d.length);
    i += d.length;
    if (c == '\n' || c == '\t' || c == '\r') {
      if (!out.empty() && out.back() != ' ') {
        out += ' ';
        ++width;
      }
    } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
               (c == kReplacementCharacter && bytes != "\xEF\xBF\xBD")) {
      // Control bytes (escape sequences an attacker could log; C1 controls such as CSI,
      // which terminals also obey) and bytes that are not UTF-8, as they are in the text.
      hex_bytes(bytes);
    } else if (is_hidden_or_reordering(c)) {
      // Bidi overrides and invisible characters would make the text read differently.
      const size_t before = out.size();
      append_visible_escape(out, c);
      width += out.size() - before;
    } else {
      out += bytes;
      ++width;
    }
  }
  return out;
}

void write_digest_text(std::ostream& out, const DigestReport& report) {
  write_header(out, report);
  if (report.classes.empty()) {
    out << "No statements to report.\n";
    return;
  }
  write_profile(out, report);
  for (size_t i = 0; i < report.classes.size(); ++i)
    write_detail(out, report, report.classes[i], i + 1);
}

}  // namespace slowscope
