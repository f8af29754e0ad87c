// Generic webhooks: the slowscope.alert/1 document as the body and, with a secret, an
// HMAC-SHA256 of the exact body bytes in X-Slowscope-Signature ("sha256=" and 64 hex
// digits), which the receiver recomputes to know the request came from slowscope.
#include "reports/alerts/digests.h"
#include "reports/alerts/sinks/sink_requests.h"

namespace slowscope {

HttpRequest webhook_request(const AlertEvent& e, std::string_view url,
                            std::string_view hmac_secret) {
  HttpRequest request{
      std::string(url),
      {},
      alert_document(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
  if (!hmac_secret.empty()) {
    request.headers.emplace_back("X-Slowscope-Signature",
                                 "sha256=" + hmac_sha256_hex(hmac_secret, request.body));
  }
  return request;
}

}  // namespace slowscope
