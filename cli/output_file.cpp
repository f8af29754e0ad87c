#include "cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

void write_all(int fd, std::string_view content, const std::string& what) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot write " + what + ": " + std::strerror(errno));
    content.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void refuse_output_over_inputs(const std::string& output, const std::vector<std::string>& inputs,
                               std::string_view what) {
  if (output.empty() || output == "-") return;
  struct stat out {};
  if (::stat(output.c_str(), &out) != 0) return;  // a new file is no input
  for (const std::string& input : inputs) {
    struct stat in {};
    if (input == "-" || ::stat(input.c_str(), &in) != 0) continue;
    if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
      throw InvalidInput("--output " + output + " is the " + std::string(what) + " " + input +
                         " (the same file): the report would replace it; write " +
                         "the report to another file");
    }
  }
}

void write_output(const std::string& path, std::string_view content) {
  if (path.empty() || path == "-") {
    std::fflush(stdout);
    write_all(STDOUT_FILENO, content, "standard output");
    return;
  }
  // Devices, pipes and symlinks (/dev/null, /dev/stdout, a FIFO) are written in place:
  // renaming a file over them would replace the device or the link itself.
  struct stat st {};
  const bool exists = ::lstat(path.c_str(), &st) == 0;
  if (exists && !S_ISREG(st.st_mode)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    try {
      write_all(fd, content, path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    return;
  }
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  // A report holds what ran on the servers: readable by its owner only, unless it replaces
  // a file whose owner chose its mode.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  try {
    if (exists) {
      if (::fchown(fd, st.st_uid, st.st_gid) != 0) {
        // Not ours to give away (not root): the new file stays ours, with the old mode.
      }
      if (::fchmod(fd, st.st_mode & 07777) != 0) {
        throw std::runtime_error("cannot set the mode of " + path + ": " + std::strerror(errno));
      }
    }
    write_all(fd, content, path);
    if (::fsync(fd) != 0)
      throw std::runtime_error("cannot flush " + path + ": " + std::strerror(errno));
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
