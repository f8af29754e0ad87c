// SampleConflict::kAdd: log sources add what a cycle read to samples stored by earlier
// cycles. Sums add up in SQL easily, but the sketches must be merged here, so each stored
// sample is read, summed with the new one and written back; the hour (and a day already
// rolled up) gets only the increment (sums and sketch). A cycle of a log source touches few (bucket, statement) pairs that
// already exist (those of the interval in progress), so one statement per row is cheap enough.
#include <set>
#include <utility>

#include "analyzer/store/measure_columns.h"
#include "analyzer/store/store_impl.h"
#include "analyzer/store/tiers.h"

namespace slowscope {
void add_to_stored_samples(Store::Impl& s, int64_t target, int64_t daily_through,
                           std::vector<SampleRow>& rows) {
  std::set<std::pair<int64_t, int64_t>> keys;
  std::vector<SampleRow> fresh;
  fresh.reserve(rows.size());
  for (const SampleRow& row : rows) {
    const Sample& sample = *row.sample;
    const int64_t bucket = sample.bucket_start.time_since_epoch().count();
    if (!keys.emplace(bucket, row.statement_id).second) {
      throw StoreError("a cycle that adds to samples holds two samples of statement " +
                       sample.key.query_id + " for one bucket; sum them first");
    }
    auto& get = s.sql("sample_get");
    get.bind_int(1, target);
    get.bind_int(2, bucket);
    get.bind_int(3, row.statement_id);
    if (!get.step()) {
      get.reset();
      fresh.push_back(row);
      continue;
    }
    const uint32_t stored_flags = static_cast<uint32_t>(get.get_int(0));
    Measures sum = read_measures(get, 1);
    const std::string stored_sketch = get.is_null(23) ? std::string() : get.get_blob(23);
    get.reset();

    sum += sample.measures;
    const std::string sketch = merged_sketch(stored_sketch, sample.sketch);
    auto& replace = s.sql("sample_replace");
    replace.bind_int(1, target);
    replace.bind_int(2, bucket);
    replace.bind_int(3, row.statement_id);
    replace.bind_int(4, stored_flags | sample.flags);
    bind_measures(replace, 5, sum);
    if (sketch.empty()) {
      replace.bind_null(27);
    } else {
      replace.bind_blob(27, sketch);
    }
    replace.run();

    // The raw sample was counted in its hour (and its day) when it was first stored.
    for (const RollupTier* tier : {&kHourlyTier, &kDailyTier}) {
      if (tier == &kDailyTier && bucket_of(sample, kDailyTier) >= daily_through) continue;
      auto& add = s.batch(tier->add, 1);
      bind_rollup_add(add, 1, target, *tier, row, 0);
      add.run();
      add_sketch_to_rollup(s, target, *tier, row);
    }
  }
  rows = std::move(fresh);
}

}  // namespace slowscope
