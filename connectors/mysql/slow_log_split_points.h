// Split points of a slow log: where a sequential parse surely starts a fresh entry with
// nothing pending, so that a parallel reader (slow_log_reader.h) can start a range there,
// and what such a range inherits (ts, db) from the entries before it.
//
// A split point is the start of a "# Time: " or "# User@Host: " line. Whether a
// sequential parse starts a fresh entry there can depend on entries far back (pt reads an
// entry without statement together with what follows it, and the effect can run on), so
// split points are proven by simulation: from an anchor (a "# Time: " line whose possible
// parser states are few and known) the parser is run in each of those states, and the
// first entry head where all runs agree on a fresh start is a split point. The start of
// input is an anchor too. Where no anchor is within a few MiB (a log without Time lines),
// no split point is found. What a range inherits is what the simulation that found its
// split point carries there, where its runs agree; else it is found by searching
// backwards for the last "use" / "Schema:" / "Time: " line and re-parsing the entries
// around it.
//
// The public split-point functions (find_slow_log_split_point_from, is_slow_log_split_point)
// are declared in slow_log_reader.h and defined with these; this header holds what the
// parallel reader uses besides. Safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <optional>

#include "connectors/mysql/slow_log_parser.h"
#include "connectors/mysql/slow_log_reader.h"

namespace slowscope::slow_log_split {

// What a sequential parse carries out of [anchor, to), `to` being a split point, as far
// as every state possible at the anchor agrees: a value they disagree on is left unset
// in `agreed`, and so is one none of them set.
struct AnchoredCarry {
  SlowLogCarry agreed;
  bool ts_known = false;  // all states agree on whether and which ts is set
  bool db_known = false;
};

// The first split point in [from, limit), if one is found with reasonable effort. With
// `carry`, also what a sequential parse carries on from there, as far as the probe that
// found it tells (it simulated the parse up to it).
std::optional<uint64_t> find_split_from(const ByteSource& src, uint64_t from, uint64_t limit,
                                        const SlowLogParserOptions& options,
                                        AnchoredCarry* carry = nullptr);

// The inheritable values set by entries in [lo, hi) (both split points), each with has_ts
// / has_db set when found. First from `known` (what the search that found hi learnt on
// the way), else from the last anchor before hi, which costs a parse of the entries
// after it; what that leaves open is searched for backwards from hi, which can mean
// parsing much of [lo, hi) when no split point is near the value. A value `known` has
// from before lo is still the one a sequential parse has at hi.
SlowLogCarry search_carry(const ByteSource& src, uint64_t lo, uint64_t hi,
                          const SlowLogReadOptions& options, const AnchoredCarry* known = nullptr);

}  // namespace slowscope::slow_log_split
