// SlowLogParser: a streaming parser for MySQL (5.1-8.x), MariaDB and Percona Server slow
// query logs that produces one QueryEvent per entry: the entries, statement text, database
// and timestamps pt-query-digest 3.2.1 would count (its SlowLogParser followed by the
// pipeline stages that matter: sanitize_event, dropping events whose statement is false in
// Perl, --attribute-aliases db|Schema and --inherit-attributes db,ts).
//
// Give it bytes in pieces of any size, through feed() or write_area()/commit(); it calls
// the sink once per complete entry, from inside feed()/commit()/finish(). The QueryEvent
// passed to the sink is a view into the parser's buffers, valid only during the call.
// Memory stays at about twice max_statement_bytes plus one fed block whatever the input;
// no allocation per event once buffers have grown.
//
// What is replicated from pt-query-digest (see slow_log_parser.cpp for the mechanics):
//  - Entries split where a line starting with '#' follows a line ending in ';'. A blank
//    line or other text after a statement therefore glues the next entry onto it, and a
//    '#' line inside a statement that does not follow ';' is statement text.
//  - Statement text: from the first line that is not `#...`, `use ...`, `SET timestamp=`,
//    `SET insert_id=` or `SET last_insert_id=` to the end of the entry, without the final
//    ';' (kept when the input ends in "...;" without newline, as pt does).
//  - "# administrator command: X;" gives "administrator command: X" (admin_command).
//  - An entry with only header lines reads ahead like pt: if the next entry starts with
//    "Name: " text (a Time line, say) the entry is "/* No query */"; otherwise the text up
//    to the next ";\n" is taken as its administrator statement (the rest of that entry
//    then forms one of its own), with all the knock-on effects pt has.
//  - Banner lines ("mysqld, Version: ... started with:", "Tcp port: ...", "Time Id
//    Command ...") are deleted wherever they are.
//  - db: the first `use x;` of the entry, else its Schema attribute (an empty "Schema: "
//    at the end of a line counts, a "Schema:  Next: " does not), one pair of backquotes
//    removed; ts from the "# Time:" line. An event without them inherits the value of the
//    last delivered event that had one. Events whose statement is "" or "0" are not
//    delivered (pt drops them) and do not pass anything on.
//  - Attributes: every `Name: value` pair of "# Name: value" lines in log order (the first
//    letter after "# " must be a capital and a value must follow, as in pt's pattern),
//    plus "Id" from the User@Host line. Values are numbers when pt takes them for numbers
//    (digits, or a decimal with a point), true/false for Yes/No, else text. When a name
//    repeats pt keeps the last value.
//  - user/host from "# User@Host: user[user] @ host [ip]" (host is the ip when empty).
//
// Deliberate differences, all for input pt itself mishandles:
//  - CRLF line endings are read as LF (pt on Linux would glue every CRLF entry into one).
//  - Junk is skipped instead of being glued into the statement before it: a line with a
//    NUL byte; a line longer than max_statement_bytes unless it is statement text that
//    does not follow a line ending in ';'; and, outside statement text or right after a
//    statement's closing ';', a line with control bytes or invalid UTF-8. Junk ends the
//    current entry: one whose statement had begun is delivered as far as its last clean
//    line, one still in its header lines is dropped. Parsing resumes at the next Time /
//    User@Host / attribute header line. Each run of skipped lines counts once.
//  - A statement longer than max_statement_bytes is cut to its first max_statement_bytes
//    (less a UTF-8 character split there; a string literal or comment the cut leaves open
//    is closed, see close_cut_statement) and its entry delivered at once, counted in
//    ParseStats::truncated_statements; the rest of the entry is read only to find where it
//    ends, as above. Of a statement line longer than the limit only the first
//    max_statement_bytes are checked for junk. An entry whose header lines alone exceed
//    the limit is skipped (and counted) rather than buffered.
//  - An entry without any header line (no Time, User@Host, administrator command or
//    "# Name: value" line: bare SQL, or text of another kind) is not delivered; pt would
//    count it. Nor is one whose Query_time is not a non-negative number ("nan", "-1",
//    "abc"), which pt would count without a time. Both are counted in ParseStats.
//  - Banners of "mariadbd", "mysqld.exe" or not starting with '/' or a capital are
//    deleted too (pt keeps them and glues the entries around them together). pt also
//    re-splits a record it deleted a banner from in a way that reorders or regroups
//    entries when the entry before the banner had no statement or ended in a lone ';'
//    line; here a banner acts like a plain separator.
//  - ts_us keeps microseconds and honours a numeric zone offset; pt keeps whole seconds
//    and ignores the offset. Times without a zone (the old "071015 21:43:52" style, local
//    server time) are taken as UTC.
//
// Not thread-safe: one parser per thread. Parallel parsing of one file goes through
// slow_log_reader.h, which gives each thread its own parser started at a split point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/event/query_event.h"

namespace slowscope {

// Counters for one parse. Line numbers are 1-based, across the whole input.
struct ParseStats {
  static constexpr size_t kMaxSkippedLines = 10;

  uint64_t events = 0;   // events delivered to the sink
  uint64_t bytes = 0;    // input bytes consumed
  uint64_t lines = 0;    // input lines consumed (a last line without newline counts)
  uint64_t skipped = 0;  // junk spots skipped: a run of junk lines or an oversized entry
  std::vector<uint64_t> first_skipped_lines;  // where the first kMaxSkippedLines skips start
  // Entries pt-query-digest does not count either: a header without statement text (at
  // the end of input, or cut by junk) or a statement that is empty or "0".
  uint64_t dropped_entries = 0;
  // The input ended inside an entry: no statement yet, or text not closed by ';'.
  bool truncated_last_entry = false;
  // Entries delivered with their statement cut to max_statement_bytes.
  uint64_t truncated_statements = 0;
  // Entries not delivered because their Query_time is not a non-negative number, and the
  // line the first of them starts on (0: none).
  uint64_t bad_query_time = 0;
  uint64_t first_bad_query_time_line = 0;
  // Statements without any header line, not delivered, and where the first starts.
  uint64_t headerless = 0;
  uint64_t first_headerless_line = 0;
  // A Time, User@Host, administrator command or "# Name: value" header line was read;
  // a line was read that is neither blank nor a server start-up banner. Together they
  // tell a slow log without entries (empty, or only banners) from input of another kind.
  bool saw_header = false;
  bool saw_text = false;

  // Adds `later`, which covers the input right after this one.
  void append(const ParseStats& later);
};

// What an entry inherits from the entries before it (pt's --inherit-attributes db,ts):
// the values of the last delivered event that had them.
struct SlowLogCarry {
  bool has_ts = false;
  std::optional<int64_t> ts_us;  // nullopt when that Time line held no valid time
  bool has_db = false;
  std::string db;
};

struct SlowLogParserOptions {
  static constexpr size_t kDefaultMaxStatementBytes = size_t{16} << 20;
  // Longest statement kept: a longer one is cut to this many bytes and its entry still
  // delivered (see above). Header lines, and an entry's header lines together, may not
  // be longer: such entries are skipped. Taken as at least 1 KiB and at most 2 GiB.
  // Bounds the parser's memory to about twice this plus one fed block.
  size_t max_statement_bytes = kDefaultMaxStatementBytes;
  // on_progress(total bytes consumed) runs after every this many bytes, from feed().
  uint64_t progress_every_bytes = uint64_t{16} << 20;
  std::function<void(uint64_t)> on_progress;
};

class SlowLogParser {
 public:
  using Sink = std::function<void(const QueryEvent&)>;

  explicit SlowLogParser(Sink sink, SlowLogParserOptions options = {});
  ~SlowLogParser();
  SlowLogParser(const SlowLogParser&) = delete;
  SlowLogParser& operator=(const SlowLogParser&) = delete;

  // Before the first feed() or commit(): the input starts at byte `offset`, line `line` of
  // a larger log, at a split point (see slow_log_reader.h), with `carry` inherited from
  // before.
  // `after_no_query`: the entry before was a "/* No query */" one, whose successor pt
  // reads specially (used when probing for split points).
  void start_at(uint64_t offset, uint64_t line, SlowLogCarry carry, bool after_no_query = false);

  // Parses `bytes`, the next piece of input; delivers the entries it completes.
  void feed(std::string_view bytes);

  // Zero-copy feeding: a writable area of at least `min_bytes` for the next input...
  std::span<char> write_area(size_t min_bytes);
  // ...of which the first `n` bytes were filled; parses them like feed().
  void commit(size_t n);

  // End of input: delivers the last entry, even if cut short (pt does too).
  void finish();

  // End of a byte range that stops at a split point: the next input byte would start an
  // entry, so the last entry is complete.
  void finish_range();

  // Counters so far.
  const ParseStats& stats() const { return stats_; }

  // What the next entry would inherit.
  const SlowLogCarry& carry() const { return carry_; }

  // True when all input so far ends with complete lines and a header line fed next
  // (a Time or User@Host line) would start a new entry with nothing pending: the state
  // a parser started with start_at() has. Conservative: false when unsure.
  bool at_fresh_entry_start() const;

  // Bytes of input buffer allocated (it only grows): the parser's memory bound at work.
  size_t buffer_capacity() const { return cap_; }

 private:
  struct Span;
  struct Record;
  struct Line;
  enum class State;
  enum class StartMode;

  void process_lines(bool at_eof);
  bool on_line(const Line& line);
  void on_junk(const Line& line);
  void on_oversize();
  // Whether `line`, read inside cur_, is text of its statement (begun, or beginning with
  // this line) rather than one of its header lines or the start of the next entry.
  bool is_statement_text(const Line& line) const;
  // Whether `text`, a statement line longer than max_statement_bytes, is junk: it follows
  // a line ending in ';', or its first max_statement_bytes hold a NUL byte.
  bool is_junk_statement_line(std::string_view text) const;
  // A statement line longer than the limit whose start is in the buffer (end_ - scan_
  // bytes, no newline yet): cuts the statement and drops the rest of the line unread,
  // keeping only what finding the entry's end needs (end_discarded_line).
  void begin_long_statement_line();
  void end_discarded_line(uint64_t end_abs, bool terminated);
  // Delivers cur_ with its statement cut to max_statement_bytes; the rest of the entry is
  // read only to find where it ends.
  void cut_statement(Record& rec);
  void skip(uint64_t line_no);
  void start_record(const Line& line, StartMode mode, bool suppress);
  void add_line(Record& rec, const Line& line, std::string_view effective, uint8_t source,
                uint64_t effective_off);
  void flush_deferred(Record& rec, bool strip_semicolon);
  void process_header_line(Record& rec, std::string_view text, uint8_t source, uint64_t off);
  // A property line (is_property_line) that read_property_line left to the three steps.
  void process_property_line(Record& rec, std::string_view text);
  // Appends the attribute `name: value`, typed as pt types it.
  void add_attribute(Record& rec, std::string_view name, std::string_view value);
  // Appends a + b to arena_, moving the views into it along if it moved.
  void append_to_arena(std::string_view a, std::string_view b);
  // Points the views of cur_ and pending_ into [old_begin, old_end) at new_begin instead.
  void rebase(const char* old_begin, const char* old_end, const char* new_begin);
  bool forget_lone_semicolon_statement(Record& rec);
  void close_at_boundary();
  void close_at_junk();
  void close_at_eof();
  bool lookahead_line(const Line& line);
  bool admin_collect_line(const Line& line);
  void emit_admin_lookahead(uint64_t end_abs);
  void emit(Record& rec, std::string_view query, bool admin, bool cut = false);
  void drop(Record& rec);
  std::string_view resolve(const Span& span) const;
  std::string_view view(uint64_t begin_abs, uint64_t end_abs) const;
  std::string_view materialize(uint64_t begin_abs, uint64_t end_abs, bool drop_startup_headers);
  uint64_t keep_from_abs() const;
  void reserve(size_t min_free);
  void maybe_report_progress();

  Sink sink_;
  SlowLogParserOptions options_;
  ParseStats stats_;
  SlowLogCarry carry_;

  // Input buffer: buf_[0, end_) holds stream bytes [base_abs_, base_abs_ + end_).
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t end_ = 0;
  size_t scan_ = 0;  // start of the first line not yet processed
  uint64_t base_abs_ = 0;
  uint64_t line_no_ = 1;  // line number of the line at scan_
  uint64_t first_line_ = 1;
  bool discarding_ = false;  // inside an over-long line, dropping bytes up to its newline
  // The over-long line is statement text past the cut: the bytes dropped still decide
  // whether it ends in ';' (and in '\r'), and which is the statement's last non-space byte.
  bool discarding_statement_ = false;
  char discarded_last_[2] = {0, 0};
  char discarded_last_text_ = 0;
  uint64_t next_progress_ = 0;

  std::unique_ptr<Record> cur_;
  std::unique_ptr<Record> pending_;  // an entry waiting for what follows it
  State state_;
  // In kLookahead / kAdminCollect: where the entry after pending_ starts.
  uint64_t next_start_abs_ = 0;
  uint64_t next_start_line_ = 0;
  bool lookahead_first_line_ = false;

  std::string arena_;    // rewritten header lines that spans point into
  std::string scratch_;  // statement text that had to be rewritten
};

}  // namespace slowscope
