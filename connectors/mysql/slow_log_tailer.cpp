#include "connectors/mysql/slow_log_tailer.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "connectors/mysql/slow_log_reader.h"

namespace slowscope {
namespace {

[[noreturn]] void throw_errno(const std::string& what, const std::string& name) {
  throw std::system_error(errno, std::generic_category(), what + " " + name);
}

// A ByteSource over an open descriptor, fixed to the size it had when made: a growing file
// must look the same to every probe of one read.
class FdByteSource final : public ByteSource {
 public:
  FdByteSource(int fd, uint64_t size, std::string name)
      : fd_(fd), size_(size), name_(std::move(name)) {}
  uint64_t size() const override { return size_; }
  size_t read_at(uint64_t offset, char* out, size_t n) const override {
    if (offset >= size_) return 0;
    n = static_cast<size_t>(std::min<uint64_t>(n, size_ - offset));
    size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0) {
        if (errno == EINTR) continue;
        throw_errno("cannot read", name_);
      }
      if (r == 0) break;
      got += static_cast<size_t>(r);
    }
    return got;
  }

 private:
  int fd_;
  uint64_t size_;
  std::string name_;
};

// 64-bit FNV-1a: a checksum of a file's first bytes, not a defence against forgery.
uint64_t fnv1a(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (const char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

std::string read_bytes(const ByteSource& source, uint64_t begin, uint64_t end) {
  std::string out(static_cast<size_t>(end - begin), '\0');
  out.resize(source.read_at(begin, out.data(), out.size()));
  return out;
}

// The identity of the open file, its head hashed over min(covered, kHeadBytes) bytes.
SlowLogFileId identify(int fd, const struct stat& st, uint64_t covered, const std::string& name) {
  SlowLogFileId id;
  id.device = static_cast<uint64_t>(st.st_dev);
  id.inode = static_cast<uint64_t>(st.st_ino);
  const uint64_t n =
      std::min<uint64_t>({covered, static_cast<uint64_t>(st.st_size), SlowLogFileId::kHeadBytes});
  FdByteSource source(fd, static_cast<uint64_t>(st.st_size), name);
  id.head_bytes = static_cast<uint32_t>(n);
  id.head_hash = fnv1a(read_bytes(source, 0, n));
  return id;
}

// Whether the open file is the one `id` names: same device and inode, same first bytes.
bool is_file(int fd, const struct stat& st, const SlowLogFileId& id, const std::string& name) {
  if (static_cast<uint64_t>(st.st_dev) != id.device ||
      static_cast<uint64_t>(st.st_ino) != id.inode ||
      static_cast<uint64_t>(st.st_size) < id.head_bytes) {
    return false;
  }
  return identify(fd, st, id.head_bytes, name).head_hash == id.head_hash;
}

// Whether an entry may start at `at` of `text`: a Time or User@Host header line right after
// a line that ends a statement (pt-query-digest splits entries where a '#' line follows a
// line ending in ';').
bool is_entry_boundary(std::string_view text, size_t at) {
  if (at < 2 || text[at - 1] != '\n') return false;
  const size_t end = at >= 3 && text[at - 2] == '\r' ? at - 2 : at - 1;
  if (text[end - 1] != ';') return false;
  const std::string_view rest = text.substr(at);
  return rest.starts_with("# Time: ") || rest.starts_with("# User@Host: ");
}

// The last entry boundary in (after, limit), searching backwards; nullopt when none.
std::optional<uint64_t> boundary_before(const ByteSource& source, uint64_t after, uint64_t limit) {
  constexpr uint64_t kWindow = 256 << 10;
  constexpr uint64_t kHeadLook = 16;  // enough of the header line to recognise it
  for (uint64_t end = limit; end > after + 1;) {
    const uint64_t begin = end - after > kWindow ? end - kWindow : after;
    const uint64_t low = begin >= 3 ? begin - 3 : 0;  // the "\r\n" and ';' before a line
    const std::string text = read_bytes(source, low, std::min(source.size(), end + kHeadLook));
    for (uint64_t at = end - 1; at > begin && at > after; --at) {
      if (is_entry_boundary(text, static_cast<size_t>(at - low))) return at;
    }
    end = begin;
  }
  return std::nullopt;
}

// The first entry boundary in (after, size); nullopt when none.
std::optional<uint64_t> boundary_after(const ByteSource& source, uint64_t after) {
  constexpr uint64_t kWindow = 1 << 20;
  for (uint64_t begin = after; begin < source.size(); begin += kWindow) {
    const uint64_t low = begin >= 3 ? begin - 3 : 0;
    const std::string text = read_bytes(source, low, std::min(source.size(), begin + kWindow + 16));
    for (uint64_t at = std::max(begin, after + 1); at < begin + kWindow && at < source.size();
         ++at) {
      if (is_entry_boundary(text, static_cast<size_t>(at - low))) return at;
    }
  }
  return std::nullopt;
}

// A split point shortly before `limit`, in (after, limit); nullopt when none. Searches
// windows growing backwards from `limit` for the first split point in each: proving split
// points needs an anchor (a Time line) a few MiB back at most, so checking every entry head
// from the end would cost that much per head.
std::optional<uint64_t> split_point_before(const ByteSource& source, uint64_t after, uint64_t limit,
                                           const SlowLogParserOptions& options) {
  for (uint64_t window = 64 << 10;; window *= 8) {
    const uint64_t from = limit > after + window ? limit - window : after + 1;
    if (from >= limit) return std::nullopt;
    if (auto p = find_slow_log_split_point_from(source, from, limit, options)) return p;
    if (from == after + 1) return std::nullopt;
  }
}

}  // namespace

// --- SlowLogPosition ---------------------------------------------------------------------

std::string SlowLogPosition::serialize() const {
  nlohmann::json j;
  j["dev"] = file.device;
  j["ino"] = file.inode;
  j["head"] = {file.head_bytes, file.head_hash};
  j["offset"] = offset;
  j["line"] = line;
  if (carry.has_ts) j["ts_us"] = carry.ts_us ? nlohmann::json(*carry.ts_us) : nlohmann::json();
  if (carry.has_db) j["db"] = carry.db;
  return j.dump();
}

std::optional<SlowLogPosition> SlowLogPosition::parse(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  try {
    SlowLogPosition p;
    p.file.device = j.at("dev").get<uint64_t>();
    p.file.inode = j.at("ino").get<uint64_t>();
    p.file.head_bytes = j.at("head").at(0).get<uint32_t>();
    p.file.head_hash = j.at("head").at(1).get<uint64_t>();
    p.offset = j.at("offset").get<uint64_t>();
    p.line = j.at("line").get<uint64_t>();
    if (j.contains("ts_us")) {
      p.carry.has_ts = true;
      if (!j["ts_us"].is_null()) p.carry.ts_us = j["ts_us"].get<int64_t>();
    }
    if (j.contains("db")) {
      p.carry.has_db = true;
      p.carry.db = j["db"].get<std::string>();
    }
    return p;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

bool SlowLogPosition::operator==(const SlowLogPosition& other) const {
  return file == other.file && offset == other.offset && line == other.line &&
         carry.has_ts == other.carry.has_ts && carry.ts_us == other.carry.ts_us &&
         carry.has_db == other.carry.has_db && carry.db == other.carry.db;
}

// --- SlowLogTailer -----------------------------------------------------------------------

struct SlowLogTailer::OpenFile {
  int fd = -1;
  bool owned = false;  // close it when done (not the held descriptor)
  struct stat st {};
  std::string name;

  OpenFile() = default;
  OpenFile(OpenFile&& o) noexcept : fd(o.fd), owned(o.owned), st(o.st), name(std::move(o.name)) {
    o.owned = false;
  }
  OpenFile& operator=(OpenFile&& o) noexcept {
    if (this != &o) {
      if (owned) ::close(fd);
      fd = o.fd;
      owned = o.owned;
      st = o.st;
      name = std::move(o.name);
      o.owned = false;
    }
    return *this;
  }
  ~OpenFile() {
    if (owned) ::close(fd);
  }
};

SlowLogTailer::SlowLogTailer(std::string path, SlowLogParserOptions options)
    : path_(std::move(path)), options_(std::move(options)) {}

SlowLogTailer::~SlowLogTailer() {
  if (held_fd_ >= 0) ::close(held_fd_);
}

std::optional<SlowLogTailer::OpenFile> SlowLogTailer::open_path() {
  OpenFile f;
  f.fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw_errno("cannot open", path_);
  }
  f.owned = true;
  f.name = path_;
  if (::fstat(f.fd, &f.st) != 0) throw_errno("cannot stat", path_);
  if (!S_ISREG(f.st.st_mode)) {
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "not a regular file: " + path_);
  }
  return f;
}

std::optional<SlowLogTailer::OpenFile> SlowLogTailer::locate(const SlowLogFileId& id) {
  // 1. The descriptor kept from the last read: finds the file even when deleted.
  if (held_fd_ >= 0 && held_id_.device == id.device && held_id_.inode == id.inode) {
    OpenFile f;
    f.fd = held_fd_;
    f.name = path_ + " (as opened before)";
    if (::fstat(f.fd, &f.st) == 0 && is_file(f.fd, f.st, id, f.name)) return f;
  }
  // 2. The path itself.
  if (auto f = open_path(); f && is_file(f->fd, f->st, id, f->name)) return f;
  // 3. A file of the log's folder: renamed while nobody watched.
  const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(dir.empty() ? std::filesystem::path(".") : dir, ec)) {
    struct stat st {};
    if (::stat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<uint64_t>(st.st_ino) != id.inode ||
        static_cast<uint64_t>(st.st_dev) != id.device) {
      continue;
    }
    OpenFile f;
    f.fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (f.fd < 0) continue;
    f.owned = true;
    f.name = entry.path().string();
    if (::fstat(f.fd, &f.st) == 0 && is_file(f.fd, f.st, id, f.name)) return f;
  }
  return std::nullopt;
}

bool SlowLogTailer::finds(const SlowLogFileId& id) {
  return locate(id).has_value();
}

TailBatch SlowLogTailer::read(const std::optional<SlowLogPosition>& from,
                              const SlowLogParser::Sink& sink, const ReadOptions& read) {
  TailBatch batch;
  std::optional<SlowLogPosition> pos = from;
  std::optional<OpenFile> file;

  if (pos) {
    file = locate(pos->file);
    if (!file) {
      // The file of the position is gone, or its first bytes changed in place (truncated
      // and rewritten, or the inode reused by a new file).
      auto current = open_path();
      const bool in_place = current &&
                            static_cast<uint64_t>(current->st.st_ino) == pos->file.inode &&
                            static_cast<uint64_t>(current->st.st_dev) == pos->file.device;
      if (in_place) {
        batch.notices.push_back({TailNotice::Kind::kRestart,
                                 path_ + " now holds different content (truncated and "
                                         "rewritten, or a new file): reading it from its start",
                                 0});
      }
      batch.notices.push_back({TailNotice::Kind::kGap,
                               "entries written to the file read up to byte " +
                                   std::to_string(pos->offset) + " of " + path_ +
                                   " after that read may be lost",
                               0});
      if (!current) {
        batch.notices.push_back({TailNotice::Kind::kWaiting, path_ + " does not exist", 0});
        batch.next = pos;
        return batch;
      }
      pos = SlowLogPosition{identify(current->fd, current->st, 0, path_), 0, 1, pos->carry};
      file.emplace(std::move(*current));
    }
  } else {
    file = open_path();
    if (!file) {
      batch.notices.push_back({TailNotice::Kind::kWaiting, path_ + " does not exist", 0});
      return batch;
    }
    pos = SlowLogPosition{identify(file->fd, file->st, 0, path_), 0, 1, {}};
    if (read.start_at_end) {
      // After the last complete entry: the end of the file when its last statement is
      // closed, else the start of the entry being written. Line numbers then count from
      // there: counting the lines before would cost a full read.
      FdByteSource source(file->fd, static_cast<uint64_t>(file->st.st_size), path_);
      const std::string last =
          read_bytes(source, source.size() > 2 ? source.size() - 2 : 0, source.size());
      if (last.ends_with(";\n")) {
        pos->offset = source.size();
      } else if (auto at = split_point_before(source, 0, source.size(), options_)) {
        pos->offset = *at;
      }
      pos->file = identify(file->fd, file->st, pos->offset, path_);
    }
  }

  uint64_t budget = std::max<uint64_t>(read.max_bytes, 1);
  do {  // one file, once: each `break` ends the read
    const uint64_t size = static_cast<uint64_t>(file->st.st_size);
    if (size < pos->offset) {
      batch.notices.push_back(
          {TailNotice::Kind::kRestart,
           path_ + " shrank to " + std::to_string(size) + " bytes, below the " +
               std::to_string(pos->offset) +
               " already read (copytruncate or truncate): reading it from its start",
           0});
      batch.notices.push_back(
          {TailNotice::Kind::kGap,
           "entries written to " + path_ + " between the last read and its truncation may be lost",
           0});
      pos = SlowLogPosition{identify(file->fd, file->st, 0, path_), 0, 1, pos->carry};
    }

    // Has the server moved on to a new file at the path? Then this one is complete.
    bool complete = false;
    if (auto current = open_path(); current && (static_cast<uint64_t>(current->st.st_ino) !=
                                                    static_cast<uint64_t>(file->st.st_ino) ||
                                                current->st.st_dev != file->st.st_dev)) {
      complete = true;
    }

    FdByteSource source(file->fd, size, file->name);
    const uint64_t limit = size - pos->offset > budget ? pos->offset + budget : size;
    std::optional<uint64_t> cut;
    bool finish = false;
    if (complete && limit == size) {
      cut = size;
      finish = true;
    } else {
      cut = boundary_before(source, pos->offset, limit);
      if (!cut && limit < size) cut = boundary_after(source, limit);
      // The entry at the end: taken once the file stopped growing and it is complete.
      const bool same_file = held_fd_ >= 0 &&
                             held_id_.device == static_cast<uint64_t>(file->st.st_dev) &&
                             held_id_.inode == static_cast<uint64_t>(file->st.st_ino);
      const uint64_t tail_from = cut.value_or(pos->offset);
      const bool tail_is_last = limit == size || !cut;  // no boundary after it
      if (tail_is_last && size > tail_from &&
          (read.take_last_entry || (same_file && last_size_ == size))) {
        SlowLogParser probe([](const QueryEvent&) {}, options_);
        probe.start_at(tail_from, 1, pos->carry);
        const std::string tail = read_bytes(source, tail_from, size);
        probe.feed(tail);
        probe.finish();
        if (!tail.empty() && tail.back() == '\n' && !probe.stats().truncated_last_entry) {
          cut = size;
          finish = true;
        }
      }
    }

    const uint64_t begin = pos->offset;
    if (cut && *cut > pos->offset) {
      // Parses [offset, end); false when `end` turned out not to start a fresh entry.
      auto parse_to = [&](uint64_t end, bool at_eof) {
        SlowLogParser parser(sink, options_);
        parser.start_at(pos->offset, pos->line, pos->carry);
        constexpr uint64_t kBlock = 1 << 20;
        for (uint64_t at = pos->offset; at < end;) {
          const size_t n = static_cast<size_t>(std::min(kBlock, end - at));
          std::span<char> area = parser.write_area(n);
          const size_t got = source.read_at(at, area.data(), n);
          if (got == 0) break;
          parser.commit(got);
          at += got;
        }
        if (at_eof) {
          parser.finish();
        } else if (parser.at_fresh_entry_start()) {
          parser.finish_range();
        } else {
          return false;
        }
        batch.stats.append(parser.stats());
        batch.bytes += end - pos->offset;
        budget -= std::min(budget, end - pos->offset);
        pos->line += parser.stats().lines;
        pos->offset = end;
        pos->carry = parser.carry();
        return true;
      };
      if (!parse_to(*cut, finish)) {
        // A boundary by the text rule that the parse state does not confirm (an entry
        // without statement reads on, as in pt): forget what was delivered and cut at a
        // split point proven from the log instead.
        if (read.on_discard) read.on_discard();
        cut = split_point_before(source, pos->offset, limit, options_);
        if (!cut) cut = find_slow_log_split_point_from(source, pos->offset + 1, size, options_);
        if (cut && !parse_to(*cut, false)) {
          throw std::logic_error("slow-log split point not confirmed by the parser");
        }
      }
      if (pos->file.head_bytes < SlowLogFileId::kHeadBytes) {
        // Cover more of the head now that those bytes are read and cannot change.
        pos->file = identify(file->fd, file->st, pos->offset, file->name);
      }
      if (pos->offset > begin) batch.span = TailSpan{begin, *pos};
    }

    if (complete && pos->offset == size) {
      auto next = open_path();
      if (!next) break;
      batch.notices.push_back({TailNotice::Kind::kRotated,
                               file->name + " was rotated; read to its end (" +
                                   std::to_string(size) + " bytes), now following the new " + path_,
                               0});
      // The new file is the next read's: a read parses one file.
      pos = SlowLogPosition{identify(next->fd, next->st, 0, path_), 0, 1, pos->carry};
      file.emplace(std::move(*next));
      batch.caught_up = false;
      break;
    }
    // Caught up unless the budget, not the end of the file, bounded this read.
    batch.caught_up = pos->offset >= size || limit == size;
  } while (false);

  // Keep the file open for the next read, so that it can be drained if deleted meanwhile.
  if (!(held_fd_ >= 0 && file->fd == held_fd_)) {
    if (held_fd_ >= 0) ::close(held_fd_);
    held_fd_ = ::dup(file->fd);
  }
  held_id_ = SlowLogFileId{static_cast<uint64_t>(file->st.st_dev),
                           static_cast<uint64_t>(file->st.st_ino), 0, 0};
  last_size_ = static_cast<uint64_t>(file->st.st_size);
  batch.next = pos;
  return batch;
}

}  // namespace slowscope
