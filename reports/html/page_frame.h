// The frame every HTML page of slowscope shares: the doctype, a Content-Security-Policy
// <meta> that allows the page's one inline style and its one inline script by their hashes
// and nothing else, the viewport and colour-scheme hints, the title, the stylesheet (the
// report's and the charts'), and the script; and the small parts the pages share. Pure;
// thread-safe, but for time_element with a named zone (see time_zone.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "reports/html/time_zone.h"
#include "reports/visible_text.h"  // cut_text

namespace slowscope::html {

struct PageFrame {
  std::string title;  // plain text: escaped here
  std::string body;   // markup, already escaped where it holds data
  // Markup placed after the body, before the script (e.g. a JSON data block).
  std::string data;
  std::string script;  // the inline script; empty: none (and none allowed)
};

// The whole document.
std::string render_page(const PageFrame& page);

// <time datetime="ISO 8601 with offset">the time in `zone`, with its abbreviation</time>.
std::string time_element(const ReportZone& zone, int64_t epoch_seconds);

// A summary card: `label`, `value` and `sub` are markup (escaped by the caller); `warn`
// draws it in the warning colours.
std::string card(std::string_view label, std::string_view value, std::string_view sub,
                 bool warn = false);

}  // namespace slowscope::html
