#include "reports/alerts/delivery/alert_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "reports/alerts/sinks/sink_requests.h"

namespace slowscope {
namespace {

SinkResult result_of(const HttpResponse& response) {
  SinkResult result;
  result.verdict = judge(response);
  result.retry_after = response.retry_after;
  result.message = result.verdict == DeliveryVerdict::kDelivered
                       ? "HTTP " + std::to_string(response.status)
                       : describe_failure(response);
  return result;
}

// Keeps at least `spacing` between the starts of two sends.
class Spacer {
 public:
  explicit Spacer(std::chrono::milliseconds spacing) : spacing_(spacing) {}
  void wait() {
    if (spacing_.count() > 0 && last_) {
      std::this_thread::sleep_until(*last_ + spacing_);
    }
    last_ = std::chrono::steady_clock::now();
  }

 private:
  std::chrono::milliseconds spacing_;
  std::optional<std::chrono::steady_clock::time_point> last_;
};

class HttpSink : public AlertSink {
 public:
  HttpSink(std::string name, RequestBuilder build, HttpPostOptions options,
           std::chrono::milliseconds min_spacing)
      : name_(std::move(name)),
        build_(std::move(build)),
        options_(options),
        spacing_(min_spacing),
        spacer_(min_spacing) {}

  const std::string& name() const override { return name_; }

  SinkResult deliver(const AlertEvent& event, int64_t now) override {
    spacer_.wait();
    return result_of(http_post(build_(event, now), options_));
  }

  std::chrono::milliseconds min_spacing() const override { return spacing_; }

 private:
  std::string name_;
  RequestBuilder build_;
  HttpPostOptions options_;
  std::chrono::milliseconds spacing_;
  Spacer spacer_;
};

class AlertmanagerSink : public AlertSink {
 public:
  AlertmanagerSink(std::string name, std::string base_url, std::chrono::seconds firing_for,
                   HttpPostOptions options)
      : name_(std::move(name)),
        base_url_(std::move(base_url)),
        firing_for_(firing_for),
        options_(options) {}

  const std::string& name() const override { return name_; }

  SinkResult deliver(const AlertEvent& event, int64_t now) override {
    return result_of(
        http_post(alertmanager_request({event}, base_url_, now, firing_for_.count()), options_));
  }

  SinkResult refresh(const std::vector<AlertEvent>& firing, int64_t now) override {
    if (firing.empty()) return {};
    return result_of(
        http_post(alertmanager_request(firing, base_url_, now, firing_for_.count()), options_));
  }

 private:
  std::string name_;
  std::string base_url_;
  std::chrono::seconds firing_for_;
  HttpPostOptions options_;
};

class FileSink : public AlertSink {
 public:
  FileSink(std::string name, std::filesystem::path path)
      : name_(std::move(name)), path_(std::move(path)) {}

  const std::string& name() const override { return name_; }

  SinkResult deliver(const AlertEvent& event, int64_t) override {
    const std::string line = alert_document(event).dump() + "\n";
    const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return failed("cannot open " + path_.string() + ": " + std::strerror(errno));
    // One write of the whole line: appends of concurrent writers do not interleave.
    const ssize_t wrote = ::write(fd, line.data(), line.size());
    const int write_errno = errno;
    const bool synced = wrote == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    const int sync_errno = errno;
    ::close(fd);
    if (wrote != static_cast<ssize_t>(line.size())) {
      return failed("cannot write " + path_.string() + ": " +
                    (wrote < 0 ? std::strerror(write_errno) : "short write"));
    }
    if (!synced) return failed("cannot sync " + path_.string() + ": " + std::strerror(sync_errno));
    return {DeliveryVerdict::kDelivered, std::nullopt, "appended to " + path_.string()};
  }

 private:
  // A disk that is full or a folder that is not there yet may come right: retried.
  static SinkResult failed(std::string message) {
    return {DeliveryVerdict::kRetry, std::nullopt, std::move(message)};
  }

  std::string name_;
  std::filesystem::path path_;
};

}  // namespace

SinkResult AlertSink::refresh(const std::vector<AlertEvent>&, int64_t) {
  return {};
}

std::unique_ptr<AlertSink> http_sink(std::string name, RequestBuilder build,
                                     HttpPostOptions options,
                                     std::chrono::milliseconds min_spacing) {
  return std::make_unique<HttpSink>(std::move(name), std::move(build), options, min_spacing);
}

std::unique_ptr<AlertSink> alertmanager_sink(std::string name, std::string base_url,
                                             std::chrono::seconds firing_for,
                                             HttpPostOptions options) {
  return std::make_unique<AlertmanagerSink>(std::move(name), std::move(base_url), firing_for,
                                            options);
}

std::unique_ptr<AlertSink> file_sink(std::string name, std::filesystem::path path) {
  return std::make_unique<FileSink>(std::move(name), std::move(path));
}

}  // namespace slowscope
