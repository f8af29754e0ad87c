// Terminal rendering of a DigestReport: a profile table of the ranked query shapes, then
// one block per shape with its statistics, a latency histogram and an example. Pure
// function of the report; thread-safe.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "reports/digest_report.h"

namespace slowscope {

void write_digest_text(std::ostream& out, const DigestReport& report);

// Makes statement text safe to print on a terminal: control bytes (an attacker could log
// escape sequences) and bytes that are not UTF-8 become "\xNN", bidi controls and
// invisible characters their visible escape ("\u202E", reports/visible_text.h), newlines
// and tabs spaces; the result is cut to `max_width` characters with "..." when longer.
std::string terminal_safe(std::string_view text, size_t max_width);

}  // namespace slowscope
