// Password files: a secret kept outside slowscope.yaml, in a file only its owner may read.
// Functions touch the file system only; thread-safe.
#pragma once

#include <filesystem>
#include <string>

namespace slowscope {

// Throws ConfigError (naming the path, never the content) unless `path` is a regular file
// that neither group nor others may read or write.
void check_password_file(const std::filesystem::path& path);

// The password in `path`: its first line, without the line end. Checks the file first, as
// check_password_file does. Throws ConfigError.
std::string read_password_file(const std::filesystem::path& path);

}  // namespace slowscope
