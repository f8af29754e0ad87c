#include "reports/text/top_text.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/time/utc_time.h"
#include "reports/text/digest_text.h"
#include "reports/text/release_text.h"
#include "reports/text/units.h"

namespace slowscope {
namespace {

constexpr size_t kFingerprintWidth = 70;
constexpr size_t kSparklineWidth = 60;

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text.insert(0, width - text.size(), ' ');
  return text;
}

// A shape's totals in the measures its engine has: PostgreSQL's rows, blocks, I/O time and
// WAL; MySQL's rows sent (or affected) and rows examined.
void write_measures(std::ostream& out, const Measures& m, Engine engine) {
  const auto count = [](int64_t n) { return format_count(static_cast<double>(n)); };
  out << "  calls " << count(m.calls) << ", total " << format_seconds(m.total_time) << ", mean "
      << format_seconds(m.mean_time()) << ", stddev " << format_seconds(stddev_time(m));
  if (engine == Engine::kMysql) {
    out << ", rows sent " << count(m.row_count) << ", rows examined " << count(m.rows_examined)
        << "\n";
    return;
  }
  out << ", rows " << count(m.row_count) << "\n";
  out << "  blocks: shared hit " << count(m.shared_blks_hit) << ", read "
      << count(m.shared_blks_read) << ", temp " << count(m.temp_blks_read + m.temp_blks_written)
      << "; I/O time read " << format_seconds(m.blk_read_time) << ", write "
      << format_seconds(m.blk_write_time) << "; WAL "
      << format_bytes(static_cast<double>(m.wal_bytes)) << "\n";
}

// What a sparkline of `timeline` draws for `value`: one number per bucket when the buckets
// are all as long, else `width` columns over the timeline's time, each bucket's value spread
// over the columns its time covers — so that a day read from the rollup does not stand as
// tall as a day's worth of minutes squeezed into one column.
std::vector<double> sparkline_values(const std::vector<TimelinePoint>& timeline,
                                     double (*value)(const Measures&), size_t width) {
  std::vector<double> values;
  const bool even = std::all_of(timeline.begin(), timeline.end(), [&](const TimelinePoint& p) {
    return p.bucket == timeline.front().bucket;
  });
  if (even || width == 0) {
    for (const TimelinePoint& p : timeline) values.push_back(value(p.measures));
    return values;
  }
  const double from = static_cast<double>(timeline.front().bucket_start.time_since_epoch().count());
  const double until = static_cast<double>(
      (timeline.back().bucket_start + timeline.back().bucket).time_since_epoch().count());
  const double column = (until - from) / static_cast<double>(width);
  values.assign(width, 0.0);
  for (const TimelinePoint& p : timeline) {
    const double start = static_cast<double>(p.bucket_start.time_since_epoch().count());
    const double length = std::max(1.0, static_cast<double>(p.bucket.count()));
    const double amount = value(p.measures);
    for (size_t c = 0; c < width; ++c) {
      const double lo = from + column * static_cast<double>(c);
      const double overlap = std::min(start + length, lo + column) - std::max(start, lo);
      if (overlap > 0) values[c] += amount * overlap / length;
    }
  }
  return values;
}

// "1440 buckets of 1m", or for a timeline read from several tiers "7 buckets of 1d, 23 of
// 1h, 300 of 1m".
std::string bucket_text(const std::vector<TimelinePoint>& timeline) {
  std::vector<std::pair<std::chrono::seconds, size_t>> runs;
  for (const TimelinePoint& p : timeline) {
    if (runs.empty() || runs.back().first != p.bucket) runs.push_back({p.bucket, 0});
    ++runs.back().second;
  }
  std::string text;
  for (const auto& [length, n] : runs) {
    text += (text.empty() ? std::to_string(n) + (n == 1 ? " bucket of " : " buckets of ")
                          : ", " + std::to_string(n) + " of ") +
            format_duration(length.count() * 1'000'000);
  }
  return text;
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
  out << "Top query shapes by " << to_string(report.order) << ", " << format_utc(report.from) << " to "
      << format_utc(report.until) << (report.target ? ", target " + *report.target : std::string())
      << "\n\n";
  write_releases_section(out, report.releases);
  if (report.shapes.empty()) {
    out << "No samples in this range.\n";
    return;
  }
  // Ids and target names are plain ASCII, so their length is their width; the columns fit
  // the longest.
  const std::string id_header = "query id";
  std::vector<std::string> ids, targets;
  size_t id_width = id_header.size();
  size_t target_width = std::string("target").size();
  bool any_mysql = false, any_postgres = false;
  const auto engine_of = [&](const ShapeTotals& s) {
    const auto it = report.engines.find(s.target);
    return it == report.engines.end() ? Engine::kPostgres : it->second;
  };
  for (const ShapeTotals& s : report.shapes) {
    ids.push_back(terminal_safe(s.shape_hash, layout.full_ids ? 1000 : kShortQueryId));
    id_width = std::max(id_width, ids.back().size());
    targets.push_back(terminal_safe(s.target, 64));
    target_width = std::max(target_width, targets.back().size());
    (engine_of(s) == Engine::kMysql ? any_mysql : any_postgres) = true;
  }
  const auto left = [](std::string text, size_t width) {
    text.resize(std::max(text.size(), width), ' ');
    return text;
  };
  // The measures the engines shown have: "-" where a shape's engine has not that one.
  struct Column {
    std::string header;
    size_t width;
    std::function<std::string(const Measures&, Engine)> value;
  };
  const auto count = [](int64_t n) { return format_count(static_cast<double>(n)); };
  std::vector<Column> columns = {
      {"total", 8, [](const Measures& m, Engine) { return format_seconds(m.total_time); }},
      {"calls", 8, [&](const Measures& m, Engine) { return count(m.calls); }},
      {"mean", 8, [](const Measures& m, Engine) { return format_seconds(m.mean_time()); }},
      {any_postgres ? "rows" : "rows sent", any_postgres ? 8u : 11u,
       [&](const Measures& m, Engine) { return count(m.row_count); }}};
  if (any_mysql) {
    columns.push_back({"rows exam", 11, [&](const Measures& m, Engine e) {
                         return e == Engine::kMysql ? count(m.rows_examined) : "-";
                       }});
  }
  if (any_postgres) {
    columns.push_back({"io blks", 8, [&](const Measures& m, Engine e) {
                         return e == Engine::kPostgres ? count(m.io_blocks()) : "-";
                       }});
  }
  out << "rank  ";
  for (const Column& c : columns) out << pad(c.header, c.width);
  out << "  " << left("target", target_width) << "  " << left(id_header, id_width)
      << "  fingerprint\n";
  for (size_t i = 0; i < report.shapes.size(); ++i) {
    const ShapeTotals& s = report.shapes[i];
    out << pad(std::to_string(i + 1), 4) << "  ";
    for (const Column& c : columns) out << pad(c.value(s.measures, engine_of(s)), c.width);
    out << "  " << left(targets[i], target_width) << "  " << left(ids[i], id_width) << "  "
        << terminal_safe(s.fingerprint, kFingerprintWidth) << "\n";
  }
}

void write_show_text(std::ostream& out, const ShowReport& report) {
  out << "Query " << terminal_safe(report.shape.info.hash, 40) << ", " << format_utc(report.from) << " to "
      << format_utc(report.until) << "\n";
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
    write_measures(out, t.totals, t.engine);
    if (!t.timeline.empty()) {
      const auto time = [](const Measures& m) { return m.total_time; };
      const auto calls = [](const Measures& m) { return static_cast<double>(m.calls); };
      out << "  time  "
          << sparkline(sparkline_values(t.timeline, time, kSparklineWidth), kSparklineWidth)
          << "\n";
      out << "  calls "
          << sparkline(sparkline_values(t.timeline, calls, kSparklineWidth), kSparklineWidth)
          << "\n";
      out << "        " << format_utc(t.timeline.front().bucket_start) << " .. "
          << format_utc(t.timeline.back().bucket_start) << " (" << bucket_text(t.timeline) << ")\n";
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
