#include "analyzer/aggregate/digest_aggregator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <variant>

#include "analyzer/fingerprint/query_id.h"
#include "analyzer/fingerprint/tables.h"

namespace slowscope {
namespace {

__extension__ typedef __int128 Int128;

constexpr uint32_t kNoAttribute = std::numeric_limits<uint32_t>::max();
constexpr double kMicrosPerUnit = 1e6;

// A hash that is the same in every build and on every platform, so that which names a
// capped map keeps does not change between runs (std::hash promises no such thing).
// FNV-1a followed by the splitmix64 finalizer to spread short, similar names.
uint64_t stable_hash(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

// Sample rates are small integers in practice, but summing them as doubles would make
// the total depend on how the events were split; micro-units keep the sum exact.
int64_t rate_micros(double rate) {
  if (!std::isfinite(rate) || rate < 0) return static_cast<int64_t>(kMicrosPerUnit);
  return static_cast<int64_t>(std::min(rate * kMicrosPerUnit, 9.2e18) + 0.5);
}

// NaN query times must neither win nor block the slowest-example contest.
double example_key(double query_time) {
  return std::isnan(query_time) ? -std::numeric_limits<double>::infinity() : query_time;
}

void min_into(std::optional<int64_t>& into, const std::optional<int64_t>& v) {
  if (v && (!into || *v < *into)) into = v;
}
void max_into(std::optional<int64_t>& into, const std::optional<int64_t>& v) {
  if (v && (!into || *v > *into)) into = v;
}

// Equality of short strings without a libc call: attribute names, databases, users and
// hosts are compared several times per event and are mostly under 32 bytes.
bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  size_t n = a.size();
  for (; n >= 8; n -= 8, x += 8, y += 8) {
    uint64_t wx, wy;
    std::memcpy(&wx, x, 8);
    std::memcpy(&wy, y, 8);
    if (wx != wy) return false;
  }
  for (; n > 0; --n, ++x, ++y) {
    if (*x != *y) return false;
  }
  return true;
}

}  // namespace

// Event counts per name, keeping at most kMaxDistinctValues names: those with the
// smallest (stable_hash, name). That set is the bottom-k of all names seen, so a name kept
// at the end was kept from its first event on and its count is exact, and merging two
// counters yields the bottom-k of the union: the same as one counter fed everything.
//
// Most classes see a handful of names, so they live in a vector searched linearly; an
// index is built only once there are more.
class DigestAggregator::ValueCounter {
 public:
  void add(std::string_view name) {
    if (Entry* e = find(name)) {
      ++e->count;
    } else {
      add_new(name, stable_hash(name), 1);
    }
  }

  void merge(ValueCounter&& other) {
    for (Entry& entry : other.entries_) {
      if (Entry* e = find(entry.name)) {
        e->count += entry.count;
      } else {
        add_new(entry.name, entry.rank, entry.count);
      }
    }
    other_ += other.other_;
  }

  std::map<std::string, uint64_t, std::less<>> to_map() const {
    std::map<std::string, uint64_t, std::less<>> out;
    for (const Entry& e : entries_) out.emplace(e.name, e.count);
    if (other_ != 0) out[std::string(kOtherValue)] += other_;
    return out;
  }

 private:
  static constexpr size_t kLinearLimit = 16;

  struct Entry {
    std::string name;
    uint64_t rank;
    uint64_t count;
  };

  static bool ranks_before(uint64_t rank, std::string_view name, const Entry& e) {
    return rank != e.rank ? rank < e.rank : name < std::string_view(e.name);
  }

  Entry* find(std::string_view name) {
    if (index_.empty()) {
      for (Entry& e : entries_) {
        if (same_text(e.name, name)) return &e;
      }
      return nullptr;
    }
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &entries_[it->second];
  }

  void add_new(std::string_view name, uint64_t rank, uint64_t count) {
    if (entries_.size() == kMaxDistinctValues) {
      const Entry& largest = entries_[largest_];
      if (!ranks_before(rank, name, largest)) {
        other_ += count;
        return;
      }
      // Replace the largest kept name in place; the bottom-k threshold only drops.
      other_ += largest.count;
      index_.erase(largest.name);
      entries_[largest_] = Entry{std::string(name), rank, count};
      index_.emplace(std::string(name), static_cast<uint32_t>(largest_));
      find_largest();
      return;
    }
    entries_.push_back(Entry{std::string(name), rank, count});
    if (!index_.empty()) {
      index_.emplace(std::string(name), static_cast<uint32_t>(entries_.size() - 1));
    } else if (entries_.size() > kLinearLimit) {
      for (size_t i = 0; i < entries_.size(); ++i) {
        index_.emplace(entries_[i].name, static_cast<uint32_t>(i));
      }
    }
    if (entries_.size() == kMaxDistinctValues) find_largest();
  }

  void find_largest() {
    largest_ = 0;
    for (size_t i = 1; i < entries_.size(); ++i) {
      if (ranks_before(entries_[largest_].rank, entries_[largest_].name, entries_[i])) {
        largest_ = i;
      }
    }
  }

  std::vector<Entry> entries_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> index_;
  uint64_t other_ = 0;
  size_t largest_ = 0;  // entry with the largest (rank, name), once the vector is full
};

struct DigestAggregator::ClassState {
  explicit ClassState(std::string_view fp) : fingerprint(fp) {}

  std::string fingerprint;
  uint64_t calls = 0;
  Int128 estimated_micros = 0;
  bool sampled = false;
  std::optional<int64_t> first_seen_us;
  std::optional<int64_t> last_seen_us;
  // Indexed by attribute id; entries for attributes this class never logged stay empty.
  std::vector<MetricSummary> metrics;
  std::vector<FlagCount> flags;
  ValueCounter databases;
  ValueCounter users;
  ValueCounter hosts;
  QueryExample example;
};

DigestAggregator::DigestAggregator(FingerprintOptions fingerprint_options)
    : fingerprinter_(fingerprint_options) {}
DigestAggregator::DigestAggregator(DigestAggregator&&) noexcept = default;
DigestAggregator& DigestAggregator::operator=(DigestAggregator&&) noexcept = default;
DigestAggregator::~DigestAggregator() = default;

size_t DigestAggregator::class_count() const {
  return classes_.size();
}

// How pt-query-digest treats attributes whose logged form misleads: identifiers that look
// like numbers (its default --ignore-attributes and its string-typed attributes, plus the
// connection Id that MySQL 5.6+ writes on the User@Host line) are not measures, and
// Killed is a flag even though it is logged as a number.
constexpr std::string_view kIgnoredAttributes[] = {
    "arg",       "cmd",        "insert_id",     "ip",         "port",       "Thread_id",
    "timestamp", "exptime",    "flags",         "key",        "res",        "val",
    "server_id", "offset",     "end_log_pos",   "Xid",        "Id",         "Statement_id",
    "Error_no",  "Last_errno", "InnoDB_trx_id", "rate_limit", "Status_code"};
constexpr std::string_view kNumericFlagAttributes[] = {"Killed"};
// pt-query-digest's --zero-admin (on by default): administrator commands such as Quit
// report the row counts of the statement before them, so they count as zero.
constexpr std::string_view kZeroedForAdminAttributes[] = {"Rows_sent", "Rows_examined", "Rows_read",
                                                          "Rows_affected"};

template <size_t N>
bool listed(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

uint32_t DigestAggregator::attribute_id(std::string_view name) {
  const auto it = attribute_ids_.find(name);
  if (it != attribute_ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(attribute_names_.size());
  attribute_names_.emplace_back(name);
  attribute_kinds_.push_back(listed(kIgnoredAttributes, name)          ? AttributeKind::kIgnored
                             : listed(kNumericFlagAttributes, name)    ? AttributeKind::kNumericFlag
                             : listed(kZeroedForAdminAttributes, name) ? AttributeKind::kRowCount
                                                                       : AttributeKind::kAsLogged);
  attribute_ids_.emplace(std::string(name), id);
  return id;
}

void DigestAggregator::resolve_attribute_ids(const QueryEvent& event) {
  const std::span<const Attribute> attributes = event.attributes;
  if (layout_.size() != attributes.size()) layout_.resize(attributes.size(), kNoAttribute);
  for (size_t i = 0; i < attributes.size(); ++i) {
    const uint32_t cached = layout_[i];
    if (cached == kNoAttribute || !same_text(attribute_names_[cached], attributes[i].name)) {
      layout_[i] = attribute_id(attributes[i].name);
    }
  }
}

void DigestAggregator::add(const QueryEvent& event, size_t input) {
  const std::string_view fingerprint = fingerprinter_.fingerprint(event.query);
  uint32_t class_id;
  if (const auto it = class_ids_.find(fingerprint); it != class_ids_.end()) {
    class_id = it->second;
  } else {
    class_id = static_cast<uint32_t>(classes_.size());
    classes_.emplace_back(fingerprint);
    class_ids_.emplace(std::string(fingerprint), class_id);
  }
  ClassState& c = classes_[class_id];
  ++events_;
  ++c.calls;
  c.estimated_micros += rate_micros(event.sample_rate);
  if (event.sample_rate != 1) c.sampled = true;
  min_into(c.first_seen_us, event.ts_us);
  max_into(c.last_seen_us, event.ts_us);

  resolve_attribute_ids(event);
  if (c.metrics.size() < attribute_names_.size()) {
    c.metrics.resize(attribute_names_.size());
    c.flags.resize(attribute_names_.size());
  }
  for (size_t i = 0; i < event.attributes.size(); ++i) {
    const uint32_t id = layout_[i];
    const AttributeKind kind = attribute_kinds_[id];
    if (kind == AttributeKind::kIgnored) continue;
    const AttributeValue& value = event.attributes[i].value;
    const double* number = std::get_if<double>(&value);
    const bool* flag = std::get_if<bool>(&value);
    if (number && kind == AttributeKind::kAsLogged) {
      saturated_values_ += c.metrics[id].add(*number) ? 1 : 0;
    } else if (number && kind == AttributeKind::kRowCount) {
      saturated_values_ += c.metrics[id].add(event.admin_command ? 0 : *number) ? 1 : 0;
    } else if (flag || number) {
      FlagCount& f = c.flags[id];
      ++f.count;
      f.true_count += (flag ? *flag : *number != 0) ? 1 : 0;
    }
  }

  if (!event.db.empty()) c.databases.add(event.db);
  if (!event.user.empty()) c.users.add(event.user);
  if (!event.host.empty()) c.hosts.add(event.host);

  // Strictly slower only: among equals the earliest event wins, as merge() assumes.
  if (c.calls == 1 || example_key(event.query_time) > example_key(c.example.query_time)) {
    QueryExample& ex = c.example;
    ex.query.assign(event.query);
    ex.query_time = event.query_time;
    ex.admin_command = event.admin_command;
    ex.ts_us = event.ts_us;
    ex.db.assign(event.db);
    ex.input = input;
    ex.line = event.line;
    ex.offset = event.offset;
  }
}

void DigestAggregator::shift_lines(uint64_t delta) {
  for (ClassState& c : classes_) c.example.line += delta;
}

void DigestAggregator::merge(DigestAggregator&& later) {
  if (&later == this) return;
  std::vector<uint32_t> remap(later.attribute_names_.size());
  for (size_t i = 0; i < remap.size(); ++i) remap[i] = attribute_id(later.attribute_names_[i]);
  const size_t attribute_count = attribute_names_.size();

  for (ClassState& lc : later.classes_) {
    // Re-key the later class's per-attribute vectors by this aggregator's ids.
    std::vector<MetricSummary> metrics(attribute_count);
    std::vector<FlagCount> flags(attribute_count);
    for (size_t i = 0; i < lc.metrics.size(); ++i) {
      metrics[remap[i]] = std::move(lc.metrics[i]);
      flags[remap[i]] = lc.flags[i];
    }

    const auto it = class_ids_.find(lc.fingerprint);
    if (it == class_ids_.end()) {
      // New here, so its first appearance is in `later`: appending keeps classes_ in
      // first-appearance order.
      lc.metrics = std::move(metrics);
      lc.flags = std::move(flags);
      class_ids_.emplace(lc.fingerprint, static_cast<uint32_t>(classes_.size()));
      classes_.push_back(std::move(lc));
      continue;
    }
    ClassState& c = classes_[it->second];
    c.calls += lc.calls;
    c.estimated_micros += lc.estimated_micros;
    c.sampled = c.sampled || lc.sampled;
    min_into(c.first_seen_us, lc.first_seen_us);
    max_into(c.last_seen_us, lc.last_seen_us);
    if (c.metrics.size() < attribute_count) {
      c.metrics.resize(attribute_count);
      c.flags.resize(attribute_count);
    }
    for (size_t id = 0; id < attribute_count; ++id) {
      if (!metrics[id].empty()) c.metrics[id].merge(metrics[id]);
      c.flags[id].count += flags[id].count;
      c.flags[id].true_count += flags[id].true_count;
    }
    c.databases.merge(std::move(lc.databases));
    c.users.merge(std::move(lc.users));
    c.hosts.merge(std::move(lc.hosts));
    // Strictly slower only: on a tie this side's example came first in the input.
    if (example_key(lc.example.query_time) > example_key(c.example.query_time)) {
      c.example = std::move(lc.example);
    }
  }
  events_ += later.events_;
  saturated_values_ += later.saturated_values_;

  later.events_ = 0;
  later.saturated_values_ = 0;
  later.classes_.clear();
  later.class_ids_.clear();
}

DigestSummary DigestAggregator::summary() const {
  DigestSummary s;
  s.classes = classes_.size();
  s.saturated_values = saturated_values_;
  Int128 estimated_micros = 0;
  std::vector<MetricSummary> metrics(attribute_names_.size());
  std::vector<FlagCount> flags(attribute_names_.size());
  for (const ClassState& c : classes_) {
    s.events += c.calls;
    estimated_micros += c.estimated_micros;
    s.sampled = s.sampled || c.sampled;
    min_into(s.first_seen_us, c.first_seen_us);
    max_into(s.last_seen_us, c.last_seen_us);
    for (size_t id = 0; id < c.metrics.size(); ++id) {
      if (!c.metrics[id].empty()) metrics[id].merge(c.metrics[id]);
      flags[id].count += c.flags[id].count;
      flags[id].true_count += c.flags[id].true_count;
    }
  }
  s.estimated_events = static_cast<double>(estimated_micros) / kMicrosPerUnit;
  for (size_t id = 0; id < attribute_names_.size(); ++id) {
    if (!metrics[id].empty()) s.metrics.emplace(attribute_names_[id], std::move(metrics[id]));
    if (flags[id].count != 0) s.flags.emplace(attribute_names_[id], flags[id]);
  }
  return s;
}

std::vector<QueryClass> DigestAggregator::take_classes() {
  std::vector<QueryClass> out;
  out.reserve(classes_.size());
  for (ClassState& c : classes_) {
    QueryClass q;
    q.fingerprint = std::move(c.fingerprint);
    q.query_id = query_id(q.fingerprint);
    q.legacy_query_id = legacy_query_id(q.fingerprint);
    q.calls = c.calls;
    q.estimated_calls = static_cast<double>(c.estimated_micros) / kMicrosPerUnit;
    q.sampled = c.sampled;
    q.first_seen_us = c.first_seen_us;
    q.last_seen_us = c.last_seen_us;
    for (size_t id = 0; id < c.metrics.size(); ++id) {
      if (!c.metrics[id].empty()) q.metrics.emplace(attribute_names_[id], std::move(c.metrics[id]));
      if (c.flags[id].count != 0) q.flags.emplace(attribute_names_[id], c.flags[id]);
    }
    q.databases = c.databases.to_map();
    q.users = c.users.to_map();
    q.hosts = c.hosts.to_map();
    q.example = std::move(c.example);
    q.tables = extract_tables(q.example.query);
    out.push_back(std::move(q));
  }
  events_ = 0;
  saturated_values_ = 0;
  classes_.clear();
  class_ids_.clear();
  return out;
}

}  // namespace slowscope
