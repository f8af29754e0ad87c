// DigestAggregator: groups QueryEvents by fingerprint into QueryClasses, the core of a
// pt-query-digest style report; DigestSummary: the totals over every event aggregated.
//
// Built for parallel parsing: each parser thread feeds its own aggregator the events of
// one contiguous part of the input, then the aggregators are merged in input order. Every
// result, down to the last bit of every double, equals what a single aggregator fed the
// whole input in order would produce.
//
// Memory grows with the number of classes (and distinct attribute names), not with the
// number of events: per class it holds fixed-size statistics, bounded sketches, at most
// kMaxDistinctValues names per database/user/host map, and one example statement.
//
// Thread-safety: none. Use one aggregator per thread; merge() after the threads are done.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzer/aggregate/metric_summary.h"
#include "analyzer/aggregate/query_class.h"
#include "analyzer/event/query_event.h"
#include "analyzer/fingerprint/fingerprint.h"

namespace slowscope {

struct DigestSummary {
  uint64_t events = 0;
  double estimated_events = 0;  // sum of sample rates, see QueryClass::estimated_calls
  bool sampled = false;
  uint64_t classes = 0;
  std::optional<int64_t> first_seen_us;
  std::optional<int64_t> last_seen_us;
  // Every attribute over every event, as in QueryClass.
  std::map<std::string, MetricSummary, std::less<>> metrics;
  std::map<std::string, FlagCount, std::less<>> flags;
  // Attribute values beyond +-MetricSummary::kMaxMagnitude, counted as that bound.
  uint64_t saturated_values = 0;

  // Sum of Query_time over all events, in seconds.
  double total_query_time() const {
    const auto it = metrics.find("Query_time");
    return it == metrics.end() ? 0 : it->second.sum();
  }

  friend bool operator==(const DigestSummary&, const DigestSummary&) = default;
};

class DigestAggregator {
 public:
  // Cap on distinct names per database/user/host map of a class. Which names survive
  // cannot be "the first seen" or "the most frequent": neither is knowable when the input
  // is split across threads without keeping every name. Instead a class keeps the names
  // with the smallest values of a fixed hash, a choice that depends only on the set of
  // names, so the result is the same however the input was split.
  static constexpr size_t kMaxDistinctValues = 1000;

  explicit DigestAggregator(FingerprintOptions fingerprint_options = {});
  DigestAggregator(DigestAggregator&&) noexcept;
  DigestAggregator& operator=(DigestAggregator&&) noexcept;
  DigestAggregator(const DigestAggregator&) = delete;
  DigestAggregator& operator=(const DigestAggregator&) = delete;
  ~DigestAggregator();

  // Aggregates one event into its class; copies what it keeps of the event's views.
  // `input` numbers the file or stream the event came from, for the class's example.
  void add(const QueryEvent& event, size_t input = 0);

  // Folds in `later`, which must have aggregated the events that follow this one's in
  // input order, with the same fingerprint options; `later` is left empty.
  void merge(DigestAggregator&& later);

  // Adds `delta` to the line number kept of every event so far (the classes' examples):
  // for events numbered from the start of a range of the input rather than of the input.
  void shift_lines(uint64_t delta);

  // Events aggregated so far.
  uint64_t events() const { return events_; }
  // Distinct classes so far.
  size_t class_count() const;

  // Totals over everything aggregated so far.
  DigestSummary summary() const;

  // The classes in order of first appearance in the input, with their query ids and
  // tables filled in; leaves the aggregator empty.
  std::vector<QueryClass> take_classes();

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct ClassState;
  class ValueCounter;

  uint32_t attribute_id(std::string_view name);
  void resolve_attribute_ids(const QueryEvent& event);

  Fingerprinter fingerprinter_;
  uint64_t events_ = 0;
  uint64_t saturated_values_ = 0;
  std::vector<ClassState> classes_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> class_ids_;

  // Attribute names interned to small ids that index each class's metric vector.
  std::vector<std::string> attribute_names_;
  // Per attribute id: whether it is a measure, a row count (zero for admin commands), an
  // identifier, or a flag logged as 0/1.
  enum class AttributeKind : uint8_t { kAsLogged, kRowCount, kIgnored, kNumericFlag };
  std::vector<AttributeKind> attribute_kinds_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> attribute_ids_;
  // Ids of the current event's attributes, in order; left from the previous event, whose
  // header usually has the same layout, so that resolving them is a string compare each.
  std::vector<uint32_t> layout_;
};

}  // namespace slowscope
