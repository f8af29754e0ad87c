#include "tests/support/http_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace slowscope::testing {
namespace {

// The port of a bound IPv4 socket's local or peer address; -1 when it has none.
int socket_port(int fd, bool peer) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  const int result = peer ? getpeername(fd, generic, &length) : getsockname(fd, generic, &length);
  if (result != 0 || address.sin_family != AF_INET) return -1;
  return ntohs(address.sin_port);
}

// Ends the connection from 127.0.0.1:`peer_port` to our `local_port` without a byte of
// answer. cpp-httplib shows a handler neither the socket nor a way to drop the connection,
// so the socket is found among the process's descriptors by its two ports (unique while
// the connection is open, and this thread is the one serving it); shutdown() sends the
// FIN and leaves closing the descriptor to cpp-httplib, whose own answer then fails.
void drop_connection(int local_port, int peer_port) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    int fd = -1;
    try {
      fd = std::stoi(entry.path().filename().string());
    } catch (const std::exception&) {
      continue;
    }
    if (socket_port(fd, false) == local_port && socket_port(fd, true) == peer_port) {
      shutdown(fd, SHUT_RDWR);
      return;
    }
  }
  throw std::runtime_error("http_receiver: the connection to drop was not found");
}

}  // namespace

std::optional<std::string> ReceivedRequest::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) return v;
  return std::nullopt;
}

ScriptedAnswer ScriptedAnswer::reply(int status, std::string body, HttpHeaders headers) {
  ScriptedAnswer answer;
  answer.status = status;
  answer.body = std::move(body);
  answer.headers = std::move(headers);
  return answer;
}

ScriptedAnswer ScriptedAnswer::json(int status, std::string body) {
  ScriptedAnswer answer = reply(status, std::move(body));
  answer.content_type = "application/json";
  return answer;
}

ScriptedAnswer ScriptedAnswer::hang(std::chrono::milliseconds delay, ScriptedAnswer then) {
  then.delay = delay;
  return then;
}

ScriptedAnswer ScriptedAnswer::hang(std::chrono::milliseconds delay) {
  return hang(delay, ScriptedAnswer{});
}

ScriptedAnswer ScriptedAnswer::close_connection() {
  ScriptedAnswer answer;
  answer.close_without_answer = true;
  return answer;
}

struct HttpReceiver::State {
  httplib::Server server;
  int port = 0;
  std::thread listener;
  bool stopped = false;  // stop() ran (test thread only)

  mutable std::mutex mutex;
  mutable std::condition_variable arrived;  // a request was recorded, or stopping
  std::condition_variable stopping_cv;      // wakes hanging answers
  bool stopping = false;
  std::vector<ReceivedRequest> received;
  std::map<std::string, std::deque<ScriptedAnswer>> by_path;
  std::deque<ScriptedAnswer> any_path;
  ScriptedAnswer default_answer;

  // Records `request` and returns the answer it gets.
  ScriptedAnswer record(const httplib::Request& request) {
    ReceivedRequest r;
    r.method = request.method;
    r.target = request.target;
    r.path = request.path;
    for (const auto& header : request.headers) r.headers.push_back(header);
    r.body = request.body;
    r.received_at = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex);
    received.push_back(std::move(r));
    arrived.notify_all();
    for (std::deque<ScriptedAnswer>* queue : {&by_path[request.path], &any_path}) {
      if (queue->empty()) continue;
      ScriptedAnswer answer = std::move(queue->front());
      queue->pop_front();
      return answer;
    }
    return default_answer;
  }

  void handle(const httplib::Request& request, httplib::Response& response) {
    const ScriptedAnswer answer = record(request);
    if (answer.delay.count() > 0) {
      std::unique_lock lock(mutex);
      stopping_cv.wait_for(lock, answer.delay, [&] { return stopping; });
    }
    if (answer.close_without_answer) {
      drop_connection(port, request.remote_port);
      return;
    }
    response.status = answer.status;
    for (const auto& [name, value] : answer.headers) response.set_header(name, value);
    response.set_content(answer.body, answer.content_type.c_str());
  }
};

HttpReceiver::HttpReceiver() : state_(std::make_unique<State>()) {
  State& s = *state_;
  const auto handler = [&s](const httplib::Request& request, httplib::Response& response) {
    s.handle(request, response);
  };
  s.server.Post(".*", handler);
  s.server.Put(".*", handler);
  s.server.Patch(".*", handler);
  s.server.Delete(".*", handler);
  s.server.Get(".*", handler);
  // A client that keeps its connection open must not hold up stop() for long.
  s.server.set_keep_alive_timeout(1);
  s.port = s.server.bind_to_any_port("127.0.0.1");
  if (s.port <= 0)
    throw std::runtime_error(std::string("http_receiver: cannot listen on 127.0.0.1: ") +
                             std::strerror(errno));
  s.listener = std::thread([&s] {
    // The server's worker threads are started from here and inherit the mask: a write to a
    // client that went away fails with EPIPE instead of killing the process.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    s.server.listen_after_bind();
  });
  // stop() only stops a server that is running: wait until it is (bounded, it is immediate).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!s.server.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      // The thread may still use the state: leave both to the end of the process.
      s.listener.detach();
      static_cast<void>(state_.release());
      throw std::runtime_error("http_receiver: the server did not start");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

HttpReceiver::~HttpReceiver() {
  stop();
}

std::string HttpReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(state_->port);
}

int HttpReceiver::port() const {
  return state_->port;
}

void HttpReceiver::queue_answer(ScriptedAnswer answer, int times) {
  std::lock_guard lock(state_->mutex);
  for (int i = 0; i < times; ++i) state_->any_path.push_back(answer);
}

void HttpReceiver::queue_answer(std::string path, ScriptedAnswer answer, int times) {
  std::lock_guard lock(state_->mutex);
  for (int i = 0; i < times; ++i) state_->by_path[path].push_back(answer);
}

void HttpReceiver::set_default_answer(ScriptedAnswer answer) {
  std::lock_guard lock(state_->mutex);
  state_->default_answer = std::move(answer);
}

std::vector<ReceivedRequest> HttpReceiver::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->received;
}

bool HttpReceiver::wait_for_requests(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->arrived.wait_for(lock, timeout, [&] { return state_->received.size() >= count; });
}

void HttpReceiver::stop() {
  State& s = *state_;
  if (s.stopped) return;
  s.stopped = true;
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.stopping_cv.notify_all();
  s.server.stop();
  if (s.listener.joinable()) s.listener.join();
}

int unused_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  const int port = bound ? socket_port(fd, false) : -1;
  close(fd);
  if (port <= 0) throw std::runtime_error("unused_loopback_port: cannot bind to 127.0.0.1");
  return port;
}


std::optional<std::string> http_get(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return std::nullopt;
  const size_t path_at = url.find('/', scheme.size());
  const std::string host_port = url.substr(scheme.size(), path_at - scheme.size());
  const std::string path = path_at == std::string::npos ? "/" : url.substr(path_at);
  httplib::Client client(scheme + host_port);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(5));
  const httplib::Result result = client.Get(path.c_str());
  if (!result || result->status != 200) return std::nullopt;
  return result->body;
}

}  // namespace slowscope::testing
