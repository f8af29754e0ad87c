// Quantile sketches in the rollups: each hour holds the merge of its raw samples' sketches
// and each day the merge of its hours' (a late sample's goes into its day directly), so a
// slow-log baseline of a week has its quantiles after the raw samples are pruned. Sums add
// up in SQL; sketches are merged here, one hour row per sample that carries a sketch (log
// sources write a few hundred a cycle) and one day row per statement in the daily rollup.
#include <map>
#include <utility>

#include "analyzer/aggregate/quantile_sketch.h"
#include "analyzer/store/store_impl.h"

namespace slowscope {

std::string merged_sketch(const std::string& stored, const std::string& added) {
  if (stored.empty()) return added;
  if (added.empty()) return stored;
  QuantileSketch sum = QuantileSketch::deserialize(stored);
  sum.merge(QuantileSketch::deserialize(added));
  return sum.serialize();
}

void add_sketch_to_rollup(Store::Impl& s, int64_t target, const RollupTier& tier,
                          const SampleRow& row) {
  const Sample& sample = *row.sample;
  if (sample.sketch.empty()) return;
  const int64_t bucket = bucket_of(sample, tier);
  auto& get = s.sql(tier.sketch_get);
  get.bind_int(1, target);
  get.bind_int(2, bucket);
  get.bind_int(3, row.statement_id);
  const std::string stored = get.step() && !get.is_null(0) ? get.get_blob(0) : std::string();
  get.reset();
  auto& set = s.sql(tier.sketch_set);
  set.bind_int(1, target);
  set.bind_int(2, bucket);
  set.bind_int(3, row.statement_id);
  set.bind_blob(4, merged_sketch(stored, sample.sketch));
  set.run();
}

void roll_sketches_into_days(Store::Impl& s, int64_t target, int64_t from, int64_t to) {
  // Read all before writing: a statement's rows must not change under an open cursor.
  std::map<std::pair<int64_t, int64_t>, QuantileSketch> days;  // (day, statement)
  auto& sources = s.sql("daily_sketch_sources");
  sources.bind_int(1, target);
  sources.bind_int(2, from);
  sources.bind_int(3, to);
  while (sources.step()) {
    days[{sources.get_int(0), sources.get_int(1)}].merge(
        QuantileSketch::deserialize(sources.get_blob(2)));
  }
  sources.reset();
  for (const auto& [key, sketch] : days) {
    auto& set = s.sql("daily_sketch_set");
    set.bind_int(1, target);
    set.bind_int(2, key.first);
    set.bind_int(3, key.second);
    set.bind_blob(4, sketch.serialize());
    set.run();
  }
}

}  // namespace slowscope
