// Sends one alert request (reports/alerts/sinks/sink_requests.h) over HTTP(S) with libcurl
// and reports what came back — the status, the start of the receiver's message, its
// Retry-After — or why nothing came back. Whether to retry is decided elsewhere
// (reports/alerts/delivery/retry_policy.h): this layer only transports.
//
// Receiver URLs hold secrets (a Slack webhook's path, a Splunk On-Call routing key, query
// keys), so a request never leaves its URL: redirects are not followed (a 3xx is the
// answer), only http and https are spoken (a URL without a scheme is https), and no text
// this layer returns holds the URL's user, password, path, query or fragment — the host and
// port may appear. Nothing is logged.
//
// Proxies: libcurl's defaults apply, so http_proxy / https_proxy / no_proxy in the
// environment are honoured (operators behind an egress proxy need them).
//
// Thread-safe: every call has its own curl handle; libcurl's global state is set up once,
// on the first call. libcurl is told not to use signals (CURLOPT_NOSIGNAL); on Linux it
// sends with MSG_NOSIGNAL, so a peer that closes mid-request does not raise SIGPIPE.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "reports/alerts/sinks/sink_requests.h"

namespace slowscope {

// Timeouts below 1 ms count as 1 ms: a request never waits without a limit.
struct HttpPostOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{10000};  // the whole request, connecting included
  size_t max_response_bytes = 4096;          // kept of the response body (the receiver's message)
};

struct HttpResponse {
  int status = 0;    // the HTTP status; 0 when no complete response came (transport error)
  std::string body;  // at most max_response_bytes, cut at a UTF-8 boundary
  // Retry-After as delta-seconds or an HTTP-date (taken relative to now), never negative.
  std::optional<std::chrono::seconds> retry_after;
  // When status == 0: why, in libcurl's words ("Failed to connect to 127.0.0.1 port 9 after
  // 0 ms: Couldn't connect to server (Connection refused)", "Operation timed out after 300
  // milliseconds with 0 bytes received"); never the URL's path, query, user or password.
  std::string transport_error;
};

// Sends `request` as a POST with Content-Type: application/json, its headers and its body,
// and returns the answer. Never throws for network or HTTP failures, never follows a
// redirect, never logs. A header whose name or value would break the header block (a line
// break, a colon in the name) is not sent: the request fails with a transport error.
HttpResponse http_post(const HttpRequest& request, const HttpPostOptions& options = {});

// The wait a Retry-After header value asks for: delta-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2026 07:28:00 GMT", relative to `now`); never negative (a past date is 0);
// nullopt for anything else.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

}  // namespace slowscope
