#include "reports/html/page_frame.h"

#include "reports/html/content_security_policy.h"
#include "reports/html/html_escape.h"
#include "reports/html/report_assets.h"
#include "reports/html/svg_chart.h"

namespace slowscope::html {

std::string render_page(const PageFrame& page) {
  std::string style(report_page_css());
  style += chart_css();
  std::vector<std::string> script_hashes;
  if (!page.script.empty()) script_hashes.push_back(csp_hash(page.script));
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += csp_meta({csp_hash(style)}, script_hashes);
  out += "\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"color-scheme\" content=\"light dark\">\n<title>";
  out += html_text(page.title);
  out += "</title>\n<style>";
  out += style;
  out += "</style>\n</head>\n<body>\n";
  out += page.body;
  out += page.data;
  if (!page.script.empty()) {
    out += "<script>";
    out += page.script;
    out += "</script>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

std::string time_element(const ReportZone& zone, int64_t epoch_seconds) {
  return "<time datetime=\"" + html_attribute(zone.iso8601(epoch_seconds)) + "\">" +
         html_text(zone.format(epoch_seconds)) + "</time>";
}

std::string card(std::string_view label, std::string_view value, std::string_view sub, bool warn) {
  std::string out = warn ? "<div class=\"card warn\">" : "<div class=\"card\">";
  out.append("<div class=\"label\">").append(label).append("</div><div class=\"value\">");
  out.append(value).append("</div><div class=\"sub\">").append(sub).append("</div></div>");
  return out;
}

}  // namespace slowscope::html
