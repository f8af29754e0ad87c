#include "cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace slowscope {

ProgressBar::ProgressBar(std::string label, uint64_t total_bytes)
    : label_(std::move(label)),
      total_(total_bytes),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(uint64_t done) {
  std::unique_lock lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;  // another thread is drawing; skipping a frame is fine
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  draw(done);
}

void ProgressBar::draw(uint64_t done) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double mb = double(done) / (1 << 20);
  const double rate = seconds > 0 ? mb / seconds : 0;
  if (total_ > 0) {
    std::fprintf(stderr, "\r%s: %5.1f%% %8.0f MiB  %6.0f MiB/s ", label_.c_str(),
                 100.0 * double(done) / double(total_), mb, rate);
  } else {
    std::fprintf(stderr, "\r%s: %8.0f MiB  %6.0f MiB/s ", label_.c_str(), mb, rate);
  }
  std::fflush(stderr);
}

void ProgressBar::finish() {
  std::lock_guard lock(draw_mutex_);
  if (!enabled_) return;
  enabled_ = false;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace slowscope
