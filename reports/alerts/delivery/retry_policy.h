// When an alert delivery is done, retried or given up: the verdict on one attempt's answer,
// the wait before the next attempt, and the one-line description of a failed attempt that
// logs and the outbox keep. The sender loop applies them; keeping them pure keeps the
// rules testable without a network or a clock.
//
// The rules: a 2xx delivers; 408, 429, 5xx and no answer at all are worth retrying with
// exponential backoff and jitter (a receiver's Retry-After, when longer, wins); any other
// answer (3xx, other 4xx) will not change by asking again. Retries stop once
// RetryPolicy::give_up_after has passed since the first attempt.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "reports/alerts/delivery/http_post.h"

namespace slowscope {

enum class DeliveryVerdict { kDelivered, kRetry, kPermanent };

// 2xx delivered; 408, 429, 5xx and transport errors (status 0) retried; anything else (3xx,
// other 4xx) permanent.
DeliveryVerdict judge(const HttpResponse& response);

struct RetryPolicy {
  std::chrono::seconds first_delay{5};
  std::chrono::seconds max_delay{300};
  std::chrono::seconds give_up_after{3600};  // since the first attempt: then the delivery fails
};

// The wait before attempt `attempt` + 1 (`attempt` counts from 1; below 1 counts as 1):
// first_delay * 2^(attempt-1), capped at max_delay, scaled by a jitter factor in
// [1/2, 1] drawn from `random_unit` in [0, 1) (clamped to [0, 1]) and rounded up to whole
// seconds; a longer `retry_after` wins, capped at give_up_after.
std::chrono::seconds retry_delay(const RetryPolicy& policy, int attempt,
                                 std::optional<std::chrono::seconds> retry_after,
                                 double random_unit);

// One line for logs and the outbox: "HTTP 400: <the receiver's message>" (its first 300
// characters, "…" when cut; line breaks and other control or invisible characters
// escaped as "\n", "\u0007"; bytes that are not UTF-8 as "\xNN"; just "HTTP 400" when the
// message is empty), or for status 0 the transport error ("… (Connection refused)").
// Always valid UTF-8 with no line break; never the URL (http_post keeps it out).
std::string describe_failure(const HttpResponse& response);

}  // namespace slowscope
