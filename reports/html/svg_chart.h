// Inline SVG charts for the HTML report, drawn on the server so that the page reads with
// JavaScript off: a time-series line chart (latency, counts or rates per bucket, with the
// releases marked) and a latency histogram.
//
// What the output is: one <svg> element, role="img" with a <title> (and a <desc> that
// states the range and each series' peak), a viewBox, no scripts, no event handlers, no
// style attributes (the page's Content-Security-Policy allows none), no ids, no external
// references. Its colours are CSS classes (ss-chart, ss-s0...ss-s5, ss-grid, ss-axis,
// ss-release, ss-bar, ss-title, ss-caption, ss-note) over presentation attributes that use
// currentColor, so it reads in the page's text colour without the stylesheet and in the
// palette of chart_css(), light or dark, with it. Every string from the input (title,
// series and release names) is escaped with html_text; long names are shortened. Numbers
// are written with one decimal, so the same input gives the same bytes.
//
// Size: a series is thinned to the minimum and maximum of each pixel column when more than
// two of its points fall in one, so however many points it has, a path holds at most two per
// column. A 720-pixel chart of a day of minutes is about 16 KB.
//
// Pure functions except for the time zone reads of ReportZone (see time_zone.h: named zones
// are not thread-safe); the charts themselves hold no state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reports/html/time_zone.h"
#include "reports/html/units.h"

namespace slowscope::html {

struct ChartPoint {
  int64_t time;  // epoch seconds, the start of the point's bucket
  double value;  // NaN, infinite or beyond ±1e300: no value, a gap
};

struct ChartSeries {
  std::string name;                // shown in the legend when a chart has more than one series
  std::vector<ChartPoint> points;  // any order; sorted by time when drawn
};

struct ReleaseMarker {
  int64_t time;  // epoch seconds
  std::string label;
};

struct TimeChart {
  std::string title;
  Quantity quantity = Quantity::kDurationSeconds;
  // viewBox size, 240..4000 by 120..2000. Labels are 11 units high: a chart 400 wide
  // shows them at 11 px or more two to a row on a laptop and at 9 px on a phone.
  int width = 400, height = 200;
  int64_t from = 0, until = 0;    // the x range, epoch seconds, from < until
  // Two points of a series farther apart than 1.5 buckets are not joined: the missing
  // buckets show as a break in the line. 0: only non-finite values break it.
  int64_t bucket_seconds = 0;
  std::vector<ChartSeries> series;  // up to 6 get their own colour; more repeat them
  std::vector<ReleaseMarker> releases;
};

// The line chart: y over the data's range and zero, with 1-2-5 ticks labelled in the
// quantity's unit; x ticks at round times in `zone` and an axis caption naming the zone; a
// dashed vertical line and label per release inside the range (labels that do not fit stay
// in the line's tooltip); "No data in this range" when no point is. Throws std::logic_error
// for a size out of range or from >= until, std::out_of_range for a time outside the years
// 0000 to 9999.
std::string render_time_chart(const TimeChart& chart, const ReportZone& zone);

struct HistogramBucket {
  double upper_bound_seconds;  // ascending, > 0; +infinity for an overflow bucket
  double count;                // >= 0
};

struct LatencyHistogram {
  std::string title;
  int width = 400, height = 200;         // viewBox size, as TimeChart
  std::vector<HistogramBucket> buckets;  // each from the previous bound (0 for the first)
};

// The histogram: one bar per bucket, all of one width (buckets are log-spaced), bucket bounds
// on the x axis as durations (as many as fit), counts on the y axis, each bar's bucket and
// count in its <title>. Throws std::logic_error for a size out of range, bounds that do not
// ascend or a negative count.
std::string render_latency_histogram(const LatencyHistogram& histogram);

// The stylesheet the charts' classes expect, light and dark (prefers-color-scheme): for the
// page's one <style> element, whose hash the Content-Security-Policy allows.
std::string_view chart_css();

// The "nice" value axis for data in [low, high]: a step of 1, 2 or 5 times a power of ten
// (durations of a minute or more: 1, 2, 5, 10, 15, 30 min, 1, 2, 3, 6, 12 h, then whole
// days; counts: at least 1), ticks from a multiple of it at or below `low` to one at or above
// `high`: the smallest such step that makes at most `max_ticks` (>= 2) ticks. A range with
// high <= low becomes [low, low + max(|low|, 1)].
struct ValueAxis {
  double step;
  std::vector<double> ticks;
};
ValueAxis value_axis(double low, double high, Quantity quantity, int max_ticks);

}  // namespace slowscope::html
