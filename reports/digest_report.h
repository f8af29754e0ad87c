// DigestReport: everything a digest report shows, assembled by the `digest` job and
// rendered by reports/text and reports/json. A plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/aggregate/digest_aggregator.h"
#include "analyzer/aggregate/query_class.h"
#include "analyzer/aggregate/ranking.h"

namespace slowscope {

// What reading one input found, besides its events.
struct InputTotals {
  std::string name;  // path as given, "-" for standard input
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t entries = 0;   // entries parsed, before filters
  uint64_t skipped = 0;   // unparseable stretches skipped
  std::vector<uint64_t> first_skipped_lines;  // 1-based, the first few
  bool truncated_last_entry = false;          // the input ended inside an entry
  uint64_t truncated_statements = 0;          // entries counted with their statement cut
  uint64_t bad_query_time = 0;                // entries skipped: Query_time not a number >= 0
  uint64_t first_bad_query_time_line = 0;
  uint64_t headerless = 0;                    // statements skipped: no slow-log header line
  uint64_t first_headerless_line = 0;
};

struct DigestReport {
  std::vector<InputTotals> inputs;
  uint64_t filtered = 0;   // entries excluded by --since/--until/--filter
  DigestSummary summary;   // over the events that passed the filters
  RankBy ranked_by = RankBy::kTotalTime;
  std::vector<QueryClass> classes;  // ranked, most significant first, already limited
  uint64_t total_classes = 0;       // before the limit
  bool literal_examples = false;    // --examples: show example statements with literals
  uint64_t max_statement_bytes = 0; // --max-statement-bytes: longer statements were cut

  // A count summed over the inputs, e.g. total(&InputTotals::skipped).
  uint64_t total(uint64_t InputTotals::*count) const;
  uint64_t total_bytes() const { return total(&InputTotals::bytes); }
  uint64_t total_skipped() const { return total(&InputTotals::skipped); }
  uint64_t total_truncated_statements() const { return total(&InputTotals::truncated_statements); }
  uint64_t total_bad_query_time() const { return total(&InputTotals::bad_query_time); }
  uint64_t total_headerless() const { return total(&InputTotals::headerless); }
};

// The example text a report may show for `c`: the literal statement only when asked for,
// since literals can carry personal data; otherwise the fingerprint.
const std::string& example_text(const QueryClass& c, bool literal_examples);

}  // namespace slowscope
