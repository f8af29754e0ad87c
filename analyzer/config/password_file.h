// Secret files: a password or key kept outside slowscope.yaml, in a file only its owner
// should read. Targets' password files must be private (refused otherwise); the helpers
// below are shared with the alert sinks' secret files (alerts_config.h), which are warned
// about instead. Functions touch the file system only; thread-safe.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace slowscope {

// Throws ConfigError (naming the path, never the content) unless `path` is a regular file
// that neither group nor others may read or write.
void check_password_file(const std::filesystem::path& path);

// The password in `path`: its first line, without the line end. Checks the file first, as
// check_password_file does. Throws ConfigError.
std::string read_password_file(const std::filesystem::path& path);

// The permission bits (07777) of `path`; throws ConfigError "<what> <path>: <reason>"
// unless it is a regular file that stat() can see.
mode_t regular_file_mode(const std::filesystem::path& path, std::string_view what);

// The mode as chmod takes it, "0640".
std::string octal_mode(mode_t mode);

// The first line of `path` without its line end ("\n" or "\r\n"); throws ConfigError
// "<what> <path>: cannot open: <reason>" when it cannot be read.
std::string read_first_line(const std::filesystem::path& path, std::string_view what);

}  // namespace slowscope
