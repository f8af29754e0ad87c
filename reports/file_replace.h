// Replacing a file whole: the new content goes to a temporary sibling (PATH.tmp.PID, a name
// that globs such as *.prom or *.html do not match), is flushed to disk, then renamed over
// PATH, so that a reader sees the old file or the new one and a crash or a full disk never
// leaves half of one. Used by every file slowscope writes for others to read: reports
// (cli/output_file.h) and metrics (app/run_metrics.h).
//
// Stateless; thread-safe for different paths.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>

namespace slowscope {

// Writes all of `content` to `fd`; `what` names it in errors. Retries on EINTR. Throws
// std::runtime_error.
void write_all(int fd, std::string_view content, const std::string& what);

struct ReplaceMode {
  mode_t mode = 0600;  // of the new file (set with fchmod: the umask does not narrow it)
  uid_t owner = -1;    // with `group`: given to the new file where allowed; -1 keeps ours
  gid_t group = -1;
};

// Replaces the regular file `path` (or creates it) with `content`. Throws
// std::runtime_error naming the path and the system error; the temporary file is removed.
void replace_file(const std::string& path, std::string_view content, const ReplaceMode& mode);

// As replace_file, for content too big to hold in memory: `fill` writes it into the
// temporary file, created empty with `mode`, through `fd` or by its path `temp_path`
// (e.g. SQLite's VACUUM INTO). What `fill` throws propagates, the temporary file removed.
void replace_file_with(const std::string& path, const ReplaceMode& mode,
                       const std::function<void(int fd, const std::string& temp_path)>& fill);

}  // namespace slowscope
