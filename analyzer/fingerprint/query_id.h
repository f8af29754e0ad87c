// Query ids: the checksums pt-query-digest prints for a fingerprint, so that a class can
// be looked up in pt's reports, its query-review tables and slowscope's own output alike.
// Pure functions, safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace slowscope {

// The uppercase hex MD5 of `fingerprint`, 32 characters: pt-query-digest 3.x's checksum.
std::string query_id(std::string_view fingerprint);

// The right-most 16 characters of query_id(): the form pt-query-digest 2.x printed.
std::string legacy_query_id(std::string_view fingerprint);

}  // namespace slowscope
