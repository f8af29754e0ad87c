// How commands read a query id a user typed: the full id as any report printed it, in any
// case; a unique prefix of at least kMinQueryIdPrefix characters (what `top` shows on a
// terminal, "..." included); or pt-query-digest's forms, 0x + the 32-digit MySQL id (3.x) or
// 0x + its last 16 digits (2.x). Thread-compatible: uses the caller's Store.
#pragma once

#include <cstddef>
#include <string_view>

#include "analyzer/store/store.h"

namespace slowscope {

// Shorter prefixes would name several shapes too often to be worth a look-up.
inline constexpr size_t kMinQueryIdPrefix = 8;

// The shape `argument` names. Throws UsageError when the argument is shorter than
// kMinQueryIdPrefix, names no shape ("no query id ... in the store"), or names several (a
// few are listed, with their fingerprints).
ShapeRecord resolve_query_id(Store& store, std::string_view argument);

}  // namespace slowscope
