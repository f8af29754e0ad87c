#include "analyzer/config/password_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "analyzer/config/config.h"

namespace slowscope {

void check_password_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw ConfigError("password file " + path.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    throw ConfigError("password file " + path.string() + " is not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    throw ConfigError("password file " + path.string() +
                      " is accessible by group or others (mode " + mode + "); chmod 600 it");
  }
}

std::string read_password_file(const std::filesystem::path& path) {
  check_password_file(path);
  std::ifstream in(path);
  if (!in) throw ConfigError("password file " + path.string() + ": cannot open");
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

}  // namespace slowscope
