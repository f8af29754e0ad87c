#include "cli/query_id_argument.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "cli/command_errors.h"
#include "reports/text/digest_text.h"

namespace slowscope {
namespace {

// Candidates an ambiguous prefix lists; one more is read to know that there are more.
constexpr int kCandidatesShown = 5;

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

ShapeRecord resolve_query_id(Store& store, std::string_view argument) {
  // The id exactly as stored: one index look-up.
  if (std::optional<ShapeRecord> exact = store.shape_by_hash(argument)) return *exact;

  std::string_view id = argument;
  // `top` cuts long ids on a terminal and marks the cut.
  if (id.ends_with("...")) id.remove_suffix(3);
  const bool pt_form = id.starts_with("0x") || id.starts_with("0X");
  if (pt_form) id.remove_prefix(2);
  const std::string wanted = lowercase(id);
  if (wanted.size() < kMinQueryIdPrefix) {
    throw UsageError("query id '" + std::string(argument) + "' is too short: give at least " +
                     std::to_string(kMinQueryIdPrefix) +
                     " of its characters (`slowscope top` lists the ids)");
  }
  ShapeHashMatch match;
  match.prefix = wanted;
  // 0x and 16 hex digits is also how pt-query-digest 2.x printed a 32-digit id: its end.
  if (pt_form && wanted.size() == 16) match.suffix = wanted;
  match.limit = kCandidatesShown + 1;
  const std::vector<ShapeRecord> found = store.shapes_matching(match);
  if (found.empty()) {
    throw UsageError("no query id " + std::string(argument) + " in the store " + store.describe() +
                     " (`slowscope top` lists the ids)");
  }
  // A whole id is no less whole for being the start of a longer one.
  for (const ShapeRecord& shape : found) {
    if (lowercase(shape.info.hash) == wanted) return shape;
  }
  if (found.size() == 1) return found.front();
  std::string candidates;
  for (size_t i = 0; i < found.size() && i < static_cast<size_t>(kCandidatesShown); ++i) {
    candidates += "\n  " + terminal_safe(found[i].info.hash, 64) + "  " +
                  terminal_safe(found[i].info.fingerprint, 80);
  }
  if (found.size() > static_cast<size_t>(kCandidatesShown)) candidates += "\n  ...";
  throw UsageError("query id " + std::string(argument) +
                   " names several shapes; give more of it:" + candidates);
}

}  // namespace slowscope
