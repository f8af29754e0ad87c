// Test support: a real HTTP server on loopback that stands in for an alert receiver
// (PagerDuty, Opsgenie, Slack, a webhook, ...). It records every request it gets and answers
// from a script the test queues — a status and body, a Retry-After, a hang past the client's
// timeout, a connection closed without an answer — so that delivery code is tested against
// real sockets and real HTTP, not a mock.
//
// Built on cpp-httplib. It listens on 127.0.0.1 on a port the kernel picks, serves from its
// own threads, and stops (waking any hanging answer at once) when stop() is called or it is
// destroyed. Waits take deadlines: wait_for_requests() returns false instead of hanging.
//
// Which answer a request gets: the next one queued for its path (the path without its
// query string), else the next one queued for any path, else the default answer (200 "ok"
// unless set_default_answer() changed it). A queued answer is used once.
//
// Thread-safe: the test thread may queue answers, read requests and wait while the server
// threads record and answer. The server threads block SIGPIPE, so answering a client that
// has already given up never kills the test process.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slowscope::testing {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// One request as the receiver got it. cpp-httplib 0.11 leaves out headers whose value is
// empty.
struct ReceivedRequest {
  std::string method;  // "POST"
  std::string target;  // the path with its query string, as sent: "/services/T0/B0?x=1"
  std::string path;    // the path alone, percent-decoded: "/services/T0/B0"
  HttpHeaders headers;
  std::string body;
  std::chrono::steady_clock::time_point received_at;  // when the whole request had arrived

  // The value of the first header called `name` (case-insensitive); nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

// How the receiver answers one request.
struct ScriptedAnswer {
  int status = 200;
  std::string body = "ok";
  std::string content_type = "text/plain";
  HttpHeaders headers;  // besides Content-Type, e.g. {"Retry-After", "7"} or a Location
  // Wait this long before answering (a stop() ends the wait early): set it past the
  // client's timeout to make the client give up.
  std::chrono::milliseconds delay{0};
  // After the delay, close the connection without sending a byte of answer.
  bool close_without_answer = false;

  // `status` with `body` (text/plain) and `headers`.
  static ScriptedAnswer reply(int status, std::string body, HttpHeaders headers = {});
  // `status` with a JSON `body`, e.g. json(202, R"({"requestId":"r1"})").
  static ScriptedAnswer json(int status, std::string body);
  // `then` (the plain 200 "ok" when not given), after hanging for `delay`.
  static ScriptedAnswer hang(std::chrono::milliseconds delay, ScriptedAnswer then);
  static ScriptedAnswer hang(std::chrono::milliseconds delay);
  // The connection closed without an answer.
  static ScriptedAnswer close_connection();
};

class HttpReceiver {
 public:
  // Listens on 127.0.0.1 on a free port and serves until stop(); throws std::runtime_error
  // when it cannot listen.
  HttpReceiver();
  ~HttpReceiver();  // stop()
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  // "http://127.0.0.1:PORT", no trailing slash.
  std::string url() const;
  int port() const;

  // Queues `answer` for the next `times` requests to any path.
  void queue_answer(ScriptedAnswer answer, int times = 1);
  // Queues `answer` for the next `times` requests to `path` (no query string).
  void queue_answer(std::string path, ScriptedAnswer answer, int times = 1);
  // The answer when nothing is queued (200 "ok" until set).
  void set_default_answer(ScriptedAnswer answer);

  // A copy of every request received so far, in order of arrival.
  std::vector<ReceivedRequest> requests() const;
  // Waits until at least `count` requests have arrived; false when `timeout` passed first.
  bool wait_for_requests(size_t count, std::chrono::milliseconds timeout) const;

  // Stops listening, wakes hanging answers and waits for the server threads. Idempotent.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A loopback port nothing listens on (bound to port 0, read, closed), for "connection
// refused". The kernel picks ephemeral ports spread over a wide range, so something else
// taking this one before the test connects is unlikely, not impossible.
int unused_loopback_port();

// The body of GET `url` (http://host:port/path?query) when it answers 200; nullopt for any
// other answer or none within a few seconds. For reading a real server's API in tests.
std::optional<std::string> http_get(const std::string& url);

}  // namespace slowscope::testing
