// Terminal rendering of release markers: one line each — time, name, the targets it applies
// to and its metadata. Shared by `release list` and the reports that show the releases in
// their range. Pure function; thread-safe.
#pragma once

#include <ostream>
#include <vector>

#include "analyzer/store/store.h"

namespace slowscope {

// Writes one line per release, each starting with `indent`.
void write_releases_text(std::ostream& out, const std::vector<Release>& releases,
                         const char* indent = "");

}  // namespace slowscope
