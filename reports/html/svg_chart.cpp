#include "reports/html/svg_chart.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "reports/html/html_escape.h"

namespace slowscope::html {
namespace {

// Text metrics without a font: the average advance of a digit or letter of the system UI
// fonts at the sizes used here, enough to keep labels from overlapping.
constexpr double kCharWidth = 6.2;       // at 11px
constexpr double kTitleCharWidth = 7.6;  // at 13px, semi-bold
constexpr double kTitleHeight = 24;      // the title row
constexpr double kReleaseRowHeight = 14;
constexpr int kReleaseRows = 2;
constexpr double kBottomMargin = 42;  // x tick labels and the axis caption
constexpr double kRightMargin = 16;
constexpr size_t kMaxLabelCodePoints = 24;
constexpr int kPalette = 6;
// Beyond this a value is no measurement; refusing it keeps every tick and coordinate finite.
constexpr double kLargestValue = 1e300;
constexpr const char* kFontFamily =
    "system-ui,-apple-system,Segoe UI,Roboto,Helvetica Neue,Arial,sans-serif";

// A coordinate with one decimal, "12.5", "12" for 12.0: the same bytes for the same input.
std::string num(double value) {
  if (std::fabs(value) < 0.05) return "0";
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 1);
  std::string out(buf, result.ptr);
  if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  return out;
}

size_t code_points(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// At most `limit` code points of `text`, "…" marking a cut; cut between code points, so the
// escape that follows sees whole characters.
std::string shorten(std::string_view text, size_t limit) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen == limit - 1 && code_points(text.substr(i)) > 1) {
      return std::string(text.substr(0, i)) + "\u2026";
    }
    ++seen;
  }
  return std::string(text);
}

double text_width(std::string_view text) {
  return static_cast<double>(code_points(text)) * kCharWidth;
}

// "2.50 ms" -> "2.5 ms", "1.00 s" -> "1 s": a bound on an axis needs no trailing zeros.
std::string trim_zeros(std::string text) {
  const size_t end = text.find_first_not_of("0123456789.");
  const size_t number_end = end == std::string::npos ? text.size() : end;
  const size_t point = text.find('.');
  if (point == std::string::npos || point > number_end) return text;
  size_t cut = number_end;
  while (cut > point + 1 && text[cut - 1] == '0') --cut;
  if (cut == point + 1) --cut;
  return text.substr(0, cut) + text.substr(number_end);
}

// A count in full for a tooltip, where a reader looks for the exact number: "1234 queries".
std::string exact_count(double count) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, count, std::chars_format::fixed,
                                    count == std::floor(count) ? 0 : 2);
  return std::string(buf, result.ptr) + (count == 1 ? " query" : " queries");
}

std::string format_value(double value, Quantity quantity) {
  switch (quantity) {
    case Quantity::kDurationSeconds:
      return format_duration(value);
    case Quantity::kCount:
      return format_count(value);
    case Quantity::kRatePerSecond:
      return format_rate(value);
  }
  return {};
}

void check_size(int width, int height, const char* what) {
  if (width < 240 || width > 4000 || height < 120 || height > 2000) {
    throw std::logic_error(std::string(what) + ": size " + std::to_string(width) + "x" +
                           std::to_string(height) + " is outside 240..4000 x 120..2000");
  }
}

// The opening of every chart: the root element, its accessible name and description, and
// the visible title, shortened to fit `title_room` pixels (the <title> keeps it whole).
void open_svg(std::string& out, int width, int height, std::string_view title,
              std::string_view description, double title_room) {
  const size_t title_limit = static_cast<size_t>(std::max(8.0, title_room / kTitleCharWidth));
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ss-chart\" viewBox=\"0 0 ";
  out += std::to_string(width) + " " + std::to_string(height) + "\" width=\"" +
         std::to_string(width) + "\" height=\"" + std::to_string(height) +
         "\" role=\"img\" font-family=\"" + kFontFamily +
         "\" font-size=\"11\" fill=\"currentColor\">";
  out += "<title>" + html_text(title) + "</title>";
  out += "<desc>" + html_text(description) + "</desc>";
  out += "<text class=\"ss-title\" x=\"4\" y=\"16\" font-size=\"13\" font-weight=\"600\">" +
         html_text(shorten(title, title_limit)) + "</text>";
}

// Horizontal grid lines and left-hand labels of a value axis.
void draw_value_axis(std::string& out, const ValueAxis& axis,
                     const std::vector<std::string>& labels, double x0, double x1,
                     const auto& y_of) {
  out += "<path class=\"ss-grid\" stroke=\"currentColor\" stroke-opacity=\"0.12\" d=\"";
  for (const double tick : axis.ticks) {
    out.append("M").append(num(x0)).append(" ").append(num(std::round(y_of(tick)) + 0.5));
    out.append("H").append(num(x1));
  }
  out += "\"/><g text-anchor=\"end\">";
  for (size_t i = 0; i < axis.ticks.size(); ++i) {
    out += "<text x=\"" + num(x0 - 8) + "\" y=\"" + num(y_of(axis.ticks[i]) + 4) + "\">" +
           html_text(labels[i]) + "</text>";
  }
  out += "</g>";
}

double left_margin(const std::vector<std::string>& labels) {
  double widest = 0;
  for (const std::string& label : labels) widest = std::max(widest, text_width(label));
  return std::max(36.0, std::ceil(widest + 14));
}

// A text anchored so that it stays inside [0, width].
std::string anchored_text(double x, double y, std::string_view label, double width) {
  const double half = text_width(label) / 2;
  std::string anchor = "middle";
  if (x - half < 2) {
    anchor = "start";
    x = std::max(x - half, 2.0);
  } else if (x + half > width - 2) {
    anchor = "end";
    x = std::min(x + half, width - 2);
  }
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\">" +
         html_text(label) + "</text>";
}

struct Pixel {
  double x, y;
};

// Points of one unbroken run, thinned: where more than two fall in one pixel column, only
// the lowest and highest value stay, in time order, so peaks survive.
std::vector<Pixel> thin(const std::vector<Pixel>& run) {
  std::vector<Pixel> out;
  out.reserve(std::min<size_t>(run.size(), 4096));
  for (size_t begin = 0; begin < run.size();) {
    const double column = std::floor(run[begin].x);
    size_t end = begin + 1;
    while (end < run.size() && std::floor(run[end].x) == column) ++end;
    if (end - begin <= 2) {
      out.insert(out.end(), run.begin() + static_cast<long>(begin),
                 run.begin() + static_cast<long>(end));
    } else {
      // y grows downwards: the highest value has the smallest y.
      size_t low = begin, high = begin;
      for (size_t i = begin; i < end; ++i) {
        if (run[i].y > run[low].y) low = i;
        if (run[i].y < run[high].y) high = i;
      }
      out.push_back(run[std::min(low, high)]);
      if (low != high) out.push_back(run[std::max(low, high)]);
    }
    begin = end;
  }
  return out;
}

void append_run(std::string& path, const std::vector<Pixel>& run) {
  std::string last;
  bool first = true;
  for (const Pixel& p : thin(run)) {
    std::string pair = num(p.x) + " " + num(p.y);
    if (pair == last) continue;
    path += (first ? "M" : " ") + pair;
    last = std::move(pair);
    first = false;
  }
  // A lone point is a zero-length line, which the round line cap draws as a dot.
  if (run.size() == 1) path += "h0";
}

struct PlacedRelease {
  double x;
  int row;  // -1: no room for its label, which stays in the tooltip
  std::string label;
  bool anchor_end;
  const ReleaseMarker* marker;
};

std::vector<PlacedRelease> place_releases(const TimeChart& chart, double x0, double x1,
                                          const auto& x_of) {
  std::vector<const ReleaseMarker*> markers;
  for (const ReleaseMarker& m : chart.releases) {
    if (m.time >= chart.from && m.time <= chart.until) markers.push_back(&m);
  }
  std::stable_sort(
      markers.begin(), markers.end(),
      [](const ReleaseMarker* a, const ReleaseMarker* b) { return a->time < b->time; });
  std::vector<PlacedRelease> placed;
  double row_end[kReleaseRows];
  std::fill(std::begin(row_end), std::end(row_end), -1e9);
  for (const ReleaseMarker* m : markers) {
    PlacedRelease p{x_of(m->time), -1, shorten(m->label, kMaxLabelCodePoints), false, m};
    const double w = text_width(p.label);
    double start = p.x + 4;
    if (start + w > x1 + kRightMargin - 2) {
      p.anchor_end = true;
      start = p.x - 4 - w;
    }
    if (start >= x0 - 30) {
      for (int row = 0; row < kReleaseRows; ++row) {
        if (start > row_end[row] + 8) {
          p.row = row;
          row_end[row] = start + w;
          break;
        }
      }
    }
    placed.push_back(std::move(p));
  }
  return placed;
}

struct Extent {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  bool empty() const { return low > high; }
};

// The points of `series` inside the chart's range, by time; values beyond kLargestValue as
// missing.
std::vector<ChartPoint> in_range(const TimeChart& chart, const ChartSeries& series) {
  std::vector<ChartPoint> points;
  for (ChartPoint p : series.points) {
    if (p.time < chart.from || p.time > chart.until) continue;
    if (!(std::fabs(p.value) <= kLargestValue)) p.value = std::numeric_limits<double>::quiet_NaN();
    points.push_back(p);
  }
  std::stable_sort(points.begin(), points.end(),
                   [](const ChartPoint& a, const ChartPoint& b) { return a.time < b.time; });
  return points;
}

std::string chart_description(const TimeChart& chart, const ReportZone& zone,
                              const std::vector<std::vector<ChartPoint>>& points) {
  std::string text =
      "Line chart from " + zone.format(chart.from) + " to " + zone.format(chart.until) + ".";
  for (size_t i = 0; i < chart.series.size(); ++i) {
    Extent e;
    for (const ChartPoint& p : points[i]) {
      if (!std::isfinite(p.value)) continue;
      e.low = std::min(e.low, p.value);
      e.high = std::max(e.high, p.value);
    }
    const std::string name = chart.series[i].name.empty() ? "Values" : chart.series[i].name;
    text.append(" ").append(shorten(name, 60)).append(": ");
    text.append(e.empty() ? "no data" : "highest " + format_value(e.high, chart.quantity));
    text.append(".");
  }
  return text;
}

// The names a legend shows: one per series when there are two or more.
std::vector<std::string> legend_names(const TimeChart& chart) {
  std::vector<std::string> names;
  if (chart.series.size() < 2) return names;
  for (const ChartSeries& s : chart.series) names.push_back(shorten(s.name, kMaxLabelCodePoints));
  return names;
}

double legend_width(const std::vector<std::string>& names) {
  double total = 0;
  for (const std::string& name : names) total += 18 + text_width(name) + 12;
  return total;
}

// The legend, right-aligned on the title's row: a line in the series' colour and its name.
void draw_legend(std::string& out, const std::vector<std::string>& names, double width) {
  if (names.empty()) return;
  double x = width - 4 - legend_width(names);
  out += "<g class=\"ss-legend\">";
  for (size_t i = 0; i < names.size(); ++i) {
    out += "<path class=\"ss-s" + std::to_string(i % kPalette) + "\" d=\"M" + num(x) +
           " 12.5h14\" stroke=\"currentColor\" stroke-width=\"2.5\"/>";
    out += "<text x=\"" + num(x + 18) + "\" y=\"16\">" + html_text(names[i]) + "</text>";
    x += 18 + text_width(names[i]) + 12;
  }
  out += "</g>";
}

// The steps value_axis may use for a raw step of `raw`, ascending, from a decade below it.
std::vector<double> step_ladder(double raw, Quantity quantity) {
  std::vector<double> steps;
  const bool duration = quantity == Quantity::kDurationSeconds;
  // Durations step by 1-2-5 up to 50 s, then by round minutes, hours and days.
  const double decimal_raw = duration ? std::min(raw, 50.0) : raw;
  double power = std::pow(10.0, std::floor(std::log10(decimal_raw)) - 1);
  for (int i = 0; i < 10; ++i, power *= 10) {
    for (const double m : {1, 2, 5}) {
      const double step = m * power;
      if (quantity == Quantity::kCount && step < 1) continue;
      if (duration && step > 50) break;
      steps.push_back(step);
    }
  }
  if (duration) {
    for (const double s : {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200}) {
      steps.push_back(s);
    }
    for (double days = 1; days < 1e300; days *= 10) {
      for (const double m : {1, 2, 5}) steps.push_back(86400 * days * m);
    }
  }
  return steps;
}

}  // namespace

ValueAxis value_axis(double low, double high, Quantity quantity, int max_ticks) {
  if (max_ticks < 2) throw std::logic_error("value_axis: max_ticks must be at least 2");
  if (!std::isfinite(low) || !std::isfinite(high)) {
    throw std::logic_error("value_axis: the range must be finite");
  }
  if (high <= low) high = low + std::max(std::fabs(low), 1.0);
  const double raw = (high - low) / (max_ticks - 1);
  for (const double step : step_ladder(raw, quantity)) {
    if (step < raw * (1 - 1e-9)) continue;
    const double first = std::floor(low / step + 1e-9);
    const double last = std::ceil(high / step - 1e-9);
    if (last - first + 1 > max_ticks) continue;
    if (!std::isfinite(first * step) || !std::isfinite(last * step)) break;
    ValueAxis axis{step, {}};
    for (double i = first; i <= last; ++i) axis.ticks.push_back(i * step);
    return axis;
  }
  throw std::logic_error("value_axis: no step fits");  // not reached: the ladder is long
}

std::string render_time_chart(const TimeChart& chart, const ReportZone& zone) {
  check_size(chart.width, chart.height, "render_time_chart");
  if (chart.from >= chart.until) throw std::logic_error("render_time_chart: from >= until");
  const double width = chart.width, height = chart.height;

  std::vector<std::vector<ChartPoint>> points;
  Extent extent;
  for (const ChartSeries& s : chart.series) {
    points.push_back(in_range(chart, s));
    for (const ChartPoint& p : points.back()) {
      if (!std::isfinite(p.value)) continue;
      extent.low = std::min(extent.low, p.value);
      extent.high = std::max(extent.high, p.value);
    }
  }
  const bool empty = extent.empty();
  const bool has_releases = std::any_of(
      chart.releases.begin(), chart.releases.end(),
      [&](const ReleaseMarker& m) { return m.time >= chart.from && m.time <= chart.until; });

  // The value axis first: its labels set the left margin, which the x positions need.
  const double band_estimate = has_releases ? kReleaseRows * kReleaseRowHeight : 0;
  const double plot_height_estimate = height - kTitleHeight - band_estimate - kBottomMargin;
  const int max_value_ticks = std::clamp(static_cast<int>(plot_height_estimate / 28), 2, 10);
  // Zero is always on the axis, so that heights compare.
  const ValueAxis axis =
      value_axis(empty ? 0 : std::min(0.0, extent.low), empty ? 0 : std::max(0.0, extent.high),
                 chart.quantity, max_value_ticks);
  const std::vector<std::string> labels = axis_labels(axis.ticks, axis.step, chart.quantity);

  const double x0 = left_margin(labels), x1 = width - kRightMargin;
  const auto x_of = [&](int64_t t) {
    return x0 + static_cast<double>(t - chart.from) /
                    static_cast<double>(chart.until - chart.from) * (x1 - x0);
  };
  const std::vector<PlacedRelease> releases = place_releases(chart, x0, x1, x_of);
  int rows = 0;
  for (const PlacedRelease& r : releases) rows = std::max(rows, r.row + 1);
  const double band_top = kTitleHeight + 4;
  const double y0 = band_top + rows * kReleaseRowHeight + (has_releases ? 6 : 0);
  const double y1 = height - kBottomMargin;
  const double v_low = axis.ticks.front(), v_high = axis.ticks.back();
  const auto y_of = [&](double v) { return y1 - (v - v_low) / (v_high - v_low) * (y1 - y0); };

  std::string out;
  out.reserve(4096);
  const std::vector<std::string> legend = legend_names(chart);
  open_svg(out, chart.width, chart.height, chart.title, chart_description(chart, zone, points),
           width - 4 - legend_width(legend) - 16);
  draw_legend(out, legend, width);
  draw_value_axis(out, axis, labels, x0, x1, y_of);

  // Time axis: vertical grid lines and labels at round local times.
  const int max_time_ticks = std::max(2, static_cast<int>((x1 - x0) / 72));
  const std::vector<TimeTick> ticks = zone.axis_ticks(chart.from, chart.until, max_time_ticks);
  out += "<path class=\"ss-grid\" stroke=\"currentColor\" stroke-opacity=\"0.12\" d=\"";
  for (const TimeTick& tick : ticks) {
    out += "M" + num(std::round(x_of(tick.time)) + 0.5) + " " + num(y0) + "V" + num(y1);
  }
  out += "\"/><g>";
  for (const TimeTick& tick : ticks)
    out += anchored_text(x_of(tick.time), y1 + 16, tick.label, width);
  out += "</g>";
  out += "<path class=\"ss-axis\" stroke=\"currentColor\" stroke-opacity=\"0.5\" d=\"M" + num(x0) +
         " " + num(std::round(y_of(0)) + 0.5) + "H" + num(x1) + "\"/>";
  out += "<text class=\"ss-caption\" x=\"" + num((x0 + x1) / 2) + "\" y=\"" + num(height - 6) +
         "\" text-anchor=\"middle\">" + html_text(zone.axis_caption(chart.from, chart.until)) +
         "</text>";

  // Releases: behind the lines, labelled above the plot.
  if (!releases.empty()) {
    out += "<g class=\"ss-release\">";
    for (const PlacedRelease& r : releases) {
      const double x = std::round(r.x) + 0.5;
      const double top = r.row < 0 ? y0 : band_top + r.row * kReleaseRowHeight + 3;
      out += "<g><title>" +
             html_text("Release " + r.marker->label + ", " + zone.format(r.marker->time)) +
             "</title><path d=\"M" + num(x) + " " + num(top) + "V" + num(y1) +
             "\" stroke=\"currentColor\" stroke-opacity=\"0.6\" stroke-dasharray=\"4 3\"/>";
      if (r.row >= 0) {
        const double baseline = band_top + r.row * kReleaseRowHeight + 11;
        out += "<text x=\"" + num(r.anchor_end ? r.x - 4 : r.x + 4) + "\" y=\"" + num(baseline) +
               "\" font-size=\"10.5\"" + (r.anchor_end ? " text-anchor=\"end\"" : "") + ">" +
               html_text(r.label) + "</text>";
      }
      out += "</g>";
    }
    out += "</g>";
  }

  if (empty) {
    out += "<text class=\"ss-note\" x=\"" + num((x0 + x1) / 2) + "\" y=\"" + num((y0 + y1) / 2) +
           "\" text-anchor=\"middle\">No data in this range</text>";
  } else {
    out +=
        "<g fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\" "
        "stroke-linecap=\"round\">";
    for (size_t i = 0; i < points.size(); ++i) {
      std::string path;
      std::vector<Pixel> run;
      const ChartPoint* previous = nullptr;
      for (const ChartPoint& p : points[i]) {
        const bool gap =
            !std::isfinite(p.value) || (previous != nullptr && chart.bucket_seconds > 0 &&
                                        static_cast<double>(p.time - previous->time) >
                                            1.5 * static_cast<double>(chart.bucket_seconds));
        if (gap && !run.empty()) {
          append_run(path, run);
          run.clear();
        }
        if (std::isfinite(p.value)) {
          run.push_back({x_of(p.time), y_of(p.value)});
          previous = &p;
        } else {
          previous = nullptr;
        }
      }
      if (!run.empty()) append_run(path, run);
      if (path.empty()) continue;
      out += "<path class=\"ss-s" + std::to_string(i % kPalette) +
             "\" stroke=\"currentColor\" d=\"" + path + "\"/>";
    }
    out += "</g>";
  }
  out += "</svg>";
  return out;
}

std::string render_latency_histogram(const LatencyHistogram& histogram) {
  check_size(histogram.width, histogram.height, "render_latency_histogram");
  const std::vector<HistogramBucket>& buckets = histogram.buckets;
  double previous_bound = 0, total = 0, highest = 0;
  size_t fullest = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    const HistogramBucket& b = buckets[i];
    if (!(b.upper_bound_seconds > previous_bound)) {
      throw std::logic_error("render_latency_histogram: bucket bounds must ascend from > 0");
    }
    if (!(b.count >= 0) || !std::isfinite(b.count)) {
      throw std::logic_error("render_latency_histogram: a count is negative or not finite");
    }
    previous_bound = b.upper_bound_seconds;
    total += b.count;
    if (b.count > highest) {
      highest = b.count;
      fullest = i;
    }
  }
  const double width = histogram.width, height = histogram.height;

  const auto lower_bound = [&](size_t i) {
    return i == 0 ? 0.0 : buckets[i - 1].upper_bound_seconds;
  };
  const auto bucket_name = [&](size_t i) {
    if (std::isinf(buckets[i].upper_bound_seconds)) {
      return "over " + trim_zeros(format_duration(lower_bound(i)));
    }
    const std::string low = i == 0 ? "0" : trim_zeros(format_duration(lower_bound(i)));
    return low + "\u2013" + trim_zeros(format_duration(buckets[i].upper_bound_seconds));
  };

  std::string description = "Latency histogram";
  if (total == 0) {
    description += ", no queries.";
  } else {
    description += " of " + format_count(total) + " queries; the most, " + format_count(highest) +
                   ", took " + bucket_name(fullest) + ".";
  }

  const double y0 = kTitleHeight + 8, y1 = height - kBottomMargin;
  const int max_ticks = std::clamp(static_cast<int>((y1 - y0) / 28), 2, 8);
  const ValueAxis axis = value_axis(0, highest, Quantity::kCount, max_ticks);
  const std::vector<std::string> labels = axis_labels(axis.ticks, axis.step, Quantity::kCount);
  const double x0 = left_margin(labels), x1 = width - kRightMargin;
  const double v_high = axis.ticks.back();
  const auto y_of = [&](double v) { return y1 - v / v_high * (y1 - y0); };

  std::string out;
  open_svg(out, histogram.width, histogram.height, histogram.title, description, width - 8);
  draw_value_axis(out, axis, labels, x0, x1, y_of);

  if (buckets.empty() || total == 0) {
    out += "<text class=\"ss-note\" x=\"" + num((x0 + x1) / 2) + "\" y=\"" + num((y0 + y1) / 2) +
           "\" text-anchor=\"middle\">No queries</text>";
  } else {
    const double bar = (x1 - x0) / static_cast<double>(buckets.size());
    const double gap = std::min(2.0, bar * 0.2);
    out += "<g class=\"ss-bar\">";
    for (size_t i = 0; i < buckets.size(); ++i) {
      const double top = y_of(buckets[i].count);
      out += "<rect x=\"" + num(x0 + static_cast<double>(i) * bar + gap / 2) + "\" y=\"" +
             num(top) + "\" width=\"" + num(bar - gap) + "\" height=\"" + num(y1 - top) +
             "\"><title>" + html_text(bucket_name(i) + ": " + exact_count(buckets[i].count)) +
             "</title></rect>";
    }
    out += "</g><g>";
    // Bounds under the bars' edges, every `every`-th one so that they do not overlap, from
    // the first edge that labels the most powers of ten (1 ms, 10 ms rather than 2.5 ms).
    const size_t every = static_cast<size_t>(std::max(1.0, std::ceil(48 / bar)));
    const auto power_of_ten = [&](size_t edge) {
      if (edge == 0 || std::isinf(buckets[edge - 1].upper_bound_seconds)) return false;
      const double exponent = std::log10(buckets[edge - 1].upper_bound_seconds);
      return std::fabs(exponent - std::round(exponent)) < 1e-9;
    };
    size_t first_edge = 0, best = 0;
    for (size_t offset = 0; offset < every; ++offset) {
      size_t powers = 0;
      for (size_t edge = offset; edge <= buckets.size(); edge += every)
        powers += power_of_ten(edge);
      if (powers > best) {
        best = powers;
        first_edge = offset;
      }
    }
    for (size_t edge = first_edge; edge <= buckets.size(); edge += every) {
      const double bound = edge == 0 ? 0 : buckets[edge - 1].upper_bound_seconds;
      if (std::isinf(bound)) break;
      out += anchored_text(x0 + static_cast<double>(edge) * bar, y1 + 16,
                           edge == 0 ? "0" : trim_zeros(format_duration(bound)), width);
    }
    out += "</g>";
  }
  out += "<path class=\"ss-axis\" stroke=\"currentColor\" stroke-opacity=\"0.5\" d=\"M" + num(x0) +
         " " + num(std::round(y1) + 0.5) + "H" + num(x1) + "\"/>";
  out += "<text class=\"ss-caption\" x=\"" + num((x0 + x1) / 2) + "\" y=\"" + num(height - 6) +
         "\" text-anchor=\"middle\">Latency (log-spaced buckets)</text>";
  out += "</svg>";
  return out;
}

std::string_view chart_css() {
  return R"css(.ss-chart{--ss-fg:#1f2328;--ss-muted:#59636e;--ss-grid:#d1d9e0;--ss-axis:#818b98;--ss-release:#9a6700;--ss-s0:#0969da;--ss-s1:#bc4c00;--ss-s2:#1a7f37;--ss-s3:#8250df;--ss-s4:#bf3989;--ss-s5:#1b7c83;color:var(--ss-fg);max-width:100%;height:auto;font-variant-numeric:tabular-nums}
@media (prefers-color-scheme:dark){.ss-chart{--ss-fg:#e6edf3;--ss-muted:#9198a1;--ss-grid:#30363d;--ss-axis:#656c76;--ss-release:#d29922;--ss-s0:#4493f8;--ss-s1:#f0883e;--ss-s2:#3fb950;--ss-s3:#bc8cff;--ss-s4:#f778ba;--ss-s5:#39c5cf}}
.ss-chart text{fill:var(--ss-muted)}
.ss-chart .ss-title{fill:var(--ss-fg)}
.ss-chart .ss-grid{stroke:var(--ss-grid);stroke-opacity:1}
.ss-chart .ss-axis{stroke:var(--ss-axis);stroke-opacity:1}
.ss-chart .ss-release path{stroke:var(--ss-release);stroke-opacity:1}
.ss-chart .ss-release text{fill:var(--ss-release)}
.ss-chart .ss-note{font-style:italic}
.ss-chart .ss-s0{stroke:var(--ss-s0)}
.ss-chart .ss-s1{stroke:var(--ss-s1)}
.ss-chart .ss-s2{stroke:var(--ss-s2)}
.ss-chart .ss-s3{stroke:var(--ss-s3)}
.ss-chart .ss-s4{stroke:var(--ss-s4)}
.ss-chart .ss-s5{stroke:var(--ss-s5)}
.ss-chart .ss-bar{fill:var(--ss-s0)}
.ss-chart .ss-bar rect:hover{fill-opacity:.75}
)css";
}

}  // namespace slowscope::html
