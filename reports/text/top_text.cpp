#include "reports/text/top_text.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "analyzer/time/utc_time.h"
#include "reports/text/digest_text.h"
#include "reports/text/release_text.h"
#include "reports/text/units.h"

namespace slowscope {
namespace {

constexpr size_t kFingerprintWidth = 70;
constexpr size_t kSparklineWidth = 60;

std::string utc(StoreTime t) {
  return format_utc(t.time_since_epoch().count() * 1'000'000);
}

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

void write_measures(std::ostream& out, const Measures& m) {
  out << "  calls " << format_count(static_cast<double>(m.calls)) << ", total "
      << format_seconds(m.total_time) << ", mean " << format_seconds(m.mean_time()) << ", stddev "
      << format_seconds(stddev_time(m)) << ", rows "
      << format_count(static_cast<double>(m.row_count)) << "\n";
  out << "  blocks: shared hit " << format_count(static_cast<double>(m.shared_blks_hit))
      << ", read " << format_count(static_cast<double>(m.shared_blks_read)) << ", temp "
      << format_count(static_cast<double>(m.temp_blks_read + m.temp_blks_written))
      << "; I/O time read " << format_seconds(m.blk_read_time) << ", write "
      << format_seconds(m.blk_write_time) << "; WAL "
      << format_bytes(static_cast<double>(m.wal_bytes)) << "\n";
}

// Releases are where a change in a timeline most often comes from: name them up front.
void write_releases_section(std::ostream& out, const std::vector<Release>& releases) {
  if (releases.empty()) return;
  out << "Releases in this range:\n";
  write_releases_text(out, releases, "  ");
  out << "\n";
}

}  // namespace

std::string sparkline(const std::vector<double>& values, size_t width) {
  static const char* const kBlocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  if (values.empty() || width == 0) return "";
  const size_t columns = std::min(width, values.size());
  std::vector<double> sums(columns, 0.0);
  for (size_t i = 0; i < values.size(); ++i) sums[i * columns / values.size()] += values[i];
  const double top = *std::max_element(sums.begin(), sums.end());
  std::string line;
  for (double v : sums) {
    const int level = top > 0 ? std::clamp(static_cast<int>(v / top * 7.0 + 0.5), 0, 7) : 0;
    line += kBlocks[level];
  }
  return line;
}

void write_top_text(std::ostream& out, const TopReport& report, const TopTextLayout& layout) {
  out << "Top query shapes by " << to_string(report.order) << ", " << utc(report.from) << " to "
      << utc(report.until) << (report.target ? ", target " + *report.target : std::string())
      << "\n\n";
  write_releases_section(out, report.releases);
  if (report.shapes.empty()) {
    out << "No samples in this range.\n";
    return;
  }
  // Ids are plain ASCII, so their length is their width; the column fits the longest.
  const std::string id_header = "query id";
  std::vector<std::string> ids;
  size_t id_width = id_header.size();
  for (const ShapeTotals& s : report.shapes) {
    ids.push_back(terminal_safe(s.shape_hash, layout.full_ids ? 1000 : kShortQueryId));
    id_width = std::max(id_width, ids.back().size());
  }
  const auto left = [](std::string text, size_t width) {
    text.resize(std::max(text.size(), width), ' ');
    return text;
  };
  out << "rank  " << pad("total", 8) << pad("calls", 8) << pad("mean", 8) << pad("rows", 8)
      << pad("io blks", 8) << "  target        " << left(id_header, id_width) << "  fingerprint\n";
  for (size_t i = 0; i < report.shapes.size(); ++i) {
    const ShapeTotals& s = report.shapes[i];
    const Measures& m = s.measures;
    out << pad(std::to_string(i + 1), 4) << "  " << pad(format_seconds(m.total_time), 8)
        << pad(format_count(static_cast<double>(m.calls)), 8)
        << pad(format_seconds(m.mean_time()), 8)
        << pad(format_count(static_cast<double>(m.row_count)), 8)
        << pad(format_count(static_cast<double>(m.io_blocks())), 8) << "  "
        << left(terminal_safe(s.target, 24), 12) << "  " << left(ids[i], id_width) << "  "
        << terminal_safe(s.fingerprint, kFingerprintWidth) << "\n";
  }
}

void write_show_text(std::ostream& out, const ShowReport& report) {
  out << "Query " << terminal_safe(report.shape.info.hash, 40) << ", " << utc(report.from) << " to "
      << utc(report.until) << "\n";
  out << "  " << terminal_safe(report.shape.info.fingerprint, 1000) << "\n";
  if (!report.shape.info.tables.empty()) {
    out << "  tables:";
    for (const auto& t : report.shape.info.tables) out << " " << terminal_safe(t, 100);
    out << "\n";
  }
  if (!report.releases.empty()) out << "\n";
  write_releases_section(out, report.releases);
  if (report.targets.empty()) out << "\nNo samples of this shape in this range.\n";
  for (const ShapeOnTarget& t : report.targets) {
    out << "\nTarget " << terminal_safe(t.target, 64) << "\n";
    write_measures(out, t.totals);
    if (!t.timeline.empty()) {
      std::vector<double> totals, calls;
      for (const auto& p : t.timeline) {
        totals.push_back(p.measures.total_time);
        calls.push_back(static_cast<double>(p.measures.calls));
      }
      out << "  time  " << sparkline(totals, kSparklineWidth) << "\n";
      out << "  calls " << sparkline(calls, kSparklineWidth) << "\n";
      out << "        " << utc(t.timeline.front().bucket_start) << " .. "
          << utc(t.timeline.back().bucket_start) << " (" << t.timeline.size() << " buckets)\n";
    }
    for (const StatementRecord& s : t.statements) {
      out << "  statement: database " << terminal_safe(s.key.database, 20) << ", user "
          << terminal_safe(s.key.user, 20) << ", queryid " << terminal_safe(s.key.query_id, 64)
          << (s.key.toplevel ? "" : " (nested)") << ", server version "
          << terminal_safe(s.server.version, 10) << "\n";
      if (report.examples) out << "    " << terminal_safe(s.query_text, 2000) << "\n";
    }
    if (!report.examples && !t.statements.empty()) {
      out << "  (statement texts not shown: --examples shows them)\n";
    }
  }
}

}  // namespace slowscope
