// IntervalAggregator: groups the QueryEvents of a log by time bucket, database and query
// shape into the per-interval figures a history store keeps — calls, time sums and extremes,
// rows, and a quantile sketch of the query time — so that log sources (slow-log files, the
// mysql.slow_log table) yield the same per-interval samples as counter sources.
//
// Shapes are pt-query-digest fingerprints; their query id is the shape's identity. Memory
// grows with the distinct (bucket, database, shape) cells added since the last clear().
//
// A value type; not thread-safe (one aggregator per thread).
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/aggregate/quantile_sketch.h"
#include "analyzer/event/query_event.h"
#include "analyzer/fingerprint/fingerprint.h"

namespace slowscope {

struct IntervalKey {
  int64_t bucket_start = 0;  // epoch seconds, a multiple of the interval
  std::string database;
  std::string query_id;  // of the fingerprint (analyzer/fingerprint/query_id.h)

  auto operator<=>(const IntervalKey&) const = default;
};

// What the events of one cell added up to. Times in seconds.
struct IntervalFigures {
  int64_t calls = 0;
  double total_time = 0;
  double sum_sq = 0;  // of query times, for the variance
  double min_time = 0;
  double max_time = 0;
  double lock_time = 0;
  int64_t rows_sent = 0;
  int64_t rows_examined = 0;
  int64_t rows_affected = 0;
  QuantileSketch query_time;
};

// A shape met while aggregating, with the first statement seen of it (literals included).
struct IntervalShape {
  std::string fingerprint;
  std::vector<std::string> tables;
  std::string example;
};

class IntervalAggregator {
 public:
  // `interval`: the bucket width, at least one second.
  explicit IntervalAggregator(std::chrono::seconds interval);

  // Adds `event` to the bucket of its time, or of `fallback_ts_us` (epoch µs) when it has
  // none (counted in untimed()).
  void add(const QueryEvent& event, int64_t fallback_ts_us);

  // The cells added since the last clear(), by key.
  const std::map<IntervalKey, IntervalFigures>& cells() const { return cells_; }
  // The shapes of those cells, by query id.
  const std::unordered_map<std::string, IntervalShape>& shapes() const { return shapes_; }

  std::chrono::seconds interval() const { return interval_; }
  uint64_t events() const { return events_; }
  uint64_t untimed() const { return untimed_; }
  bool empty() const { return events_ == 0; }

  // Forgets every cell, shape and count.
  void clear();

 private:
  // Strings interned to dense ids, found without building a std::string per event.
  class StringIds {
   public:
    // The id of `s`; a new one when `s` is new.
    uint32_t id(std::string_view s);
    const std::string& text(uint32_t id) const { return texts_[id]; }

   private:
    struct Hash {
      using is_transparent = void;
      size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> ids_;
    std::vector<std::string> texts_;
  };
  // A cell by interned ids: what each event is looked up by, cheaper than an IntervalKey.
  struct CellRef {
    int64_t bucket;
    uint32_t database;
    uint32_t shape;
    bool operator==(const CellRef&) const = default;
  };
  struct CellRefHash {
    size_t operator()(const CellRef& c) const;
  };
  struct ShapeSlot {
    std::string query_id;       // MD5 of the fingerprint, computed once per shape
    uint64_t described_in = 0;  // the generation whose shapes_ holds it
  };

  std::chrono::seconds interval_;
  Fingerprinter fingerprinter_;
  std::map<IntervalKey, IntervalFigures> cells_;
  std::unordered_map<std::string, IntervalShape> shapes_;
  StringIds fingerprints_;  // id = index into shape_slots_
  std::vector<ShapeSlot> shape_slots_;
  StringIds databases_;
  std::unordered_map<CellRef, IntervalFigures*, CellRefHash> cell_index_;
  uint64_t generation_ = 1;  // advanced by clear()
  uint64_t events_ = 0;
  uint64_t untimed_ = 0;
};

}  // namespace slowscope
