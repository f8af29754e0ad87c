#include "connectors/mysql/slow_log_parser.h"

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

#include "analyzer/fingerprint/fingerprint.h"
#include "connectors/mysql/slow_log_syntax.h"

// How this maps onto pt-query-digest's SlowLogParser.
//
// pt reads the log in records separated by ";\n#" (a line ending in ';' followed by a
// line starting with '#'), deletes start-up banner lines, puts back the '#' the separator
// took, strips the trailing ";\n#", and then walks the record's lines: header-like lines
// (`#...`, `use `, `SET timestamp|insert_id|last_insert_id`) fill attributes, and the
// first other line starts the statement, which runs to the end of the record. A record
// with only header lines looks at what follows: text like "Time: " means the entry had
// no statement ("/* No query */") and the next record is read whole (up to its second
// separator when its first ';'-terminated line is its last one); anything else is read
// up to the next ";\n" as an administrator statement.
//
// The parser below does the same one line at a time, so that it can stream and skip junk:
// a record ends when a line starts with '#' after a line that ended in ';'.

namespace slowscope {

namespace sx = slow_log_syntax;

namespace {

constexpr uint8_t kStream = 0;  // Span::off is an absolute input offset
constexpr uint8_t kArena = 1;   // Span::off indexes arena_
constexpr size_t kFeedPiece = size_t{1} << 20;
constexpr size_t kMinBuffer = size_t{64} << 10;
constexpr std::string_view kNoQuery = "/* No query */";

double number_or_zero(const AttributeValue& v) {
  const double* d = std::get_if<double>(&v);
  return d != nullptr ? *d : 0;
}

double number_or_nan(const AttributeValue& v) {
  const double* d = std::get_if<double>(&v);
  return d != nullptr ? *d : std::numeric_limits<double>::quiet_NaN();
}

bool is_space_byte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The last byte of `text` that is not white space; 0 when there is none.
char last_text_byte(std::string_view text) {
  for (size_t i = text.size(); i > 0; --i) {
    if (!is_space_byte(text[i - 1])) return text[i - 1];
  }
  return 0;
}

// `text` without a UTF-8 sequence that a cut at its end left incomplete.
std::string_view without_cut_character(std::string_view text) {
  size_t i = text.size();
  while (i > 0 && text.size() - i < 3 && (static_cast<unsigned char>(text[i - 1]) & 0xC0) == 0x80)
    --i;
  if (i == 0) return text;
  const auto lead = static_cast<unsigned char>(text[i - 1]);
  const size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  return text.size() - (i - 1) < length ? text.substr(0, i - 1) : text;
}

}  // namespace

struct SlowLogParser::Span {
  uint64_t off = 0;
  uint32_t len = 0;
  uint8_t source = kStream;
};

// One entry (pt's record) being read.
struct SlowLogParser::Record {
  uint64_t start_abs = 0;
  uint64_t start_line = 0;
  bool got_ts = false, got_uh = false, got_ac = false, got_db = false, got_set = false;
  bool has_header = false;      // a Time, User@Host, admin command or "Name: value" line
  bool found_arg = false;       // a statement or an administrator command was seen
  bool arg_line_seen = false;   // the statement started; later lines are its text
  bool arg_needs_copy = false;  // its text holds CRLF or deleted lines
  bool arg_from_blank_after_semicolon = false;
  // The statement was cut and delivered; the rest of the entry is read to find its end.
  bool truncated = false;
  bool text_ends_in_semicolon = false;  // the last non-space byte of the statement is ';'
  uint64_t arg_start = 0;
  Span admin_arg;
  std::optional<int64_t> ts_us;
  Span user, host, db;
  // The entry's attributes as delivered: views into buf_ or arena_, moved along when
  // those move (see rebase()).
  std::vector<Attribute> attrs;
  // Taken from attrs as they are added (the last of a repeated name wins, as in pt).
  // query_time is NaN when the entry's Query_time is not a number.
  double query_time = 0, lock_time = 0, sample_rate = 1;
  bool has_schema = false;
  std::string_view schema;      // a view like the attributes'
  bool prev_semicolon = false;  // the last line was newline-terminated and ended in ';'
  bool suppress_first_semicolon = false;
  bool boundary_suppressed = false;
  bool last_cr = false;
  uint64_t last_start = 0;
  uint64_t last_end = 0;
  bool has_deferred = false;
  Span deferred;  // a '#' line ending in ';', read once we know whether pt strips the ';'
  uint64_t deferred_line_end = 0;

  void reset(uint64_t abs, uint64_t line) {
    start_abs = abs;
    start_line = line;
    got_ts = got_uh = got_ac = got_db = got_set = false;
    has_header = false;
    found_arg = arg_line_seen = arg_needs_copy = arg_from_blank_after_semicolon = false;
    truncated = text_ends_in_semicolon = false;
    arg_start = 0;
    admin_arg = Span{};
    ts_us.reset();
    user = host = db = Span{};
    attrs.clear();
    query_time = lock_time = 0;
    sample_rate = 1;
    has_schema = false;
    schema = {};
    prev_semicolon = suppress_first_semicolon = boundary_suppressed = false;
    last_cr = false;
    last_start = last_end = abs;
    has_deferred = false;
  }
};

struct SlowLogParser::Line {
  const char* data;
  size_t len;  // without "\n" and without the '\r' of "\r\n"
  uint64_t abs;
  uint64_t no;
  bool terminated;
  bool cr;
  bool plain;  // printable ASCII and TAB only: no NUL, not binary
  std::string_view view() const { return {data, len}; }
};

enum class SlowLogParser::State {
  kIdle,          // the next line starts an entry (start of input, after an admin lookahead)
  kSkip,          // skipping junk up to a header line
  kRecord,        // inside cur_
  kLookahead,     // pending_ had no statement; deciding from the next entry's first text
  kAdminCollect,  // pending_ takes the text up to the next ";\n" as its admin statement
  kRestart,       // pending_ was a "/* No query */" entry; the line at scan_ restarts
};

enum class SlowLogParser::StartMode {
  kBoundary,  // after a ";\n#" separator, which consumed one '#'
  kFresh,     // at the start of input or after a skip: a '#' is put in front if missing
};

void ParseStats::append(const ParseStats& later) {
  events += later.events;
  bytes += later.bytes;
  lines += later.lines;
  skipped += later.skipped;
  for (uint64_t l : later.first_skipped_lines) {
    if (first_skipped_lines.size() >= kMaxSkippedLines) break;
    first_skipped_lines.push_back(l);
  }
  dropped_entries += later.dropped_entries;
  truncated_last_entry = later.truncated_last_entry;
  truncated_statements += later.truncated_statements;
  bad_query_time += later.bad_query_time;
  if (first_bad_query_time_line == 0) first_bad_query_time_line = later.first_bad_query_time_line;
  headerless += later.headerless;
  if (first_headerless_line == 0) first_headerless_line = later.first_headerless_line;
  saw_header = saw_header || later.saw_header;
  saw_text = saw_text || later.saw_text;
}

SlowLogParser::SlowLogParser(Sink sink, SlowLogParserOptions options)
    : sink_(std::move(sink)),
      options_(std::move(options)),
      cur_(std::make_unique<Record>()),
      pending_(std::make_unique<Record>()),
      state_(State::kIdle) {
  if (!sink_) throw std::logic_error("SlowLogParser: the event sink is empty");
  // Spans store 32-bit lengths.
  options_.max_statement_bytes =
      std::clamp<size_t>(options_.max_statement_bytes, 1024, size_t{1} << 31);
  if (options_.progress_every_bytes == 0) options_.progress_every_bytes = uint64_t{16} << 20;
  next_progress_ = options_.progress_every_bytes;
}

SlowLogParser::~SlowLogParser() = default;

void SlowLogParser::start_at(uint64_t offset, uint64_t line, SlowLogCarry carry,
                             bool after_no_query) {
  if (stats_.bytes != 0 || end_ != 0) {
    throw std::logic_error("SlowLogParser::start_at must come before any input");
  }
  base_abs_ = offset;
  line_no_ = line;
  first_line_ = line;
  carry_ = std::move(carry);
  state_ = after_no_query ? State::kRestart : State::kIdle;
}

bool SlowLogParser::at_fresh_entry_start() const {
  if (discarding_ || scan_ != end_) return false;
  switch (state_) {
    case State::kIdle:
    case State::kSkip:
      return true;
    case State::kRecord: {
      const Record& rec = *cur_;
      if (!rec.prev_semicolon || rec.boundary_suppressed || rec.has_deferred) return false;
      // At a separator the record is delivered or dropped (a statement that is a lone
      // ';' is dropped without reading ahead), unless it has only header lines and so
      // reads what follows.
      return rec.arg_line_seen || rec.found_arg;
    }
    default:
      return false;
  }
}

void SlowLogParser::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t n = std::min(bytes.size(), kFeedPiece);
    std::span<char> area = write_area(n);
    std::memcpy(area.data(), bytes.data(), n);
    commit(n);
    bytes.remove_prefix(n);
  }
}

std::span<char> SlowLogParser::write_area(size_t min_bytes) {
  reserve(std::max<size_t>(min_bytes, 1));
  return {buf_.get() + end_, cap_ - end_};
}

void SlowLogParser::commit(size_t n) {
  if (n > cap_ - end_) throw std::logic_error("SlowLogParser::commit beyond the write area");
  stats_.bytes += n;
  if (discarding_) {
    const char* fresh = buf_.get() + end_;
    const void* nl = std::memchr(fresh, '\n', n);
    const size_t line_part =
        nl == nullptr ? n : static_cast<size_t>(static_cast<const char*>(nl) - fresh);
    if (discarding_statement_ && line_part > 0) {
      discarded_last_[0] = line_part > 1 ? fresh[line_part - 2] : discarded_last_[1];
      discarded_last_[1] = fresh[line_part - 1];
      if (const char c = last_text_byte(std::string_view(fresh, line_part)))
        discarded_last_text_ = c;
    }
    if (nl == nullptr) {
      base_abs_ += n;  // the over-long line goes on; drop what came
      maybe_report_progress();
      return;
    }
    size_t used = line_part + 1;
    if (discarding_statement_) end_discarded_line(base_abs_ + end_ + line_part, true);
    end_ += n;
    scan_ = end_ - n + used;
    ++line_no_;
    discarding_ = false;
  } else {
    end_ += n;
  }
  process_lines(false);
  maybe_report_progress();
}

void SlowLogParser::finish() {
  if (!discarding_ && scan_ < end_) {
    process_lines(true);
    stats_.lines = line_no_ - first_line_ + 1;
  } else if (discarding_) {
    stats_.lines = line_no_ - first_line_ + 1;
    if (discarding_statement_) end_discarded_line(base_abs_ + end_, false);
  }
  discarding_ = false;
  switch (state_) {
    case State::kRecord:
      close_at_eof();
      break;
    case State::kLookahead:
      // pt reads the rest as an admin statement that is only spaces: nothing counted.
      drop(*pending_);
      stats_.truncated_last_entry = true;
      break;
    case State::kAdminCollect:
      emit_admin_lookahead(base_abs_ + end_);
      break;
    default:
      break;
  }
  state_ = State::kIdle;
}

void SlowLogParser::finish_range() {
  if (!discarding_ && scan_ < end_) {
    process_lines(true);
    stats_.lines = line_no_ - first_line_ + 1;
  } else if (discarding_ && discarding_statement_) {
    end_discarded_line(base_abs_ + end_, false);
  }
  discarding_ = false;
  switch (state_) {
    case State::kRecord:
      // A split point is a line starting with '#' after one ending in ';', so the entry
      // ends as at any separator.
      if (cur_->prev_semicolon && !cur_->boundary_suppressed) {
        close_at_boundary();
        if (state_ == State::kLookahead) drop(*pending_);
      } else {
        close_at_eof();
      }
      break;
    case State::kLookahead:
      drop(*pending_);
      break;
    case State::kAdminCollect:
      emit_admin_lookahead(base_abs_ + end_);
      break;
    default:
      break;
  }
  state_ = State::kIdle;
}

void SlowLogParser::process_lines(bool at_eof) {
  while (scan_ < end_) {
    char* p = buf_.get() + scan_;
    size_t avail = end_ - scan_;
    const sx::LineEnd found = sx::find_line_end(p, avail);
    if (!found.found && !at_eof) break;
    const size_t raw = found.len;
    const bool terminated = found.found;
    size_t len = raw;
    bool cr = terminated && len > 0 && p[len - 1] == '\r';
    if (cr) --len;
    Line line{p, len, base_abs_ + scan_, line_no_, terminated, cr, found.plain};
    if (on_line(line)) {
      scan_ += raw + (terminated ? 1 : 0);
      if (terminated) ++line_no_;
    }
  }
  if (!at_eof && !discarding_ && end_ - scan_ > options_.max_statement_bytes) {
    Line line{buf_.get() + scan_, end_ - scan_, base_abs_ + scan_, line_no_, false, false, false};
    // Decided as on_line() decides for the whole line, from what it looks at: the state
    // before the line and its first max_statement_bytes.
    if (state_ == State::kRecord && is_statement_text(line) &&
        !is_junk_statement_line(line.view())) {
      begin_long_statement_line();
    } else {
      // An over-long line that is not statement text: junk.
      on_junk(line);
    }
    // Nothing refers to the buffer any more: drop it and the rest of the line unread.
    discarding_ = true;
    base_abs_ += end_;
    scan_ = end_ = 0;
  }
  stats_.lines = line_no_ - first_line_;
}

bool SlowLogParser::on_line(const Line& line) {
  std::string_view text = line.view();
  const size_t raw_len = line.len + (line.cr ? 1 : 0);
  const bool long_line = raw_len > options_.max_statement_bytes;
  bool junk;
  if (long_line) {
    // Only statement text may be that long, and only as much of it is looked at as a
    // parser fed in small pieces holds of it (process_lines decides the same way).
    junk = !(state_ == State::kRecord && is_statement_text(line)) || is_junk_statement_line(text);
  } else {
    junk = !line.plain && line.len > 0 && std::memchr(line.data, 0, line.len) != nullptr;
  }
  if (!junk && !long_line && !line.plain && line.len > 0) {
    // Outside statement text junk is anything binary; inside it only NUL bytes, as a
    // statement may carry raw bytes in its string literals.
    bool lenient = state_ == State::kIdle || state_ == State::kSkip ||
                   state_ == State::kLookahead ||
                   (state_ == State::kRecord && cur_->found_arg && cur_->prev_semicolon);
    if (lenient && sx::is_binary(text)) junk = true;
  }
  if (junk) {
    on_junk(line);
    return true;
  }
  if (line.terminated && line.len > 0 && !long_line && state_ != State::kLookahead &&
      state_ != State::kAdminCollect) {
    if (line.data[0] != '#' && sx::is_startup_header(text)) {
      // pt deletes banner lines wherever they are, even inside statement text.
      if (state_ == State::kRecord) {
        if (cur_->arg_line_seen) cur_->arg_needs_copy = true;
        // pt splits a record again at every ";\n#" once it deleted a banner from it,
        // which undoes the gluing after a "/* No query */" entry.
        cur_->suppress_first_semicolon = false;
        cur_->boundary_suppressed = false;
      }
      return true;
    }
  }
  if (!stats_.saw_text && last_text_byte(text) != 0) stats_.saw_text = true;
  switch (state_) {
    case State::kIdle:
      start_record(line, StartMode::kFresh, false);
      return true;
    case State::kSkip:
      if (sx::is_resync_line(text)) start_record(line, StartMode::kFresh, false);
      return true;
    case State::kRestart:
      start_record(line, StartMode::kBoundary, true);
      return true;
    case State::kRecord: {
      Record& rec = *cur_;
      if (rec.prev_semicolon && !rec.boundary_suppressed && line.len > 0 && line.data[0] == '#') {
        close_at_boundary();
        if (state_ == State::kLookahead) {
          next_start_abs_ = line.abs;
          next_start_line_ = line.no;
          lookahead_first_line_ = true;
          return lookahead_line(line);
        }
        start_record(line, StartMode::kBoundary, false);
        return true;
      }
      add_line(rec, line, text, kStream, line.abs);
      if (rec.truncated) return true;
      if (rec.arg_line_seen) {
        // Counted in raw bytes ('\r' included), as process_lines counts a partial line.
        if (line.abs + raw_len - rec.arg_start > options_.max_statement_bytes) cut_statement(rec);
      } else if (line.abs + line.len - rec.start_abs > options_.max_statement_bytes) {
        on_oversize();
      }
      return true;
    }
    case State::kLookahead:
      return lookahead_line(line);
    case State::kAdminCollect:
      return admin_collect_line(line);
  }
  return true;
}

void SlowLogParser::on_junk(const Line& line) {
  stats_.saw_text = true;
  switch (state_) {
    case State::kRecord:
      close_at_junk();
      break;
    case State::kLookahead:
    case State::kAdminCollect:
      drop(*pending_);
      break;
    default:
      break;
  }
  if (state_ != State::kSkip) skip(line.no);
  state_ = State::kSkip;
}

void SlowLogParser::on_oversize() {
  skip(state_ == State::kRecord ? cur_->start_line : pending_->start_line);
  state_ = State::kSkip;
}

bool SlowLogParser::is_statement_text(const Line& line) const {
  const Record& rec = *cur_;
  if (rec.prev_semicolon && !rec.boundary_suppressed && line.len > 0 && line.data[0] == '#')
    return false;
  return rec.arg_line_seen || !sx::is_headerish(line.view());
}

bool SlowLogParser::is_junk_statement_line(std::string_view text) const {
  // Right after a statement's ';', where text is judged strictly (on_line), an over-long
  // line is junk rather than more of the statement.
  const Record& rec = *cur_;
  if (rec.found_arg && rec.prev_semicolon) return true;
  text = text.substr(0, options_.max_statement_bytes);
  return std::memchr(text.data(), 0, text.size()) != nullptr;
}

void SlowLogParser::begin_long_statement_line() {
  Record& rec = *cur_;
  const Line line{
      buf_.get() + scan_, end_ - scan_, base_abs_ + scan_, line_no_, false, false, false};
  add_line(rec, line, line.view(), kStream, line.abs);
  if (!rec.truncated) cut_statement(rec);
  discarding_statement_ = true;
  discarded_last_[0] = line.data[line.len - 2];
  discarded_last_[1] = line.data[line.len - 1];
  discarded_last_text_ = 0;
}

void SlowLogParser::end_discarded_line(uint64_t end_abs, bool terminated) {
  discarding_statement_ = false;
  Record& rec = *cur_;
  // What add_line() would have noted of the whole line.
  const bool cr = terminated && discarded_last_[1] == '\r';
  const char last = cr ? discarded_last_[0] : discarded_last_[1];
  rec.last_end = end_abs - (cr ? 1 : 0);
  rec.last_cr = cr;
  rec.prev_semicolon = terminated && last == ';';
  if (rec.prev_semicolon && rec.suppress_first_semicolon) {
    rec.suppress_first_semicolon = false;
    rec.boundary_suppressed = true;
  }
  if (discarded_last_text_ != 0) rec.text_ends_in_semicolon = discarded_last_text_ == ';';
}

void SlowLogParser::cut_statement(Record& rec) {
  const uint64_t cut = rec.arg_start + options_.max_statement_bytes;
  std::string_view q =
      rec.arg_needs_copy ? materialize(rec.arg_start, cut, true) : view(rec.arg_start, cut);
  q = without_cut_character(q);
  // A literal cut open would show its text in the fingerprint, which reports print.
  if (q.data() == scratch_.data()) {
    scratch_.resize(q.size());
  } else {
    scratch_.assign(q);
  }
  close_cut_statement(scratch_);
  emit(rec, scratch_, rec.got_ac, true);
  rec.truncated = true;
  // Nothing of the entry is needed any more (keep_from_abs lets the buffer drop it).
  rec.attrs.clear();
  rec.schema = {};
}

void SlowLogParser::skip(uint64_t line_no) {
  ++stats_.skipped;
  if (stats_.first_skipped_lines.size() < ParseStats::kMaxSkippedLines) {
    stats_.first_skipped_lines.push_back(line_no);
  }
}

void SlowLogParser::start_record(const Line& line, StartMode mode, bool suppress) {
  arena_.clear();  // nothing alive refers to it: pending_ was delivered or dropped
  Record& rec = *cur_;
  rec.reset(line.abs, line.no);
  rec.suppress_first_semicolon = suppress;
  state_ = State::kRecord;
  std::string_view text = line.view();
  if (mode == StartMode::kBoundary) {
    // The separator took one '#' and pt puts one back unless the rest starts with '#'.
    if (text.starts_with("##")) {
      add_line(rec, line, text.substr(1), kStream, line.abs + 1);
    } else {
      add_line(rec, line, text, kStream, line.abs);
    }
    return;
  }
  if (!text.empty() && text[0] == '#') {
    add_line(rec, line, text, kStream, line.abs);
    return;
  }
  // pt prefixes a '#' to a record that does not start with one, which turns its first
  // line into a header line.
  uint64_t off = arena_.size();
  append_to_arena("#", text);
  add_line(rec, line, std::string_view(arena_.data() + off, text.size() + 1), kArena, off);
}

void SlowLogParser::add_line(Record& rec, const Line& line, std::string_view effective,
                             uint8_t source, uint64_t effective_off) {
  // A blank last line keeps the ';' line before it open: pt strips a final ";\n\n" too.
  const bool blank = line.len == 0 && line.terminated;
  if (rec.has_deferred && !(blank && rec.last_end == rec.deferred_line_end)) {
    flush_deferred(rec, false);
  }
  rec.boundary_suppressed = false;
  if (!rec.arg_line_seen) {
    if (sx::is_headerish(effective)) {
      if (line.terminated && effective[0] == '#' && effective.back() == ';') {
        rec.deferred = Span{effective_off, static_cast<uint32_t>(effective.size()), source};
        rec.deferred_line_end = line.abs + line.len;
        rec.has_deferred = true;
      } else {
        process_header_line(rec, effective, source, effective_off);
      }
    } else {
      rec.arg_line_seen = true;
      rec.found_arg = true;
      rec.arg_start = line.abs;
      rec.arg_from_blank_after_semicolon = line.len == 0 && line.terminated && rec.prev_semicolon;
    }
  } else if (rec.last_cr) {
    rec.arg_needs_copy = true;
  }
  if (rec.arg_line_seen) {
    if (const char c = last_text_byte(line.view())) rec.text_ends_in_semicolon = c == ';';
  }
  rec.last_start = line.abs;
  rec.last_end = line.abs + line.len;
  rec.last_cr = line.cr;
  rec.prev_semicolon = line.terminated && line.len > 0 && line.data[line.len - 1] == ';';
  if (rec.prev_semicolon && rec.suppress_first_semicolon) {
    // This entry follows a "/* No query */" one: pt read it with a ";\n" lookahead and
    // glued the next record on when that first ";\n" was the record's end.
    rec.suppress_first_semicolon = false;
    rec.boundary_suppressed = true;
  }
}

void SlowLogParser::flush_deferred(Record& rec, bool strip_semicolon) {
  if (!rec.has_deferred) return;
  rec.has_deferred = false;
  std::string_view text = resolve(rec.deferred);
  if (strip_semicolon) text.remove_suffix(1);
  process_header_line(rec, text, rec.deferred.source, rec.deferred.off);
}

void SlowLogParser::process_header_line(Record& rec, std::string_view text, uint8_t source,
                                        uint64_t off) {
  auto span = [&](std::string_view sub) {
    return Span{off + static_cast<uint64_t>(sub.data() - text.data()),
                static_cast<uint32_t>(sub.size()), source};
  };
  auto set_user_host = [&](const sx::UserHost& m) {
    rec.got_uh = true;
    rec.has_header = true;
    rec.user = span(m.user);
    // pt: $host ||= $ip (skip-name-resolve logs have no host name).
    rec.host = (m.host.empty() || m.host == "0") ? span(m.ip) : span(m.host);
    if (!m.id.empty()) {
      Attribute& id = rec.attrs.emplace_back();
      id.name = m.id_name;
      sx::assign_typed_value(m.id, id.value);
    }
  };
  if (!rec.got_ts) {
    if (sx::match_time(text)) {
      rec.got_ts = true;
      rec.has_header = true;
      stats_.saw_header = true;
      rec.ts_us = sx::parse_time(text.substr(8));
      if (!rec.got_uh) {
        if (auto m = sx::match_user_host(text)) set_user_host(*m);
      }
      return;
    }
  }
  if (!rec.got_uh) {
    if (auto m = sx::match_user_host(text)) {
      set_user_host(*m);
      stats_.saw_header = true;
      return;
    }
  }
  if (!rec.got_ac && sx::is_admin_command(text)) {
    size_t i = 1;
    while (i < text.size() && sx::is_space(text[i])) ++i;
    rec.admin_arg = span(text.substr(i));
    rec.got_ac = true;
    rec.found_arg = true;
    rec.has_header = true;
    stats_.saw_header = true;
    return;
  }
  sx::PropertyPairs pairs;
  switch (sx::read_property_line(text, pairs)) {
    case sx::PropertyLine::kPairs:
      for (size_t i = 0; i < pairs.count; ++i) {
        add_attribute(rec, pairs.name(text, i), pairs.value(text, i));
      }
      rec.has_header = true;
      stats_.saw_header = true;
      return;
    case sx::PropertyLine::kOther:
      process_property_line(rec, text);
      rec.has_header = true;
      stats_.saw_header = true;
      return;
    case sx::PropertyLine::kNotProperty:
      break;
  }
  if (!rec.got_db) {
    if (auto db = sx::match_use(text)) {
      rec.got_db = true;
      rec.db = span(*db);
      return;
    }
  }
  if (!rec.got_set && sx::match_set(text)) {
    rec.got_set = true;
    // pt keeps these as attributes: last_insert_id is reported, timestamp and insert_id
    // are among its ignored ones.
    sx::for_each_set_pair(text, [&](std::string_view name, std::string_view value) {
      add_attribute(rec, name, value);
    });
  }
}

void SlowLogParser::process_property_line(Record& rec, std::string_view text) {
  if (auto hole = sx::find_empty_schema(text)) {
    // "Schema:   QC_hit: No": pt deletes the empty "Schema:" so the next pair survives.
    const size_t off = arena_.size();
    append_to_arena(text.substr(0, hole->begin), text.substr(hole->end));
    text = std::string_view(arena_.data() + off, arena_.size() - off);
  }
  sx::for_each_pair(text, [&](std::string_view name, std::string_view value) {
    add_attribute(rec, name, value);
  });
}

void SlowLogParser::add_attribute(Record& rec, std::string_view name, std::string_view value) {
  Attribute& a = rec.attrs.emplace_back();
  a.name = name;
  sx::assign_typed_value(value, a.value);
  const AttributeValue& v = a.value;
  // The attributes QueryEvent has fields for. A value that is not a number counts as 0.
  switch (name.size()) {
    case 6:
      if (name == "Schema") {
        rec.schema = value;
        rec.has_schema = true;
      }
      break;
    case 9:
      if (name == "Lock_time") rec.lock_time = number_or_zero(v);
      break;
    case 10:
      if (name == "Query_time") rec.query_time = number_or_nan(v);  // see emit()
      break;
    case 19:
      if (name == "Log_slow_rate_limit") {
        const double rate = number_or_zero(v);
        rec.sample_rate = rate > 0 ? rate : 1;
      }
      break;
    default:
      break;
  }
}

void SlowLogParser::append_to_arena(std::string_view a, std::string_view b) {
  const size_t size = arena_.size() + a.size() + b.size();
  if (size <= arena_.capacity()) {
    arena_.append(a);
    arena_.append(b);
    return;
  }
  // Grown by hand: `a` and `b` may point into the arena, and views into it must follow.
  std::string grown;
  grown.reserve(std::max(size, arena_.capacity() * 2));
  grown.append(arena_);
  grown.append(a);
  grown.append(b);
  std::swap(grown, arena_);
  if (!grown.empty()) rebase(grown.data(), grown.data() + grown.size(), arena_.data());
}

void SlowLogParser::rebase(const char* old_begin, const char* old_end, const char* new_begin) {
  // Compared as integers: the old block may already be freed.
  const auto lo = reinterpret_cast<uintptr_t>(old_begin);
  const auto hi = reinterpret_cast<uintptr_t>(old_end);
  auto move = [&](std::string_view& v) {
    const auto p = reinterpret_cast<uintptr_t>(v.data());
    if (p >= lo && p < hi) v = std::string_view(new_begin + (p - lo), v.size());
  };
  for (Record* rec : {cur_.get(), pending_.get()}) {
    for (Attribute& a : rec->attrs) {
      move(a.name);
      if (auto* text = std::get_if<std::string_view>(&a.value)) move(*text);
    }
    move(rec->schema);
  }
}

// A record whose statement would start on its last line, and that line is a lone ';':
// pt strips the ';' and leaves the record ending in a newline, after which there is no
// line at all; and as the record's last header line then is not at its very end, pt does
// not look ahead either. Returns whether that happened.
bool SlowLogParser::forget_lone_semicolon_statement(Record& rec) {
  if (rec.arg_line_seen && rec.arg_start == rec.last_start && rec.last_end == rec.last_start + 1 &&
      rec.prev_semicolon) {
    rec.arg_line_seen = false;
    rec.found_arg = rec.got_ac;
    return true;
  }
  return false;
}

void SlowLogParser::close_at_boundary() {
  Record& rec = *cur_;
  if (rec.truncated) {  // delivered already
    state_ = State::kIdle;
    return;
  }
  flush_deferred(rec, true);
  if (forget_lone_semicolon_statement(rec) && !rec.found_arg) {
    drop(rec);
    state_ = State::kIdle;
    return;
  }
  if (rec.arg_line_seen) {
    const uint64_t end = rec.last_end - 1;  // pt strips the ';' of ";\n#"
    std::string_view q =
        rec.arg_needs_copy ? materialize(rec.arg_start, end, true) : view(rec.arg_start, end);
    emit(rec, q, rec.got_ac);
    state_ = State::kIdle;
  } else if (rec.found_arg) {
    emit(rec, resolve(rec.admin_arg), true);
    state_ = State::kIdle;
  } else {
    std::swap(cur_, pending_);
    state_ = State::kLookahead;
  }
}

void SlowLogParser::close_at_junk() {
  Record& rec = *cur_;
  if (rec.truncated) return;  // delivered already
  // Junk right after a statement's ';' closes it like a separator would.
  flush_deferred(rec, rec.prev_semicolon);
  if (rec.prev_semicolon) forget_lone_semicolon_statement(rec);
  if (rec.arg_line_seen) {
    uint64_t end = rec.last_end - (rec.prev_semicolon ? 1 : 0);
    std::string_view q =
        rec.arg_needs_copy ? materialize(rec.arg_start, end, true) : view(rec.arg_start, end);
    emit(rec, q, rec.got_ac);
  } else if (rec.found_arg) {
    emit(rec, resolve(rec.admin_arg), true);
  } else {
    drop(rec);
  }
}

void SlowLogParser::close_at_eof() {
  Record& rec = *cur_;
  if (rec.truncated) {  // delivered already; was its text closed by ';'?
    stats_.truncated_last_entry = !rec.text_ends_in_semicolon;
    return;
  }
  flush_deferred(rec, true);
  if (rec.arg_line_seen && rec.arg_from_blank_after_semicolon && rec.last_end == rec.arg_start) {
    // Input ending ";\n\n": pt strips the ";\n" and the last newline starts no line, so
    // the blank line is not a statement.
    rec.arg_line_seen = false;
    rec.found_arg = rec.got_ac;
  }
  if (rec.last_end + (rec.last_cr ? 2 : 1) == base_abs_ + end_)
    forget_lone_semicolon_statement(rec);
  if (rec.arg_line_seen) {
    // pt's record is the rest of the input, from which it strips /;\n#?\Z/: a final
    // ";\n", or a ";\n" followed only by the last newline.
    materialize(rec.arg_start, base_abs_ + end_, true);
    std::string_view q = scratch_;
    size_t tail = q.find_last_not_of(" \t\n\r\f\v");
    stats_.truncated_last_entry = tail == std::string_view::npos || q[tail] != ';';
    if (q.ends_with(";\n")) {
      q.remove_suffix(2);
    } else if (q.ends_with(";\n\n")) {
      scratch_.erase(scratch_.size() - 3, 2);
      q = scratch_;
    }
    emit(rec, q, rec.got_ac);
  } else if (rec.found_arg) {
    stats_.truncated_last_entry = false;
    emit(rec, resolve(rec.admin_arg), true);
  } else {
    stats_.truncated_last_entry = true;
    drop(rec);
  }
}

bool SlowLogParser::lookahead_line(const Line& line) {
  std::string_view text = line.view();
  if (lookahead_first_line_) {
    text.remove_prefix(1);  // the '#' the separator consumed
    lookahead_first_line_ = false;
  }
  size_t i = 0;
  while (i < text.size() && sx::is_space(text[i])) ++i;
  if (i == text.size()) {
    if (line.abs + line.len - pending_->start_abs > options_.max_statement_bytes) on_oversize();
    return true;
  }
  if (sx::looks_like_named_value(text.substr(i))) {
    // The entry had no statement; the next one is read again from its start.
    emit(*pending_, kNoQuery, false);
    state_ = State::kRestart;
    scan_ = static_cast<size_t>(next_start_abs_ - base_abs_);
    line_no_ = next_start_line_;
    return false;
  }
  state_ = State::kAdminCollect;
  return admin_collect_line(line);
}

bool SlowLogParser::admin_collect_line(const Line& line) {
  if (line.terminated && line.len > 0 && line.data[line.len - 1] == ';') {
    // pt's chomp drops the ";\n"; the next entry starts on the following line.
    emit_admin_lookahead(line.abs + line.len - 1);
    state_ = State::kIdle;
    return true;
  }
  if (line.abs + line.len - pending_->start_abs > options_.max_statement_bytes) on_oversize();
  return true;
}

void SlowLogParser::emit_admin_lookahead(uint64_t end_abs) {
  // Text from after the consumed '#' up to end_abs, leading white space removed.
  std::string_view q = materialize(next_start_abs_ + 1, end_abs, false);
  size_t i = 0;
  while (i < q.size() && sx::is_space(q[i])) ++i;
  emit(*pending_, q.substr(i), true);
}

void SlowLogParser::emit(Record& rec, std::string_view query, bool admin, bool cut) {
  if (query.empty() || query == "0") {
    // pt's fingerprint stage drops events whose statement is false in Perl.
    drop(rec);
    return;
  }
  if (!rec.has_header) {
    // Bare SQL, or text of another kind: not a slow-log entry, and nothing to pass on.
    // (Blank lines alone are not worth a mention.)
    if (last_text_byte(query) != 0) {
      ++stats_.headerless;
      if (stats_.first_headerless_line == 0) stats_.first_headerless_line = rec.start_line;
    }
    return;
  }
  QueryEvent ev;
  ev.query = query;
  ev.admin_command = admin;
  ev.user = resolve(rec.user);
  ev.host = resolve(rec.host);
  ev.query_time = rec.query_time;
  ev.lock_time = rec.lock_time;
  ev.sample_rate = rec.sample_rate;
  // --attribute-aliases db|Schema: `use db` wins, else Schema (even when empty).
  bool has_db = false;
  std::string_view db;
  if (rec.got_db) {
    db = resolve(rec.db);
    has_db = true;
  } else if (rec.has_schema) {
    db = rec.schema;
    has_db = true;
  }
  if (has_db) {
    // sanitize_event: `db` and `db` are the same database.
    if (!db.empty() && db != "0") {
      if (db.front() == '`') db.remove_prefix(1);
      if (!db.empty() && db.back() == '`') db.remove_suffix(1);
    }
    ev.db = db;
    carry_.has_db = true;
    if (carry_.db != db) carry_.db.assign(db);
  } else if (carry_.has_db) {
    ev.db = carry_.db;
  }
  if (rec.got_ts) {
    ev.ts_us = rec.ts_us;
    carry_.has_ts = true;
    carry_.ts_us = rec.ts_us;
  } else if (carry_.has_ts) {
    ev.ts_us = carry_.ts_us;
  }
  ev.attributes = rec.attrs;
  ev.line = rec.start_line;
  ev.offset = rec.start_abs;
  if (!(rec.query_time >= 0 && rec.query_time <= DBL_MAX)) {
    // Query_time text ("abc", "-1", "nan"), negative or infinite: pt would count the
    // entry without a time, which is no better. Its header is genuine, so what it passes
    // on (db, ts) stands; it is just not counted.
    ++stats_.bad_query_time;
    if (stats_.first_bad_query_time_line == 0) stats_.first_bad_query_time_line = rec.start_line;
    return;
  }
  if (cut) ++stats_.truncated_statements;
  ++stats_.events;
  sink_(ev);
}

void SlowLogParser::drop(Record&) {
  ++stats_.dropped_entries;
}

std::string_view SlowLogParser::resolve(const Span& span) const {
  if (span.len == 0) return {};
  if (span.source == kArena) return {arena_.data() + span.off, span.len};
  return {buf_.get() + (span.off - base_abs_), span.len};
}

std::string_view SlowLogParser::view(uint64_t begin_abs, uint64_t end_abs) const {
  if (end_abs <= begin_abs) return {};
  return {buf_.get() + (begin_abs - base_abs_), static_cast<size_t>(end_abs - begin_abs)};
}

std::string_view SlowLogParser::materialize(uint64_t begin_abs, uint64_t end_abs,
                                            bool drop_startup_headers) {
  scratch_.clear();
  if (end_abs <= begin_abs) return scratch_;
  const char* p = buf_.get() + (begin_abs - base_abs_);
  const char* const e = buf_.get() + (end_abs - base_abs_);
  while (p < e) {
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(e - p)));
    const char* le = nl != nullptr ? nl : e;
    size_t len = static_cast<size_t>(le - p);
    if (nl != nullptr && len > 0 && p[len - 1] == '\r') --len;
    if (drop_startup_headers && nl != nullptr && len > 0 &&
        sx::is_startup_header(std::string_view(p, len))) {
      p = nl + 1;
      continue;
    }
    scratch_.append(p, len);
    if (nl == nullptr) break;
    scratch_.push_back('\n');
    p = nl + 1;
  }
  return scratch_;
}

uint64_t SlowLogParser::keep_from_abs() const {
  switch (state_) {
    case State::kRecord:
      // A cut entry was delivered: only the line being read matters.
      return cur_->truncated ? base_abs_ + scan_ : cur_->start_abs;
    case State::kLookahead:
    case State::kAdminCollect:
      return pending_->start_abs;
    default:
      return base_abs_ + scan_;
  }
}

void SlowLogParser::reserve(size_t min_free) {
  if (cap_ - end_ >= min_free) return;
  const size_t keep = static_cast<size_t>(keep_from_abs() - base_abs_);
  const size_t live = end_ - keep;
  const char* const old = buf_.get();
  if (cap_ - live >= min_free) {
    if (keep > 0) std::memmove(buf_.get(), buf_.get() + keep, live);
  } else {
    // Grow geometrically, but not far past what the limit lets the parser keep (an entry
    // whose header lines and statement both come near it grows the buffer as it needs).
    const size_t ceiling = options_.max_statement_bytes + min_free + kFeedPiece;
    size_t want = std::max({live + min_free, std::min(cap_ + cap_ / 2, ceiling), kMinBuffer});
    auto bigger = std::make_unique_for_overwrite<char[]>(want);
    if (live > 0) std::memcpy(bigger.get(), buf_.get() + keep, live);
    buf_ = std::move(bigger);
    cap_ = want;
  }
  // The live bytes now start at buf_; the views of the entries being read move along.
  if (live > 0 && (keep > 0 || buf_.get() != old))
    rebase(old + keep, old + keep + live, buf_.get());
  base_abs_ += keep;
  scan_ -= keep;
  end_ = live;
}

void SlowLogParser::maybe_report_progress() {
  if (!options_.on_progress || stats_.bytes < next_progress_) return;
  next_progress_ = stats_.bytes + options_.progress_every_bytes;
  options_.on_progress(stats_.bytes);
}

}  // namespace slowscope
