// Test support: a loopback TCP port that forwards to another, and can be taken down and put
// back — a database server that "stops" and "returns" for the collector, while the real
// server behind it keeps serving the other tests. Header-only.
//
// Not thread-safe: one owner calls up() and down(); its own threads do the forwarding.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace slowscope::testing {

class TcpForwarder {
 public:
  // Forwards 127.0.0.1:port() to 127.0.0.1:`to_port`; down until up().
  explicit TcpForwarder(int to_port) : to_port_(to_port) {
    const int probe = listen_socket(0);
    sockaddr_in address{};
    socklen_t length = sizeof address;
    getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    close(probe);
  }
  ~TcpForwarder() { down(); }
  TcpForwarder(const TcpForwarder&) = delete;
  TcpForwarder& operator=(const TcpForwarder&) = delete;

  int port() const { return port_; }

  // Listens again and forwards new connections.
  void up() {
    if (listener_ >= 0) return;
    listener_ = listen_socket(port_);
    stopping_ = false;
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  // Stops listening and cuts every forwarded connection: to a client, the server is gone.
  void down() {
    if (listener_ < 0) return;
    stopping_ = true;
    {
      std::lock_guard lock(mutex_);
      for (const int fd : open_) shutdown(fd, SHUT_RDWR);
    }
    acceptor_.join();
    close(listener_);
    listener_ = -1;
    std::lock_guard lock(mutex_);
    for (const int fd : open_) close(fd);
    open_.clear();
  }

 private:
  static int listen_socket(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(fd, 16) != 0) {
      close(fd);
      throw std::runtime_error("tcp forwarder: cannot listen on 127.0.0.1:" + std::to_string(port));
    }
    return fd;
  }

  // Accepts until down(), then waits for its connections' pumps.
  void accept_loop() {
    std::vector<std::thread> pumps;
    while (!stopping_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      const int client = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      const int server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<uint16_t>(to_port_));
      if (connect(server, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(client);
        close(server);
        continue;
      }
      {
        std::lock_guard lock(mutex_);
        open_.push_back(client);
        open_.push_back(server);
      }
      pumps.emplace_back([this, client, server] { pump(client, server); });
    }
    for (std::thread& t : pumps) t.join();
  }

  // Copies both ways until either side closes or down() cuts them.
  void pump(int a, int b) {
    char buffer[16384];
    while (!stopping_) {
      pollfd p[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (poll(p, 2, 50) <= 0) continue;
      for (int i = 0; i < 2; ++i) {
        if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = read(p[i].fd, buffer, sizeof buffer);
        if (n <= 0) {
          shutdown(a, SHUT_RDWR);
          shutdown(b, SHUT_RDWR);
          return;
        }
        const int to = i == 0 ? b : a;
        for (ssize_t sent = 0; sent < n;) {
          const ssize_t w = send(to, buffer + sent, static_cast<size_t>(n - sent), MSG_NOSIGNAL);
          if (w <= 0) return;
          sent += w;
        }
      }
    }
  }

  int to_port_;
  int port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<int> open_;  // forwarded sockets, closed by down()
  std::thread acceptor_;
};

}  // namespace slowscope::testing
