// Slack incoming webhooks: {"text": fallback, "blocks": [...]} (Block Kit). In mrkdwn text
// &, < and > are escaped as &amp; &lt; &gt; — else "<...>" would be read as a link or a
// mention.
#include <nlohmann/json.hpp>

#include "reports/alerts/sinks/sink_requests.h"
#include "reports/visible_text.h"

namespace slowscope {
namespace {

std::string mrkdwn_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

HttpRequest slack_request(const AlertEvent& e, std::string_view webhook_url) {
  const bool trigger = e.action == AlertAction::kTrigger;
  const std::string headline =
      std::string(trigger ? ":rotating_light: *" : ":white_check_mark: *Resolved* ") +
      (trigger ? std::string(to_string(e.severity)) + "*  " : "") + mrkdwn_escaped(e.summary);
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  blocks.push_back(
      {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", cut_text(headline, 2900)}}}});
  std::string context = "target *" + mrkdwn_escaped(e.target) + "*  ·  " + e.kind;
  if (!e.release.empty()) context += "  ·  after release *" + mrkdwn_escaped(e.release) + "*";
  if (!e.incident.empty()) context += "  ·  incident " + mrkdwn_escaped(e.incident);
  for (const AlertLink& l : e.links) {
    context += "  ·  <" + mrkdwn_escaped(l.href) + "|" + mrkdwn_escaped(l.text) + ">";
  }
  blocks.push_back({{"type", "context"},
                    {"elements", {{{"type", "mrkdwn"}, {"text", cut_text(context, 2900)}}}}});
  const nlohmann::ordered_json body = {{"text", mrkdwn_escaped(e.summary)}, {"blocks", blocks}};
  return {std::string(webhook_url),
          {},
          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace slowscope
