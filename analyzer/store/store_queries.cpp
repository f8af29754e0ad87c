// The read side of Store: top shapes, timelines, shapes, statements and events.
#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "analyzer/error/errors.h"
#include "analyzer/store/measure_columns.h"
#include "analyzer/store/store.h"
#include "analyzer/store/store_impl.h"
#include "analyzer/store/tiers.h"

namespace slowscope {

std::string_view to_string(TopOrder order) {
  switch (order) {
    case TopOrder::kTotal:
      return "total";
    case TopOrder::kMean:
      return "mean";
    case TopOrder::kCalls:
      return "calls";
    case TopOrder::kRows:
      return "rows";
    case TopOrder::kIo:
      return "io";
    case TopOrder::kRowsExamined:
      return "rows_examined";
  }
  return "total";
}

namespace {

// The key `top` ranks shapes by, highest first.
double order_key(const Measures& m, TopOrder order) {
  switch (order) {
    case TopOrder::kTotal:
      return m.total_time;
    case TopOrder::kMean:
      return m.mean_time();
    case TopOrder::kCalls:
      return static_cast<double>(m.calls);
    case TopOrder::kRows:
      return static_cast<double>(m.row_count);
    case TopOrder::kIo:
      return static_cast<double>(m.io_blocks());
    case TopOrder::kRowsExamined:
      return static_cast<double>(m.rows_examined);
  }
  return m.total_time;
}

TierPlan plan_for(StoreTime since, StoreTime until, const TargetInfo& target) {
  return plan_tiers(epoch_seconds(since), epoch_seconds(until), epoch_seconds(target.daily_through),
                    until >= target.samples_through);
}

// Binds the plan's five ranges to parameters $first .. $first+9.
void bind_plan(SqlStatement& stmt, int first, const TierPlan& plan) {
  const TimeRange ranges[] = {plan.daily, plan.hourly[0], plan.hourly[1], plan.raw[0], plan.raw[1]};
  int i = first;
  for (const TimeRange& r : ranges) {
    stmt.bind_int(i++, r.begin);
    stmt.bind_int(i++, r.end);
  }
}

// The tiers a BucketQuery reads: raw samples alone when asked, else whole days from the
// daily rollup where it is complete (a week of a busy target is 7 buckets a shape instead
// of 168, which keeps a baseline read cheap), whole hours, raw samples at the edges.
TierPlan plan_of(const BucketQuery& query, const TargetInfo& target) {
  if (!query.raw_only) {
    return plan_tiers(epoch_seconds(query.since), epoch_seconds(query.until), epoch_seconds(target.daily_through),
                      false);
  }
  TierPlan plan;
  plan.raw[0] = {epoch_seconds(query.since), epoch_seconds(query.until)};
  return plan;
}

// Streams the rows tiered_rows.sql reads for `target_id` over `plan` to
// on_row(shape_id, bucket_start, bucket_seconds, measures). Throws SqlError.
template <typename OnRow>
void for_each_tiered_row(Store::Impl& s, int64_t target_id, const TierPlan& plan, OnRow&& on_row) {
  auto& rows = s.sql("tiered_rows");
  rows.bind_int(1, target_id);
  bind_plan(rows, 2, plan);
  while (rows.step()) {
    on_row(rows.get_int(0), rows.get_int(1), rows.get_int(2), read_measures(rows, 3));
  }
  rows.reset();
}

// Streams the rows raw_bucket_counts.sql reads for `target_id` over the query's range to
// on_row as for_each_tiered_row does, with only the counts' measures set. Throws SqlError.
template <typename OnRow>
void for_each_raw_count_row(Store::Impl& s, int64_t target_id, const BucketQuery& query,
                            OnRow&& on_row) {
  auto& rows = s.sql("raw_bucket_counts");
  rows.bind_int(1, target_id);
  rows.bind_int(2, epoch_seconds(query.since));
  rows.bind_int(3, epoch_seconds(query.until));
  while (rows.step()) {
    Measures m;
    m.calls = rows.get_int(3);
    m.total_time = rows.get_double(4);
    m.rows_examined = rows.get_int(5);
    m.shared_blks_hit = rows.get_int(6);
    m.shared_blks_read = rows.get_int(7);
    on_row(rows.get_int(0), rows.get_int(1), rows.get_int(2), m);
  }
  rows.reset();
}

// Per-shape sums as ShapeTotals of `target`, by shape id; names are filled in later.
std::vector<ShapeTotals> totals_of(const std::string& target,
                                   const std::unordered_map<int64_t, Measures>& sums) {
  std::vector<ShapeTotals> rows;
  rows.reserve(sums.size());
  for (const auto& [shape_id, measures] : sums)
    rows.push_back({target, shape_id, "", "", measures});
  std::sort(rows.begin(), rows.end(),
            [](const ShapeTotals& a, const ShapeTotals& b) { return a.shape_id < b.shape_id; });
  return rows;
}

}  // namespace

void Store::Impl::name_shapes(std::vector<ShapeTotals>& rows) {
  // Inside a transaction the row may be this transaction's own, gone if it rolls back.
  const bool committed = !db->in_transaction();
  for (ShapeTotals& row : rows) {
    if (const auto it = shape_names.find(row.shape_id); it != shape_names.end()) {
      row.shape_hash = it->second.hash;
      row.fingerprint = it->second.fingerprint;
      continue;
    }
    auto& get = sql("shape_get");
    get.bind_int(1, row.shape_id);
    if (get.step()) {
      row.shape_hash = get.get_text(1);
      row.fingerprint = get.get_text(2);
      if (committed) {
        if (shape_names.size() >= kMaxNamedShapes) shape_names.clear();
        shape_names.emplace(row.shape_id, ShapeName{row.shape_hash, row.fingerprint});
      }
    }
    get.reset();
  }
}

std::vector<ShapeTotals> Store::top(const TopQuery& query) {
  Impl& s = *impl_;
  std::vector<ShapeTotals> rows;
  if (query.limit <= 0) return rows;
  std::vector<TargetInfo> all = targets();
  if (query.target) {
    std::erase_if(all, [&](const TargetInfo& t) { return t.name != *query.target; });
    if (all.empty()) s.fail("top", "unknown target '" + *query.target + "'");
  }
  try {
    // Per target, because each has its own rollup watermarks (a shape's totals belong to
    // one target).
    for (const TargetInfo& target : all) {
      std::unordered_map<int64_t, Measures> sums;
      for_each_tiered_row(
          s, target.id, plan_for(query.since, query.until, target),
          [&](int64_t shape_id, int64_t, int64_t, const Measures& m) { sums[shape_id] += m; });
      for (ShapeTotals& row : totals_of(target.name, sums)) rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end(), [&](const ShapeTotals& a, const ShapeTotals& b) {
      const double ka = order_key(a.measures, query.order);
      const double kb = order_key(b.measures, query.order);
      if (ka != kb) return ka > kb;
      if (a.target != b.target) return a.target < b.target;
      return a.shape_id < b.shape_id;
    });
    if (rows.size() > static_cast<size_t>(query.limit)) rows.resize(query.limit);
    s.name_shapes(rows);
  } catch (const SqlError& e) {
    s.fail("top", e.what());
  }
  return rows;
}

namespace {

// The registered target called `name`; StoreError naming `operation` when there is none.
TargetInfo known_target(Store& store, const Store::Impl& s, const std::string& name,
                        std::string_view operation) {
  for (TargetInfo& t : store.targets()) {
    if (t.name == name) return std::move(t);
  }
  s.fail(operation, "unknown target '" + name + "'");
}

}  // namespace

std::vector<TimelinePoint> Store::timeline(const TimelineQuery& query) {
  Impl& s = *impl_;
  std::vector<TimelinePoint> points;
  const std::optional<TargetInfo> target = known_target(*this, s, query.target, "timeline");
  try {
    TierPlan plan = plan_for(query.since, query.until, *target);
    if (query.raw_where_kept) {
      auto& oldest = s.sql("raw_samples_from");
      oldest.bind_int(1, target->id);
      if (oldest.step() && !oldest.is_null(0)) {
        int64_t raw_from = oldest.get_int(0);
        // Rollup hours before the first raw sample's hour: samples were pruned, maybe part
        // way into that hour, which only the hourly rollup then has whole.
        if (!oldest.is_null(1) && oldest.get_int(1) < floor_to(raw_from, kSecondsPerHour)) {
          raw_from = ceil_to(raw_from, kSecondsPerHour);
        }
        plan = plan_tiers_raw_from(epoch_seconds(query.since), epoch_seconds(query.until),
                                   epoch_seconds(target->daily_through), raw_from);
      }
      oldest.reset();
    }
    auto& timeline = s.sql("timeline");
    timeline.bind_int(1, target->id);
    timeline.bind_int(2, query.shape_id);
    bind_plan(timeline, 3, plan);
    while (timeline.step()) {
      TimelinePoint point;
      point.bucket_start = store_time(timeline.get_int(0));
      point.bucket = std::chrono::seconds(timeline.get_int(1));
      point.measures = read_measures(timeline, 2);
      points.push_back(std::move(point));
    }
    timeline.reset();
  } catch (const SqlError& e) {
    s.fail("timeline", e.what());
  }
  return points;
}

ShapeBuckets Store::shape_buckets(const BucketQuery& query) {
  Impl& s = *impl_;
  ShapeBuckets out;
  const TargetInfo target = known_target(*this, s, query.target, "shape_buckets");
  try {
    std::unordered_map<int64_t, Measures> sums;
    const auto on_row = [&](int64_t shape_id, int64_t start, int64_t length, const Measures& m) {
      sums[shape_id] += m;
      out.buckets.push_back({shape_id, store_time(start), std::chrono::seconds(length), m.calls,
                             m.rows_examined, m.shared_blks_hit + m.shared_blks_read,
                             m.total_time});
    };
    if (query.counts_only) {
      for_each_raw_count_row(s, target.id, query, on_row);
    } else {
      for_each_tiered_row(s, target.id, plan_of(query, target), on_row);
    }
    // A bucket holds one row per statement of the shape (and per server): summed in place.
    std::sort(out.buckets.begin(), out.buckets.end(), [](const auto& a, const auto& b) {
      return std::tie(a.shape_id, a.bucket_start) < std::tie(b.shape_id, b.bucket_start);
    });
    size_t kept = 0;
    for (size_t i = 0; i < out.buckets.size(); ++i) {
      const ShapeBucketCounts b = out.buckets[i];
      if (kept == 0 || out.buckets[kept - 1].shape_id != b.shape_id ||
          out.buckets[kept - 1].bucket_start != b.bucket_start) {
        out.buckets[kept++] = b;
      } else {
        ShapeBucketCounts& last = out.buckets[kept - 1];
        last.bucket = std::max(last.bucket, b.bucket);
        last.calls += b.calls;
        last.rows_examined += b.rows_examined;
        last.shared_blocks += b.shared_blocks;
        last.total_time += b.total_time;
      }
    }
    out.buckets.resize(kept);
    out.totals = totals_of(target.name, sums);
    s.name_shapes(out.totals);
  } catch (const SqlError& e) {
    s.fail("shape_buckets", e.what());
  }
  return out;
}

std::map<int64_t, QuantileSketch> Store::merged_sketches(const BucketQuery& query) {
  Impl& s = *impl_;
  std::map<int64_t, QuantileSketch> sketches;
  const TargetInfo target = known_target(*this, s, query.target, "merged_sketches");
  // Only slow-log sources write sketches; not scanning a PostgreSQL target's raw samples
  // for none spares a week of them on every baseline read.
  if (target.engine == Engine::kPostgres) return sketches;
  try {
    auto& list = s.sql("shape_sketches");
    list.bind_int(1, target.id);
    bind_plan(list, 2, plan_of(query, target));
    while (list.step()) {
      sketches[list.get_int(0)].merge(QuantileSketch::deserialize(list.get_blob(1)));
    }
    list.reset();
  } catch (const std::exception& e) {
    s.fail("merged_sketches", e.what());
  }
  return sketches;
}

std::optional<StoreTime> Store::raw_bucket_holding(const std::string& target_name, StoreTime at) {
  Impl& s = *impl_;
  const TargetInfo target = known_target(*this, s, target_name, "raw_bucket_holding");
  try {
    auto& before = s.sql("raw_bucket_before");
    before.bind_int(1, target.id);
    before.bind_int(2, epoch_seconds(at));
    std::optional<StoreTime> holding;
    if (before.step() && before.get_int(0) + before.get_int(1) > epoch_seconds(at)) {
      holding = StoreTime(std::chrono::seconds(before.get_int(0)));
    }
    before.reset();
    return holding;
  } catch (const SqlError& e) {
    s.fail("raw_bucket_holding", e.what());
  }
}

std::optional<ShapeRecord> Store::Impl::read_shape(SqlStatement& get) {
  Impl& s = *this;
  if (!get.step()) return std::nullopt;
  ShapeRecord record;
  record.id = get.get_int(0);
  record.info.hash = get.get_text(1);
  record.info.fingerprint = get.get_text(2);
  record.first_seen = store_time(get.get_int(3));
  get.reset();
  auto& tables = s.sql("shape_tables_get");
  tables.bind_int(1, record.id);
  while (tables.step()) record.info.tables.push_back(tables.get_text(0));
  tables.reset();
  return record;
}

std::optional<ShapeRecord> Store::shape(int64_t shape_id) {
  Impl& s = *impl_;
  try {
    auto& get = s.sql("shape_get");
    get.bind_int(1, shape_id);
    return s.read_shape(get);
  } catch (const SqlError& e) {
    s.fail("reading shape " + std::to_string(shape_id), e.what());
  }
}

std::optional<ShapeRecord> Store::shape_by_hash(std::string_view hash) {
  Impl& s = *impl_;
  try {
    auto& get = s.sql("shape_by_hash");
    get.bind_text(1, hash);
    return s.read_shape(get);
  } catch (const SqlError& e) {
    s.fail("reading shape " + std::string(hash), e.what());
  }
}

std::vector<ShapeRecord> Store::shapes_matching(const ShapeHashMatch& match) {
  Impl& s = *impl_;
  if (match.prefix.empty()) throw InvalidInput("a shape hash prefix cannot be empty");
  std::vector<ShapeRecord> result;
  try {
    auto& find = s.sql("shapes_matching");
    find.bind_text(1, match.prefix);
    find.bind_int(2, static_cast<int64_t>(match.prefix.size()));
    find.bind_text(3, match.suffix);
    find.bind_int(4, static_cast<int64_t>(match.suffix.size()));
    find.bind_int(5, match.limit);
    while (find.step()) {
      ShapeRecord record;
      record.id = find.get_int(0);
      record.info.hash = find.get_text(1);
      record.info.fingerprint = find.get_text(2);
      record.first_seen = store_time(find.get_int(3));
      result.push_back(std::move(record));
    }
    find.reset();
    for (ShapeRecord& record : result) {
      auto& tables = s.sql("shape_tables_get");
      tables.bind_int(1, record.id);
      while (tables.step()) record.info.tables.push_back(tables.get_text(0));
      tables.reset();
    }
  } catch (const SqlError& e) {
    s.fail("looking up shapes by query id " + match.prefix, e.what());
  }
  return result;
}

std::vector<StatementRecord> Store::statements_of_shape(std::string_view target, int64_t shape_id) {
  Impl& s = *impl_;
  std::vector<StatementRecord> result;
  try {
    auto& list = s.sql("statements_of_shape");
    list.bind_int(1, s.target_id(target));
    list.bind_int(2, shape_id);
    while (list.step()) {
      StatementRecord r;
      r.id = list.get_int(0);
      r.server = ServerIdentity{list.get_text(1), list.get_text(2)};
      r.key =
          StatementKey{list.get_text(3), list.get_text(4), list.get_text(5), list.get_int(6) != 0};
      r.query_text = list.get_text(7);
      r.first_seen = store_time(list.get_int(8));
      result.push_back(std::move(r));
    }
    list.reset();
  } catch (const SqlError& e) {
    s.fail("reading statements of shape " + std::to_string(shape_id), e.what());
  }
  return result;
}

std::vector<CollectorEvent> Store::events(std::string_view target, StoreTime since,
                                          StoreTime until) {
  Impl& s = *impl_;
  std::vector<CollectorEvent> result;
  try {
    auto& list = s.sql("events_list");
    list.bind_int(1, s.target_id(target));
    list.bind_int(2, epoch_seconds(since));
    list.bind_int(3, epoch_seconds(until));
    while (list.step()) {
      result.push_back(CollectorEvent{store_time(list.get_int(0)), list.get_text(1), list.get_text(2)});
    }
    list.reset();
  } catch (const SqlError& e) {
    s.fail("reading events of target '" + std::string(target) + "'", e.what());
  }
  return result;
}

}  // namespace slowscope
