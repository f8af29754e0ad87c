// The report's inline SVG charts: well-formed markup with every hostile string escaped, no
// scripts, handlers, style attributes or fixed colours; tick labels with units; the zone in
// the caption; the same bytes for the same input; a bounded size however many points; a
// break in the line where buckets are missing; peaks kept when points are thinned.
#include "reports/html/svg_chart.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace slowscope::html {
namespace {

constexpr int64_t kDay = 1796515200;  // 2026-12-06 00:00 UTC
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == ':' || c == '_';
}

// An '&' at `pos` starts a reference XML knows: a predefined entity or a character number.
bool is_reference(std::string_view s, size_t pos) {
  for (const std::string_view entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
    if (s.substr(pos, entity.size()) == entity) return true;
  }
  if (s.substr(pos, 2) != "&#") return false;
  size_t i = pos + 2;
  const bool hex = i < s.size() && s[i] == 'x';
  if (hex) ++i;
  const size_t digits = i;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) ||
                          (hex && std::isxdigit(static_cast<unsigned char>(s[i]))))) {
    ++i;
  }
  return i > digits && i < s.size() && s[i] == ';';
}

// "" when `xml` is a single well-formed element in the subset the charts write (elements,
// double-quoted attributes, text, references), with no event handler, style or link
// attribute; otherwise what is wrong and where. Written for these tests rather than pulling
// in an XML parser: the subset is small and every rule is checked.
std::string markup_problem(std::string_view xml) {
  std::vector<std::string> open;
  size_t pos = 0;
  bool root_closed = false;
  const auto where = [&](const std::string& what) {
    return what + " at " + std::to_string(pos) + ": " + std::string(xml.substr(pos, 60));
  };
  while (pos < xml.size()) {
    if (root_closed) return where("content after the root element");
    if (xml[pos] != '<') {
      if (open.empty()) return where("text outside the root element");
      if (xml[pos] == '>') return where("raw '>' in text");
      if (xml[pos] == '&' && !is_reference(xml, pos)) return where("bare '&' in text");
      ++pos;
      continue;
    }
    ++pos;
    if (pos < xml.size() && xml[pos] == '/') {
      const size_t begin = ++pos;
      while (pos < xml.size() && is_name_char(xml[pos])) ++pos;
      const std::string name(xml.substr(begin, pos - begin));
      if (pos >= xml.size() || xml[pos] != '>') return where("malformed end tag");
      if (open.empty() || open.back() != name) return where("end tag </" + name + "> unmatched");
      open.pop_back();
      root_closed = open.empty();
      ++pos;
      continue;
    }
    const size_t begin = pos;
    while (pos < xml.size() && is_name_char(xml[pos])) ++pos;
    const std::string name(xml.substr(begin, pos - begin));
    if (name.empty()) return where("'<' that starts no element");
    if (name == "script" || name == "style" || name == "foreignObject" || name == "a" ||
        name == "image" || name == "use") {
      return where("element <" + name + ">");
    }
    std::vector<std::string> attributes;
    for (;;) {
      if (pos >= xml.size()) return where("unterminated start tag");
      if (xml[pos] == ' ') {
        ++pos;
        continue;
      }
      if (xml.substr(pos, 2) == "/>") {
        pos += 2;
        root_closed = open.empty();
        break;
      }
      if (xml[pos] == '>') {
        ++pos;
        open.push_back(name);
        break;
      }
      const size_t attribute_begin = pos;
      while (pos < xml.size() && is_name_char(xml[pos])) ++pos;
      const std::string attribute(xml.substr(attribute_begin, pos - attribute_begin));
      if (attribute.empty()) return where("malformed attribute");
      if (attribute.starts_with("on") || attribute == "style" || attribute == "href" ||
          attribute == "xlink:href" || attribute == "src") {
        return where("attribute " + attribute);
      }
      if (std::find(attributes.begin(), attributes.end(), attribute) != attributes.end()) {
        return where("attribute " + attribute + " twice");
      }
      attributes.push_back(attribute);
      if (xml.substr(pos, 2) != "=\"") return where("attribute value not double-quoted");
      pos += 2;
      while (pos < xml.size() && xml[pos] != '"') {
        if (xml[pos] == '<') return where("'<' in an attribute value");
        if (xml[pos] == '&' && !is_reference(xml, pos)) return where("bare '&' in an attribute");
        ++pos;
      }
      if (pos >= xml.size()) return where("unterminated attribute value");
      ++pos;
    }
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (!root_closed) return "no root element";
  return "";
}

size_t count(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// The d attribute of each series' path (class ss-s<i>, stroke currentColor).
std::vector<std::string> series_paths(const std::string& svg) {
  std::vector<std::string> out;
  const std::string marker = "\" stroke=\"currentColor\" d=\"";
  for (size_t pos = svg.find(marker); pos != std::string::npos; pos = svg.find(marker, pos + 1)) {
    const size_t begin = pos + marker.size();
    out.push_back(svg.substr(begin, svg.find('"', begin) - begin));
  }
  return out;
}

// The y coordinates of a path written as "Mx y x y ...".
std::vector<double> path_ys(const std::string& d) {
  std::vector<double> numbers;
  std::string token;
  for (const char c : d + " ") {
    if ((c >= '0' && c <= '9') || c == '.' || c == '-') {
      token += c;
    } else {
      if (!token.empty()) numbers.push_back(std::stod(token));
      token.clear();
    }
  }
  std::vector<double> ys;
  for (size_t i = 1; i < numbers.size(); i += 2) ys.push_back(numbers[i]);
  return ys;
}

// `points` buckets of `bucket_seconds` from kDay, of a wave with a ripple on it.
TimeChart wave_chart(int64_t points, int64_t bucket_seconds,
                     Quantity quantity = Quantity::kDurationSeconds) {
  TimeChart chart;
  chart.title = "p95 latency";
  chart.quantity = quantity;
  chart.from = kDay;
  chart.until = kDay + points * bucket_seconds;
  chart.bucket_seconds = bucket_seconds;
  ChartSeries series{"orders", {}};
  for (int64_t i = 0; i < points; ++i) {
    const double x = static_cast<double>(i) / static_cast<double>(points);
    series.points.push_back({kDay + static_cast<int64_t>(i) * chart.bucket_seconds,
                             0.020 + 0.015 * std::sin(x * 12.57) + 0.002 * std::sin(x * 977)});
  }
  chart.series.push_back(std::move(series));
  return chart;
}

// A day in `points` buckets.
TimeChart day_chart(int64_t points, Quantity quantity = Quantity::kDurationSeconds) {
  return wave_chart(points, 86400 / points, quantity);
}

TEST(SvgChart, HostileStringsAreEscapedAndTheMarkupIsWellFormed) {
  TimeChart chart = day_chart(96);
  chart.title = "<script>alert(1)</script> & \u202Eevil";
  chart.series[0].name = "\"><svg onload=alert(1)>";
  chart.series.push_back({"</title><img src=x onerror=alert(1)>", {{kDay + 3600, 0.01}}});
  chart.releases = {{kDay + 6 * 3600, "<b>v2.3</b>"},
                    {kDay + 12 * 3600, "v2.4\"><img src=x onerror=alert(1)> and more text"},
                    {kDay + 13 * 3600, "\xff\xfe-bad-utf8"}};
  const std::string svg = render_time_chart(chart, ReportZone());
  EXPECT_EQ(markup_problem(svg), "") << svg;
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<img"), std::string::npos);
  EXPECT_EQ(svg.find("\u202E"), std::string::npos);
  EXPECT_NE(svg.find("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\u202Eevil</title>"),
            std::string::npos);
  // The release's label in the chart, and in full in its tooltip.
  EXPECT_NE(svg.find(">&lt;b&gt;v2.3&lt;/b&gt;</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>Release v2.4&quot;&gt;&lt;img src=x onerror=alert(1)&gt; and more "
                     "text, 2026-12-06 12:00 UTC</title>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find(">v2.4&quot;&gt;&lt;img src=x onerro\u2026</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("\uFFFD\uFFFD-bad-utf8"), std::string::npos);
  // Legend names are escaped too.
  EXPECT_NE(svg.find(">&quot;&gt;&lt;svg onload=alert(1)&gt;</text>"), std::string::npos);
}

TEST(SvgChart, NoFixedColoursNoScriptsNoReferences) {
  TimeChart chart = day_chart(1440);
  chart.releases = {{kDay + 6 * 3600, "v1"}};
  const std::string svg = render_time_chart(chart, ReportZone());
  EXPECT_EQ(markup_problem(svg), "");
  EXPECT_EQ(svg.find('#'), std::string::npos);  // no #rrggbb, no url(#id)
  EXPECT_EQ(svg.find("rgb"), std::string::npos);
  EXPECT_EQ(svg.find("url("), std::string::npos);
  EXPECT_EQ(svg.find(" id=\""), std::string::npos);
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("viewBox=\"0 0 400 200\""), std::string::npos);
  EXPECT_NE(svg.find("<desc>Line chart from 2026-12-06 00:00 UTC to 2026-12-07 00:00 UTC. "
                     "orders: highest "),
            std::string::npos);
}

// Charts 720 wide, room for a label every two hours and every 10 ms.
TimeChart wide(TimeChart chart) {
  chart.width = 720;
  chart.height = 240;
  return chart;
}

TEST(SvgChart, TickLabelsCarryTheirUnits) {
  const std::string durations = render_time_chart(wide(day_chart(96)), ReportZone());
  for (const char* label : {">0</text>", ">10 ms</text>", ">20 ms</text>", ">30 ms</text>"}) {
    EXPECT_NE(durations.find(label), std::string::npos) << label << "\n" << durations;
  }
  TimeChart counts = wide(day_chart(24, Quantity::kCount));
  for (ChartPoint& p : counts.series[0].points) p.value *= 100000;  // up to 3,700
  const std::string count_svg = render_time_chart(counts, ReportZone());
  EXPECT_NE(count_svg.find(">1k</text>"), std::string::npos) << count_svg;
  EXPECT_NE(count_svg.find(">2k</text>"), std::string::npos) << count_svg;
  TimeChart rates = wide(day_chart(24, Quantity::kRatePerSecond));
  const std::string rate_svg = render_time_chart(rates, ReportZone());
  EXPECT_NE(rate_svg.find(">0.01/s</text>"), std::string::npos) << rate_svg;
}

TEST(SvgChart, TimeLabelsAndCaptionAreInTheReportZone) {
  TimeChart chart = wide(day_chart(96));
  chart.until = kDay + 6 * 3600;
  // 00:00 to 06:00 UTC is 01:00 to 07:00 in Berlin.
  const std::string utc = render_time_chart(chart, ReportZone());
  EXPECT_NE(utc.find(">Time (UTC)</text>"), std::string::npos);
  EXPECT_NE(utc.find(">6 Dec</text>"), std::string::npos) << utc;
  EXPECT_NE(utc.find(">06:00</text>"), std::string::npos) << utc;
  EXPECT_EQ(utc.find(">07:00</text>"), std::string::npos) << utc;
  const std::string berlin = render_time_chart(chart, ReportZone("Europe/Berlin"));
  EXPECT_NE(berlin.find(">Time (Europe/Berlin, CET)</text>"), std::string::npos);
  EXPECT_NE(berlin.find(">07:00</text>"), std::string::npos) << berlin;
  EXPECT_EQ(berlin.find(">6 Dec</text>"), std::string::npos) << berlin;
  EXPECT_NE(berlin.find("Line chart from 2026-12-06 01:00 CET to 2026-12-06 07:00 CET."),
            std::string::npos);
}

TEST(SvgChart, SameInputSameBytes) {
  TimeChart chart = day_chart(1440);
  chart.releases = {{kDay + 6 * 3600, "v1"}, {kDay + 6 * 3600 + 60, "v2"}};
  const std::string first = render_time_chart(chart, ReportZone("Europe/Berlin"));
  EXPECT_EQ(render_time_chart(chart, ReportZone("Europe/Berlin")), first);
  // Points in any order draw the same chart.
  std::mt19937 random(7);
  std::shuffle(chart.series[0].points.begin(), chart.series[0].points.end(), random);
  EXPECT_EQ(render_time_chart(chart, ReportZone("Europe/Berlin")), first);
}

TEST(SvgChart, SizeStaysBoundedHoweverManyPoints) {
  const std::string day_of_minutes = render_time_chart(day_chart(1440), ReportZone());
  EXPECT_LT(day_of_minutes.size(), 40'000u);
  std::cout << "1,440-point chart: " << day_of_minutes.size() << " bytes\n";
  // 100,000 seconds, a point each.
  const std::string many = render_time_chart(wave_chart(100'000, 1), ReportZone());
  EXPECT_EQ(markup_problem(many), "");
  EXPECT_LT(many.size(), 40'000u);
  std::cout << "100,000-point chart: " << many.size() << " bytes\n";
  // Thinned to at most two points per column of the 400-wide chart.
  EXPECT_LE(path_ys(series_paths(many).at(0)).size(), 2u * 400);
}

TEST(SvgChart, ThinningKeepsThePeak) {
  TimeChart chart = wave_chart(100'000, 1);
  for (ChartPoint& p : chart.series[0].points) p.value = 0.010;
  chart.series[0].points[54'321].value = 0.100;  // one spike among 100,000
  const std::string svg = render_time_chart(chart, ReportZone());
  const std::vector<double> ys = path_ys(series_paths(svg).at(0));
  const double top = *std::min_element(ys.begin(), ys.end());
  const double base = *std::max_element(ys.begin(), ys.end());
  EXPECT_GT(base - top, 100) << "the spike is lost";
  EXPECT_EQ(std::count(ys.begin(), ys.end(), top), 1);
  EXPECT_NE(svg.find(">100 ms</text>"), std::string::npos);
}

TEST(SvgChart, MissingBucketsBreakTheLine) {
  TimeChart chart = day_chart(1440);
  const auto without_an_hour = [](std::vector<ChartPoint>& points) {
    points.erase(points.begin() + 600, points.begin() + 660);
  };
  without_an_hour(chart.series[0].points);
  std::string svg = render_time_chart(chart, ReportZone());
  ASSERT_EQ(series_paths(svg).size(), 1u);
  EXPECT_EQ(count(series_paths(svg)[0], "M"), 2u) << series_paths(svg)[0];

  // A value that is not a number is a gap too, and a lone point between two gaps is a dot.
  chart = day_chart(1440);
  chart.series[0].points[100].value = kNaN;
  chart.series[0].points[102].value = kNaN;
  svg = render_time_chart(chart, ReportZone());
  EXPECT_EQ(count(series_paths(svg)[0], "M"), 3u);
  EXPECT_EQ(count(series_paths(svg)[0], "h0"), 1u);

  // Without a bucket size only non-finite values break the line.
  chart = day_chart(1440);
  chart.bucket_seconds = 0;
  without_an_hour(chart.series[0].points);
  svg = render_time_chart(chart, ReportZone());
  EXPECT_EQ(count(series_paths(svg)[0], "M"), 1u);
}

TEST(SvgChart, ReleasesOutsideTheRangeAreNotDrawnAndCrowdedLabelsMoveToTooltips) {
  TimeChart chart = day_chart(96);
  chart.releases = {{kDay - 60, "before"}, {kDay + 86400 + 60, "after"}};
  std::string svg = render_time_chart(chart, ReportZone());
  EXPECT_EQ(svg.find("before"), std::string::npos);
  EXPECT_EQ(svg.find("after"), std::string::npos);
  EXPECT_EQ(svg.find("ss-release"), std::string::npos);

  chart.releases.clear();
  for (int i = 0; i < 5; ++i)
    chart.releases.push_back({kDay + 3600 + i * 60, "release-" + std::to_string(i)});
  svg = render_time_chart(chart, ReportZone());
  EXPECT_EQ(markup_problem(svg), "");
  EXPECT_EQ(count(svg, "<title>Release release-"), 5u);
  EXPECT_EQ(count(svg, ">release-"), 2u);  // two label rows; the rest only in tooltips
}

TEST(SvgChart, AChartWithoutDataSaysSo) {
  TimeChart chart = day_chart(1);
  chart.series[0].points.clear();
  const std::string svg = render_time_chart(chart, ReportZone());
  EXPECT_EQ(markup_problem(svg), "");
  EXPECT_NE(svg.find(">No data in this range</text>"), std::string::npos);
  EXPECT_TRUE(series_paths(svg).empty());
  chart.series.clear();
  EXPECT_EQ(markup_problem(render_time_chart(chart, ReportZone())), "");
}

TEST(SvgChart, ExtremeValuesKeepEveryCoordinateFinite) {
  TimeChart chart = day_chart(24, Quantity::kCount);
  chart.series[0].points[1].value = std::numeric_limits<double>::max();
  chart.series[0].points[2].value = -1e308;
  chart.series[0].points[3].value = std::numeric_limits<double>::denorm_min();
  chart.series[0].points[4].value = 1e300;
  chart.series[0].points[5].value = -1e300;
  const std::string svg = render_time_chart(chart, ReportZone());
  EXPECT_EQ(markup_problem(svg), "");
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  // The two values beyond 1e300 are one gap: the first point alone, then the rest.
  EXPECT_EQ(count(series_paths(svg).at(0), "M"), 2u);
  EXPECT_EQ(count(series_paths(svg).at(0), "h0"), 1u);

  // Only negative values: zero is still on the axis.
  chart = day_chart(24, Quantity::kCount);
  for (ChartPoint& p : chart.series[0].points) p.value = -5 - p.value;
  const std::string negative = render_time_chart(chart, ReportZone());
  EXPECT_NE(negative.find(">0</text>"), std::string::npos);
  EXPECT_NE(negative.find(">\u22126</text>"), std::string::npos) << negative;
}

TEST(SvgChart, RefusesWhatNoCallerShouldAsk) {
  TimeChart chart = day_chart(24);
  chart.until = chart.from;
  EXPECT_THROW(render_time_chart(chart, ReportZone()), std::logic_error);
  chart = day_chart(24);
  chart.width = 10;
  EXPECT_THROW(render_time_chart(chart, ReportZone()), std::logic_error);
}

TEST(SvgChart, ValueAxisSteps) {
  struct {
    double low, high;
    Quantity quantity;
    int max_ticks;
    std::vector<double> ticks;
  } cases[] = {
      {0, 0.0437, Quantity::kDurationSeconds, 6, {0, 0.01, 0.02, 0.03, 0.04, 0.05}},
      {0, 300, Quantity::kDurationSeconds, 6, {0, 60, 120, 180, 240, 300}},
      {0, 3000, Quantity::kDurationSeconds, 5, {0, 900, 1800, 2700, 3600}},
      {0, 7 * 3600, Quantity::kDurationSeconds, 5, {0, 7200, 14400, 21600, 28800}},
      {0, 45, Quantity::kDurationSeconds, 6, {0, 10, 20, 30, 40, 50}},
      {0, 1234, Quantity::kCount, 6, {0, 500, 1000, 1500}},
      {0, 0.7, Quantity::kCount, 5, {0, 1}},
      {0, 0.7, Quantity::kRatePerSecond, 5, {0, 0.2, 0.4, 0.6, 0.8}},
      {0, 0, Quantity::kCount, 5, {0, 1}},
      {-3, 7, Quantity::kCount, 6, {-5, 0, 5, 10}},
      {-3, 7, Quantity::kCount, 7, {-4, -2, 0, 2, 4, 6, 8}},
  };
  for (const auto& c : cases) {
    const ValueAxis axis = value_axis(c.low, c.high, c.quantity, c.max_ticks);
    ASSERT_EQ(axis.ticks.size(), c.ticks.size()) << c.low << " " << c.high;
    for (size_t i = 0; i < c.ticks.size(); ++i) {
      EXPECT_NEAR(axis.ticks[i], c.ticks[i], 1e-12) << c.low << " " << c.high << " " << i;
    }
    EXPECT_LE(axis.ticks.size(), static_cast<size_t>(c.max_ticks));
  }
}

TEST(LatencyHistogram, BarsBoundsAndCounts) {
  LatencyHistogram histogram;
  histogram.title = "Latency of <select>";
  for (double bound = 0.0001; bound < 20; bound *= 10) {
    histogram.buckets.push_back({bound, 0});
    histogram.buckets.push_back({bound * 2.5, 0});
    histogram.buckets.push_back({bound * 5, 0});
  }
  histogram.buckets.push_back({std::numeric_limits<double>::infinity(), 3});
  histogram.buckets[4].count = 1234;  // 1 ms to 2.5 ms
  histogram.buckets[5].count = 250;
  const std::string svg = render_latency_histogram(histogram);
  EXPECT_EQ(markup_problem(svg), "") << svg;
  EXPECT_EQ(count(svg, "<rect "), histogram.buckets.size());
  EXPECT_NE(svg.find("<title>Latency of &lt;select&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>0\u2013100 \u00B5s: 0 queries</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>1 ms\u20132.5 ms: 1234 queries</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>over 50 s: 3 queries</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<desc>Latency histogram of 1.49k queries; the most, 1.23k, took 1 ms\u2013"
                     "2.5 ms.</desc>"),
            std::string::npos)
      << svg;
  EXPECT_NE(svg.find(">1 ms</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">10 ms</text>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find(">2.5 ms</text>"), std::string::npos) << svg;  // no room for every bound
  EXPECT_NE(svg.find(">1.0k</text>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find('#'), std::string::npos);
  EXPECT_EQ(render_latency_histogram(histogram), svg);
}

TEST(LatencyHistogram, EmptyAndInvalidInput) {
  LatencyHistogram histogram;
  histogram.buckets = {{0.001, 0}, {0.01, 0}};
  std::string svg = render_latency_histogram(histogram);
  EXPECT_EQ(markup_problem(svg), "");
  EXPECT_NE(svg.find(">No queries</text>"), std::string::npos);
  histogram.buckets = {{0.01, 1}, {0.001, 1}};
  EXPECT_THROW(render_latency_histogram(histogram), std::logic_error);
  histogram.buckets = {{0.001, -1}};
  EXPECT_THROW(render_latency_histogram(histogram), std::logic_error);
  histogram.buckets = {{0, 1}};
  EXPECT_THROW(render_latency_histogram(histogram), std::logic_error);
}

TEST(SvgChart, StylesheetHasBothColourSchemes) {
  const std::string_view css = chart_css();
  EXPECT_NE(css.find("@media (prefers-color-scheme:dark)"), std::string_view::npos);
  for (int i = 0; i < 6; ++i) {
    EXPECT_NE(css.find(".ss-s" + std::to_string(i) + "{stroke:var(--ss-s" + std::to_string(i)),
              std::string_view::npos);
  }
  EXPECT_EQ(css.find("</style"), std::string_view::npos);
}

}  // namespace
}  // namespace slowscope::html
