#include "reports/file_replace.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace slowscope {

void write_all(int fd, std::string_view content, const std::string& what) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write " + what + ": " + std::strerror(errno));
    content.remove_prefix(static_cast<size_t>(n));
  }
}

void replace_file(const std::string& path, std::string_view content, const ReplaceMode& mode) {
  replace_file_with(path, mode,
                    [&](int fd, const std::string& temp) { write_all(fd, content, temp); });
}

void replace_file_with(const std::string& path, const ReplaceMode& mode,
                       const std::function<void(int fd, const std::string& temp_path)>& fill) {
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode.mode);
  if (fd < 0) throw std::runtime_error("cannot create " + temp + ": " + std::strerror(errno));
  try {
    if (mode.owner != static_cast<uid_t>(-1) && ::fchown(fd, mode.owner, mode.group) != 0) {
      // Not ours to give away (not root): the new file stays ours.
    }
    if (::fchmod(fd, mode.mode) != 0) {
      throw std::runtime_error("cannot set the mode of " + temp + ": " + std::strerror(errno));
    }
    fill(fd, temp);
    if (::fsync(fd) != 0) {
      throw std::runtime_error("cannot flush " + temp + ": " + std::strerror(errno));
    }
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw std::runtime_error("cannot replace " + path + ": " + std::strerror(err));
  }
}

}  // namespace slowscope
