// Terminal rendering of `slowscope top` (a ranked table of shapes) and `slowscope show` (one
// shape: totals, a sparkline per target, tables and statement texts). Statement text is made
// terminal-safe. Pure functions of the report; thread-safe.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "reports/history_report.h"

namespace slowscope {

void write_top_text(std::ostream& out, const TopReport& report);

void write_show_text(std::ostream& out, const ShowReport& report);

// `values` as block characters (▁ to █), scaled to the largest, at most `width` characters:
// neighbouring values are summed when there are more values than characters.
std::string sparkline(const std::vector<double>& values, size_t width);

}  // namespace slowscope
