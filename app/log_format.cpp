#include "app/log_format.h"

#include <spdlog/details/log_msg.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "analyzer/time/utc_time.h"

namespace slowscope {
namespace {

thread_local const std::string* current_target = nullptr;

class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    nlohmann::ordered_json line;
    line["time"] = format_utc(
        std::chrono::duration_cast<std::chrono::microseconds>(msg.time.time_since_epoch()).count());
    const spdlog::string_view_t level = spdlog::level::to_string_view(msg.level);
    line["level"] = std::string(level.data(), level.size());
    line["message"] = std::string(msg.payload.data(), msg.payload.size());
    if (current_target != nullptr) line["target"] = *current_target;
    // Replaced, not thrown: a message may quote a server's bytes that are not UTF-8.
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLogFormatter>();
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_json_log_formatter() {
  return std::make_unique<JsonLogFormatter>();
}

LogTarget::LogTarget(std::string target) : target_(std::move(target)), outer_(current_target) {
  current_target = &target_;
}

LogTarget::~LogTarget() {
  current_target = outer_;
}

const std::string* LogTarget::current() {
  return current_target;
}

}  // namespace slowscope
