// The frame every HTML page of slowscope shares: the doctype, a Content-Security-Policy
// <meta> that allows the page's one inline style and its one inline script by their hashes
// and nothing else, the viewport and colour-scheme hints, the title, the stylesheet (the
// report's and the charts'), and the script. Pure; thread-safe.
#pragma once

#include <string>

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

}  // namespace slowscope::html
