// `slowscope digest --store`: ingests whole slow-log files into the history store as
// per-interval samples of a MySQL target, so that logs collected elsewhere join the same
// history as what `collect` gathers.
//
// The store records how far each file of the target is stored, whoever read it (this, or
// `collect` following the live log), so running it again on a file that grew adds only the
// new entries, and a file — live or rotated — that the target's collector read already adds
// nothing; it says what it skipped.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace slowscope {

struct SlowLogStoreJob {
  std::vector<std::string> inputs;  // regular files
  std::string store;                // sqlite:PATH or a PostgreSQL URI
  std::string target;               // the MySQL target the entries belong to
  std::chrono::seconds interval{60};
  bool keep_examples = false;  // store a literal statement per new statement key
};

// Runs the job, logging progress; prints one summary line per file on standard output.
// Returns the exit status: 0 done, 2 bad arguments or unreadable input or store.
int store_slow_logs(const SlowLogStoreJob& job);

}  // namespace slowscope
