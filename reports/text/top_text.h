// Terminal rendering of `slowscope top` (a ranked table of shapes) and `slowscope show` (one
// shape: totals, a sparkline per target, tables, and statement texts when asked for). Text
// from the store is made terminal-safe. Pure functions of the report; thread-safe.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "reports/history_report.h"

namespace slowscope {

// Where `top` cuts a long query id for a terminal's width.
inline constexpr size_t kShortQueryId = 24;

// How `top` lays out its table.
struct TopTextLayout {
  // Query ids in full (for a pipe, a file, or --wide); else ids longer than kShortQueryId
  // characters are cut there and marked "...": still a start of the id `show` accepts.
  bool full_ids = true;
};

void write_top_text(std::ostream& out, const TopReport& report, const TopTextLayout& layout = {});

// The statements' stored texts only when report.examples is set.
void write_show_text(std::ostream& out, const ShowReport& report);

// `values` as block characters (▁ to █), scaled to the largest, at most `width` characters:
// neighbouring values are summed when there are more values than characters.
std::string sparkline(const std::vector<double>& values, size_t width);

}  // namespace slowscope
