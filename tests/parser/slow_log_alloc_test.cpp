// The parser's hot path does not allocate per event once its buffers have grown. Counts
// every operator new in this test binary; only the window around the second half of a
// parse is looked at.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "connectors/mysql/slow_log_parser.h"
#include "tests/parser/slow_log_generator.h"
#include "tests/support/counting_allocator.h"

namespace slowscope {
namespace {

TEST(SlowLogParserAllocations, NonePerEventOnceWarm) {
  {
    const size_t before = testing::allocation_count();
    auto probe = std::make_unique<std::string>(1000, 'x');
    ASSERT_GT(testing::allocation_count(), before) << "the counting operator new is not in use";
  }
  for (auto kind : {testing::GeneratedLog::kMariaDbSysbench, testing::GeneratedLog::kMixed}) {
    const std::string log = testing::GenerateSlowLog(4 << 20, kind);
    uint64_t events = 0;
    double sum = 0;
    SlowLogParser parser([&](const QueryEvent& e) {
      ++events;
      sum += e.query_time + static_cast<double>(e.attributes.size() + e.query.size());
    });
    const size_t half = log.size() / 2;
    for (size_t pos = 0; pos < half; pos += 65536) {
      parser.feed(std::string_view(log).substr(pos, std::min<size_t>(65536, half - pos)));
    }
    const uint64_t events_before = events;
    const size_t allocations_before = testing::allocation_count();
    for (size_t pos = half; pos < log.size(); pos += 65536) {
      parser.feed(std::string_view(log).substr(pos, 65536));
    }
    parser.finish();
    const size_t allocations = testing::allocation_count() - allocations_before;
    ASSERT_GT(events - events_before, 5000u);
    // A few for buffers that still grow (a longer statement, a new db name), none per event.
    EXPECT_LT(allocations, 20u) << "over " << (events - events_before) << " events";
    EXPECT_GT(sum, 0);
  }
}

}  // namespace
}  // namespace slowscope
