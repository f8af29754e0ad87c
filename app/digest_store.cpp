#include "app/digest_store.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "analyzer/store/store.h"
#include "connectors/mysql/slow_log_collector.h"

namespace slowscope {

int store_slow_logs(const SlowLogStoreJob& job) {
  std::optional<Store> store;
  try {
    store.emplace(Store::open(StoreLocation::parse(job.store), StoreOpen::kCreate));
    store->ensure_target(job.target, Engine::kMysql);
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 2;
  }
  for (const std::string& input : job.inputs) {
    std::error_code ec;
    const auto path = std::filesystem::canonical(input, ec);
    if (ec || !std::filesystem::is_regular_file(path, ec)) {
      spdlog::error("{}: not a readable regular file (--store reads files, not streams)", input);
      return 2;
    }
    SlowLogFileCollector collector(job.target, path.string(),
                                   {.take_last_entry = true,
                                    .checkpoint = "slow_log_file:" + path.string(),
                                    .reader = "digest",
                                    .follow_rotations = false,
                                    .keep_examples = job.keep_examples});
    uint64_t entries = 0;
    uint64_t bytes = 0;
    size_t samples = 0;
    size_t shapes = 0;
    uint64_t already_stored = 0;
    uint64_t position = 0;
    std::string stored_by;
    try {
      while (true) {
        const SlowLogCycleReport r =
            collector.run_cycle(*store, std::chrono::system_clock::now(), job.interval);
        entries += r.entries;
        bytes += r.bytes;
        samples += r.samples;
        shapes += r.new_statements;
        position = r.position;
        if (r.already_stored > 0) {
          already_stored += r.already_stored;
          stored_by = r.stored_by;
        }
        for (const auto& e : r.events) spdlog::warn("{}: {}", input, e.message);
        if (r.caught_up) break;
        spdlog::info("{}: {:.0f} MB stored so far", input, static_cast<double>(bytes) / 1e6);
      }
    } catch (const std::exception& e) {
      spdlog::error("{}: {}", input, e.what());
      return 2;
    }
    if (already_stored > 0) {
      std::cout << input << ": " << already_stored << " bytes already stored for target "
                << job.target << " (read by " << stored_by << "), skipped\n";
    }
    if (bytes == 0) {
      std::cout << input << ": nothing new for target " << job.target << " (stored up to byte "
                << position << ")\n";
      continue;
    }
    std::cout << input << ": " << entries << " new entries (" << bytes << " bytes) stored as "
              << samples << " samples of target " << job.target << ", " << shapes
              << " new statements, in " << store->describe() << "\n";
  }
  return 0;
}

}  // namespace slowscope
