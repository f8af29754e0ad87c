#include "analyzer/config/password_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "analyzer/config/config.h"

namespace slowscope {

mode_t regular_file_mode(const std::filesystem::path& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw ConfigError(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    throw ConfigError(std::string(what) + " " + path.string() + " is not a regular file");
  }
  return st.st_mode & 07777;
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

std::string read_first_line(const std::filesystem::path& path, std::string_view what) {
  errno = 0;
  std::ifstream in(path);
  if (!in) {
    const int error = errno;
    throw ConfigError(std::string(what) + " " + path.string() + ": cannot open" +
                      (error != 0 ? std::string(": ") + std::strerror(error) : ""));
  }
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

void check_password_file(const std::filesystem::path& path) {
  const mode_t mode = regular_file_mode(path, "password file");
  if ((mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw ConfigError("password file " + path.string() +
                      " is accessible by group or others (mode " + octal_mode(mode) +
                      "); chmod 600 it");
  }
}

std::string read_password_file(const std::filesystem::path& path) {
  check_password_file(path);
  return read_first_line(path, "password file");
}

}  // namespace slowscope
