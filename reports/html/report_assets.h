// The HTML report's stylesheet and script: constant text the page inlines (and the
// Content-Security-Policy allows by hash). Thread-safe.
#pragma once

#include <string_view>

namespace slowscope::html {

// Layout, typography, tables, cards and badges, light and dark (prefers-color-scheme),
// narrow screens. The charts' classes come from chart_css() in svg_chart.h.
std::string_view report_page_css();

// Enhances the shapes table: reads the JSON block #shapes-data, then sorts (the column
// buttons), filters (#shape-filter, by target, query id or text) and pages it, building rows
// with textContent only. The page reads the same without it.
std::string_view report_page_script();

}  // namespace slowscope::html
