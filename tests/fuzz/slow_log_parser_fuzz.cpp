// Fuzz target for the slow-log parser. The first input byte seeds the choices; the rest is
// the log. Checks that feeding the log in arbitrary pieces gives exactly the events and
// counters of a one-shot feed, and that a parse split into ranges at the reader's split
// points gives the same events too (for small inputs, at every split point), also through
// the parallel reader.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql/slow_log_parser.h"
#include "connectors/mysql/slow_log_reader.h"
#include "tests/parser/slow_log_test_util.h"

namespace {

using slowscope::MemoryByteSource;
using slowscope::ParseStats;
using slowscope::QueryEvent;
using slowscope::SlowLogParser;
using slowscope::SlowLogParserOptions;
using slowscope::SlowLogReadOptions;
using slowscope::testing::OwnedEvent;

struct Run {
  std::vector<OwnedEvent> events;
  ParseStats stats;
};

[[noreturn]] void Fail(const char* what, size_t index) {
  std::fprintf(stderr, "slow_log_parser_fuzz: %s (event %zu)\n", what, index);
  std::abort();
}

void Expect(const std::vector<OwnedEvent>& want, const std::vector<OwnedEvent>& got,
            const char* what) {
  if (want.size() != got.size()) Fail(what, want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (!(want[i] == got[i])) {
      std::fprintf(stderr, "want: %s\ngot:  %s\n", slowscope::testing::Describe(want[i]).c_str(),
                   slowscope::testing::Describe(got[i]).c_str());
      Fail(what, i);
    }
  }
}

bool SameStats(const ParseStats& a, const ParseStats& b) {
  return a.events == b.events && a.bytes == b.bytes && a.lines == b.lines &&
         a.skipped == b.skipped && a.first_skipped_lines == b.first_skipped_lines &&
         a.dropped_entries == b.dropped_entries && a.truncated_last_entry == b.truncated_last_entry &&
         a.truncated_statements == b.truncated_statements && a.bad_query_time == b.bad_query_time &&
         a.first_bad_query_time_line == b.first_bad_query_time_line &&
         a.headerless == b.headerless && a.first_headerless_line == b.first_headerless_line &&
         a.saw_header == b.saw_header && a.saw_text == b.saw_text;
}

Run Parse(std::string_view log, const SlowLogParserOptions& options, uint32_t seed) {
  Run run;
  SlowLogParser parser(
      [&](const QueryEvent& e) { run.events.push_back(slowscope::testing::Own(e)); }, options);
  if (seed == 0) {
    parser.feed(log);
  } else {
    // Pieces from 1 byte up, a few large ones too.
    uint32_t state = seed;
    size_t pos = 0;
    while (pos < log.size()) {
      state = state * 1103515245u + 12345u;
      size_t n = (state >> 16) % 97 + 1;
      if ((state & 0x700) == 0) n *= 200;
      n = std::min(n, log.size() - pos);
      parser.feed(log.substr(pos, n));
      pos += n;
    }
  }
  parser.finish();
  run.stats = parser.stats();
  return run;
}

std::vector<OwnedEvent> ParseRanges(std::string_view log, const std::vector<uint64_t>& starts,
                                    const SlowLogParserOptions& options) {
  MemoryByteSource source(log);
  std::vector<std::vector<OwnedEvent>> per(starts.size());
  SlowLogReadOptions read;
  read.parser = options;
  read.block_bytes = 4096;
  slowscope::parse_slow_log_ranges(
      source, starts,
      [&](size_t i) {
        return [&per, i](const QueryEvent& e) { per[i].push_back(slowscope::testing::Own(e)); };
      },
      read);
  std::vector<OwnedEvent> all;
  for (auto& v : per) all.insert(all.end(), v.begin(), v.end());
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t seed = data[0];
  std::string_view log(reinterpret_cast<const char*>(data + 1), size - 1);
  SlowLogParserOptions options;
  // Half of the runs use the smallest statement limit so that cut statements, over-long
  // entries and lines come up with small inputs.
  if (seed & 1) options.max_statement_bytes = 1024;

  const Run whole = Parse(log, options, 0);
  const Run pieces = Parse(log, options, seed | 0x100);
  Expect(whole.events, pieces.events, "piecewise feed differs");
  if (!SameStats(whole.stats, pieces.stats)) Fail("piecewise stats differ", 0);

  MemoryByteSource source(log);
  const unsigned parts = 2 + (seed >> 1) % 4;
  std::vector<uint64_t> starts = slowscope::find_slow_log_split_points(source, parts, options);
  if (starts.size() > 1) Expect(whole.events, ParseRanges(log, starts, options), "ranges differ");

  // The parallel reader, which finds the same split points while the first range is
  // already being parsed; with range-relative lines every other time.
  {
    SlowLogReadOptions read;
    read.parser = options;
    read.block_bytes = 4096;
    read.range_relative_lines = (seed & 0x40) != 0;
    std::vector<std::vector<OwnedEvent>> per(parts);
    const slowscope::ParallelParseResult result = slowscope::read_slow_log_parallel(
        source, parts,
        [&](size_t i) {
          return [&per, i](const QueryEvent& e) { per[i].push_back(slowscope::testing::Own(e)); };
        },
        read);
    if (result.range_starts != starts) Fail("parallel reader split elsewhere", 0);
    std::vector<OwnedEvent> all;
    for (size_t i = 0; i < per.size(); ++i) {
      for (OwnedEvent& e : per[i]) {
        if (read.range_relative_lines) e.line += result.range_first_lines[i] - 1;
        all.push_back(std::move(e));
      }
    }
    Expect(whole.events, all, "parallel reader differs");
    if (!SameStats(whole.stats, result.total)) Fail("parallel reader stats differ", 0);
  }

  if (log.size() <= 4096) {
    for (size_t p = 1; p < log.size(); ++p) {
      if (log[p - 1] != '\n' || !slowscope::is_slow_log_split_point(source, p, options)) continue;
      Expect(whole.events, ParseRanges(log, {0, p}, options), "split point differs");
    }
  }
  return 0;
}
