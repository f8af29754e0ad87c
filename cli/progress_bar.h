// A one-line progress indicator on stderr for long reads, drawn only when stderr is a
// terminal (never into logs or pipes). Thread-safe: parser threads report concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace slowscope {

class ProgressBar {
 public:
  // `total_bytes` 0 means unknown (stdin): bytes and speed are shown without a percentage.
  ProgressBar(std::string label, uint64_t total_bytes);
  ~ProgressBar();

  // Records `done` bytes processed so far; redraws at most a few times per second.
  void update(uint64_t done);

  // Erases the line; further update() calls draw nothing.
  void finish();

  bool enabled() const { return enabled_; }

 private:
  void draw(uint64_t done);

  std::string label_;
  uint64_t total_;
  bool enabled_;
  std::mutex draw_mutex_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace slowscope
