// Alert delivery over real HTTP on loopback: what arrives at a receiver (tests/support/
// http_receiver.h), how each answer is judged — delivered, retried, permanent — what a
// failure says, and that no URL secret ever shows up in it; then the retry schedule.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "reports/alerts/delivery/http_post.h"
#include "reports/alerts/delivery/retry_policy.h"
#include "reports/alerts/sinks/sink_requests.h"
#include "reports/tool_version.h"
#include "tests/support/http_receiver.h"

namespace slowscope {
namespace {

using namespace std::chrono_literals;
using testing::HttpReceiver;
using testing::ScriptedAnswer;

// The parts of a receiver URL that hold its secrets, as Slack's and Splunk On-Call's do.
constexpr const char* kSecretPath = "/services/T000/SECRET123";
constexpr const char* kSecretQuery = "?routing_key=KEY456";

// Long enough for a loaded machine; the tests never wait for it unless something is broken.
constexpr auto kWait = 20s;

void expect_no_url_secret(const std::string& text) {
  for (const char* secret : {"SECRET123", "KEY456", "T000", "pa55word", "/services"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in: " << text;
}

AlertEvent trigger_event() {
  Finding f;
  f.key = {"orders", "9a3f0c1e22b4d5e6", FindingKind::kLatency};
  f.fingerprint = "select * from orders where customer_id = ?";
  f.ratio = 14.2;
  f.before_mean = 0.001;
  f.after_mean = 0.0142;
  f.added_seconds_per_hour = 38 * 60;
  return finding_event(f, AlertAction::kTrigger, 1796558400, AlertThresholds{},
                       "https://reports.example/latest.html");
}

class HttpPost : public ::testing::Test {
 protected:
  HttpRequest request_to(const std::string& path, std::string body = R"({"event":"x"})") {
    return {receiver.url() + path, {}, std::move(body)};
  }

  HttpReceiver receiver;
};

TEST_F(HttpPost, TheExactBodyAndHeadersArrive) {
  HttpRequest request = request_to("/hook?x=1&y=%C3%A9", R"({"summary":"p95 ×14 on orders ✓"})");
  request.headers = {{"X-Routing-Key", "r0ut1ng"}, {"X-Trace", "a b\tc"}};
  const HttpResponse response = http_post(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "ok");
  EXPECT_EQ(response.transport_error, "");
  EXPECT_EQ(judge(response), DeliveryVerdict::kDelivered);

  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/hook?x=1&y=%C3%A9");
  EXPECT_EQ(got[0].path, "/hook");
  EXPECT_EQ(got[0].body, request.body);
  EXPECT_EQ(got[0].header("content-type"), "application/json");
  EXPECT_EQ(got[0].header("Content-Length"), std::to_string(request.body.size()));
  EXPECT_EQ(got[0].header("X-Routing-Key"), "r0ut1ng");
  EXPECT_EQ(got[0].header("X-Trace"), "a b\tc");
  EXPECT_EQ(got[0].header("User-Agent"), "slowscope/" + std::string(tool_version()));
  EXPECT_EQ(got[0].header("Expect"), std::nullopt);
}

TEST_F(HttpPost, ASinkRequestArrivesAsBuilt) {
  // A signed webhook: the receiver must get the exact bytes the signature covers.
  const HttpRequest request =
      webhook_request(trigger_event(), receiver.url() + "/alerts", "s3cret");
  ASSERT_EQ(request.headers.size(), 1u);
  receiver.queue_answer("/alerts", ScriptedAnswer::reply(204, ""));
  const HttpResponse response = http_post(request);
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(judge(response), DeliveryVerdict::kDelivered);
  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, request.body);
  EXPECT_EQ(got[0].header("X-Slowscope-Signature"), request.headers[0].second);
}

TEST_F(HttpPost, OpsgenieAcceptedIsDelivered) {
  const std::string answer =
      R"({"result":"Request will be processed","took":0.107,"requestId":"43a29c5c-3dbf"})";
  receiver.queue_answer("/v2/alerts", ScriptedAnswer::json(202, answer));
  const HttpResponse response = http_post(opsgenie_request(trigger_event(), receiver.url(), "k1"));
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.body, answer);
  EXPECT_EQ(judge(response), DeliveryVerdict::kDelivered);
  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].header("Authorization"), "GenieKey k1");
}

TEST_F(HttpPost, ServerErrorIsRetriedWithTheReceiversMessage) {
  receiver.queue_answer(ScriptedAnswer::reply(500, "upstream down\nplease retry\n"));
  const HttpResponse response = http_post(request_to(kSecretPath));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(judge(response), DeliveryVerdict::kRetry);
  EXPECT_EQ(response.retry_after, std::nullopt);
  EXPECT_EQ(describe_failure(response), "HTTP 500: upstream down\\nplease retry");
}

TEST_F(HttpPost, TooManyRequestsCarriesRetryAfterSeconds) {
  receiver.queue_answer(ScriptedAnswer::reply(429, "slow down", {{"Retry-After", "7"}}));
  const HttpResponse response = http_post(request_to("/v2/enqueue"));
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(judge(response), DeliveryVerdict::kRetry);
  EXPECT_EQ(response.retry_after, 7s);
  // The receiver asked for longer than the first backoff step: it wins.
  EXPECT_EQ(retry_delay(RetryPolicy{}, 1, response.retry_after, 0.0), 7s);
}

TEST_F(HttpPost, RetryAfterAsAnHttpDate) {
  const std::time_t later = std::time(nullptr) + 120;
  std::tm utc{};
  gmtime_r(&later, &utc);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  receiver.queue_answer(ScriptedAnswer::reply(503, "maintenance", {{"Retry-After", date}}));
  const HttpResponse response = http_post(request_to("/"));
  EXPECT_EQ(judge(response), DeliveryVerdict::kRetry);
  ASSERT_TRUE(response.retry_after.has_value()) << date;
  // Relative to the moment the answer was read; the slack is for a slow machine.
  EXPECT_LE(*response.retry_after, 121s);
  EXPECT_GE(*response.retry_after, 60s);
}

TEST_F(HttpPost, ClientErrorIsPermanentWithTheReceiversMessage) {
  const std::string message = R"({"status":"invalid event","errors":["'routing_key' is invalid"]})";
  receiver.queue_answer(ScriptedAnswer::json(400, message));
  const HttpResponse response = http_post(request_to(kSecretPath));
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(judge(response), DeliveryVerdict::kPermanent);
  EXPECT_EQ(describe_failure(response), "HTTP 400: " + message);
}

TEST_F(HttpPost, AReceiverThatHangsTimesOut) {
  // Were the timeout ignored, the answer would come (as a 200) when the hang ends.
  receiver.queue_answer(ScriptedAnswer::hang(60s));
  HttpPostOptions options;
  options.timeout = 300ms;
  const HttpResponse response =
      http_post(request_to(std::string(kSecretPath) + kSecretQuery), options);
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(judge(response), DeliveryVerdict::kRetry);
  EXPECT_NE(response.transport_error.find("timed out"), std::string::npos)
      << response.transport_error;
  EXPECT_EQ(describe_failure(response), response.transport_error);
  expect_no_url_secret(response.transport_error);
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(HttpPost, ConnectionRefusedIsRetried) {
  const std::string url = "http://127.0.0.1:" + std::to_string(testing::unused_loopback_port()) +
                          kSecretPath + kSecretQuery;
  const HttpResponse response = http_post({url, {}, "{}"});
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(judge(response), DeliveryVerdict::kRetry);
  EXPECT_NE(response.transport_error.find("Connection refused"), std::string::npos)
      << response.transport_error;
  expect_no_url_secret(response.transport_error);
  expect_no_url_secret(describe_failure(response));
}

TEST_F(HttpPost, AConnectionClosedWithoutAnswerIsRetried) {
  receiver.queue_answer(ScriptedAnswer::close_connection());
  const HttpResponse response = http_post(request_to(std::string(kSecretPath) + kSecretQuery));
  EXPECT_EQ(response.status, 0);
  EXPECT_EQ(judge(response), DeliveryVerdict::kRetry);
  EXPECT_NE(response.transport_error.find("Empty reply"), std::string::npos)
      << response.transport_error;
  expect_no_url_secret(response.transport_error);
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(HttpPost, ARedirectIsNotFollowedAndIsPermanent) {
  receiver.queue_answer(
      ScriptedAnswer::reply(302, "", {{"Location", receiver.url() + "/elsewhere?key=x"}}));
  const HttpResponse response = http_post(request_to(kSecretPath));
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(judge(response), DeliveryVerdict::kPermanent);
  EXPECT_EQ(describe_failure(response), "HTTP 302");
  // Followed, the second request would have arrived before http_post returned.
  const auto got = receiver.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, kSecretPath);
}

TEST_F(HttpPost, TheResponseBodyIsCutToTheLimit) {
  receiver.set_default_answer(ScriptedAnswer::reply(200, std::string(1 << 20, 'a')));
  HttpPostOptions options;
  options.max_response_bytes = 100;
  const HttpResponse response = http_post(request_to("/"), options);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, std::string(100, 'a'));
  EXPECT_EQ(judge(response), DeliveryVerdict::kDelivered);
}

TEST_F(HttpPost, TheCutNeverSplitsACharacter) {
  HttpPostOptions options;
  options.max_response_bytes = 10;
  // "€" is three bytes: at bytes 9..11 it does not fit and goes whole.
  receiver.queue_answer(ScriptedAnswer::reply(400, "aaaaaaaaa\u20ac\u20ac"));
  EXPECT_EQ(http_post(request_to("/"), options).body, "aaaaaaaaa");
  // Exactly the limit is kept whole.
  receiver.queue_answer(ScriptedAnswer::reply(400, "aaaaaaa\u20ac"));
  EXPECT_EQ(http_post(request_to("/"), options).body, "aaaaaaa\u20ac");
  // A limit of 0 keeps nothing.
  options.max_response_bytes = 0;
  receiver.queue_answer(ScriptedAnswer::reply(400, "bad"));
  const HttpResponse response = http_post(request_to("/"), options);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, "");
}

TEST_F(HttpPost, AHeaderWithALineBreakIsNotSent) {
  HttpRequest request = request_to("/");
  request.headers = {{"X-Key", "k\r\nX-Injected: 1"}};
  const HttpResponse response = http_post(request);
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.transport_error.find("not sent"), std::string::npos);
  EXPECT_TRUE(receiver.requests().empty());
}

TEST_F(HttpPost, OnlyHttpAndHttpsAreSpoken) {
  const HttpResponse response =
      http_post({"ftp://user:pa55word@127.0.0.1/services/T000/SECRET123", {}, "{}"});
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.transport_error.find("ftp"), std::string::npos) << response.transport_error;
  expect_no_url_secret(response.transport_error);
}

TEST_F(HttpPost, CredentialsInTheUrlNeverShowInErrors) {
  const std::string url =
      "http://user:pa55word@127.0.0.1:" + std::to_string(testing::unused_loopback_port()) +
      kSecretPath + kSecretQuery + "#T000";
  const HttpResponse response = http_post({url, {}, "{}"});
  EXPECT_EQ(response.status, 0);
  expect_no_url_secret(response.transport_error);
  expect_no_url_secret(describe_failure(response));
}

TEST_F(HttpPost, AMalformedUrlSaysSoAndNothingMore) {
  const HttpResponse response = http_post({"http://[::1/services/T000/SECRET123", {}, "{}"});
  EXPECT_EQ(response.status, 0);
  EXPECT_FALSE(response.transport_error.empty());
  expect_no_url_secret(response.transport_error);
}

TEST_F(HttpPost, ConcurrentPostsEachGetTheirAnswer) {
  // One curl handle per call: calls from several threads do not interfere.
  std::vector<std::thread> threads;
  std::vector<HttpResponse> responses(4);
  for (size_t i = 0; i < responses.size(); ++i)
    threads.emplace_back(
        [&, i] { responses[i] = http_post(request_to("/t" + std::to_string(i))); });
  for (auto& t : threads) t.join();
  for (const HttpResponse& r : responses) EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(receiver.wait_for_requests(4, kWait));
}

TEST(RetryAfter, DeltaSecondsAndDates) {
  const auto now = std::chrono::system_clock::from_time_t(1792567680 - 90);  // 07:26:30
  EXPECT_EQ(parse_retry_after("120", now), 120s);
  EXPECT_EQ(parse_retry_after(" 0 ", now), 0s);
  EXPECT_EQ(parse_retry_after("99999999999999999999999", now)->count(),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now), 90s);
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-26 07:28:00 GMT", now), 90s);  // RFC 850
  EXPECT_EQ(parse_retry_after("Wed Oct 21 07:28:00 2026", now), 90s);           // asctime
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now), 0s);       // past
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
}

TEST(Judge, StatusClasses) {
  const auto verdict = [](int status) {
    HttpResponse r;
    r.status = status;
    return judge(r);
  };
  for (int status : {200, 201, 202, 204, 299})
    EXPECT_EQ(verdict(status), DeliveryVerdict::kDelivered) << status;
  for (int status : {0, 408, 429, 500, 502, 503, 504, 599})
    EXPECT_EQ(verdict(status), DeliveryVerdict::kRetry) << status;
  for (int status : {100, 301, 302, 304, 307, 400, 401, 403, 404, 409, 413, 422, 600})
    EXPECT_EQ(verdict(status), DeliveryVerdict::kPermanent) << status;
}

TEST(DescribeFailure, OneSafeLine) {
  HttpResponse r;
  r.status = 503;
  EXPECT_EQ(describe_failure(r), "HTTP 503");
  r.body = "  \n";
  EXPECT_EQ(describe_failure(r), "HTTP 503");
  r.body = "line one\r\n\tline two\x1b[31m\xff\xfe end\u202e\n";
  EXPECT_EQ(describe_failure(r),
            "HTTP 503: line one\\r\\n\\tline two\\u001B[31m\\xFF\\xFE end\\u202E");
  r.body = "\u00e9\u00e9 \xef\xbf\xbd";  // a real U+FFFD stays
  EXPECT_EQ(describe_failure(r), "HTTP 503: \u00e9\u00e9 \xef\xbf\xbd");

  r.body = std::string(299, 'x') + "\u00e9\u00e9";
  EXPECT_EQ(describe_failure(r), "HTTP 503: " + std::string(299, 'x') + "\u00e9\u2026");
  r.body = std::string(299, 'x') + "\n";  // trailing space trimmed: fits
  EXPECT_EQ(describe_failure(r), "HTTP 503: " + std::string(299, 'x'));
  r.body = std::string(299, 'x') + "\ny";  // an escape is never split
  EXPECT_EQ(describe_failure(r), "HTTP 503: " + std::string(299, 'x') + "\u2026");

  HttpResponse none;
  EXPECT_EQ(describe_failure(none), "no answer");
  none.transport_error = "Empty reply from server";
  EXPECT_EQ(describe_failure(none), "Empty reply from server");
}

TEST(RetryDelay, ExponentialWithinTheJitterBounds) {
  // 5 s first, 300 s at most; 2.5 s rounds up to 3 s.
  const RetryPolicy policy;
  EXPECT_EQ(retry_delay(policy, 1, std::nullopt, 0.0), 3s);
  EXPECT_EQ(retry_delay(policy, 1, std::nullopt, 0.999), 5s);
  EXPECT_EQ(retry_delay(policy, 2, std::nullopt, 0.0), 5s);
  EXPECT_EQ(retry_delay(policy, 2, std::nullopt, 0.999), 10s);
  EXPECT_EQ(retry_delay(policy, 3, std::nullopt, 0.0), 10s);
  EXPECT_EQ(retry_delay(policy, 3, std::nullopt, 0.999), 20s);
  EXPECT_EQ(retry_delay(policy, 6, std::nullopt, 0.999), 160s);
  for (int attempt = 1; attempt <= 20; ++attempt) {
    const int64_t full = std::min<int64_t>(int64_t{5} << std::min(attempt - 1, 20), 300);
    for (double unit : {0.0, 0.25, 0.5, 0.75, 0.999}) {
      const auto delay = retry_delay(policy, attempt, std::nullopt, unit).count();
      EXPECT_GE(2 * delay, full) << attempt << " " << unit;
      EXPECT_LE(delay, full) << attempt << " " << unit;
    }
  }
}

TEST(RetryDelay, CappedAtMaxDelay) {
  const RetryPolicy policy;
  EXPECT_EQ(retry_delay(policy, 7, std::nullopt, 0.0), 150s);  // 320 s capped at 300 s
  EXPECT_EQ(retry_delay(policy, 7, std::nullopt, 0.999), 300s);
  EXPECT_EQ(retry_delay(policy, 1000000, std::nullopt, 0.999), 300s);
  EXPECT_EQ(retry_delay(policy, 0, std::nullopt, 0.999), 5s);  // counted as the first
  // Out-of-range units are clamped, not trusted.
  EXPECT_EQ(retry_delay(policy, 1, std::nullopt, 7.0), 5s);
  EXPECT_EQ(retry_delay(policy, 1, std::nullopt, -1.0), 3s);
}

TEST(RetryDelay, ALongerRetryAfterWinsUpToGiveUp) {
  const RetryPolicy policy;
  EXPECT_EQ(retry_delay(policy, 1, 60s, 0.999), 60s);
  EXPECT_EQ(retry_delay(policy, 3, 2s, 0.0), 10s);  // shorter than the backoff: backoff
  EXPECT_EQ(retry_delay(policy, 3, -30s, 0.0), 10s);
  EXPECT_EQ(retry_delay(policy, 1, 100000s, 0.5), 3600s);
  RetryPolicy short_lived;
  short_lived.give_up_after = 30s;
  EXPECT_EQ(retry_delay(short_lived, 1, 600s, 0.0), 30s);
}

}  // namespace
}  // namespace slowscope
