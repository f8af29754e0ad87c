#include "cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "analyzer/error/errors.h"
#include "reports/file_replace.h"

namespace slowscope {
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
  // A report holds what ran on the servers: readable by its owner only, unless it replaces
  // a file whose owner chose its mode.
  ReplaceMode mode;
  if (exists) {
    mode = {.mode = static_cast<mode_t>(st.st_mode & 07777), .owner = st.st_uid, .group = st.st_gid};
  }
  replace_file(path, content, mode);
}

}  // namespace slowscope
