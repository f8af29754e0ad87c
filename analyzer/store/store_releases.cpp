// Release markers in the store (sql/store/release_*.sql, schema in */002_releases.sql). A
// release that applies to every target is one row with target ''; one for some targets is
// one row per target, all with the same name, time and metadata.
#include <nlohmann/json.hpp>

#include "analyzer/store/store_impl.h"

namespace slowscope {
namespace {
// Folds rows (name, target, at, meta), ordered so that a release's rows are adjacent, into
// releases.
class ReleaseRows {
 public:
  void add(const SqlStatement& row) {
    const std::string name = row.get_text(0);
    const std::string target = row.get_text(1);
    if (releases_.empty() || releases_.back().name != name) {
      Release r;
      r.name = name;
      r.at = store_time(row.get_int(2));
      const nlohmann::json meta =
          nlohmann::json::parse(row.get_text(3), nullptr, /*allow_exceptions=*/false);
      if (meta.is_object()) {
        for (const auto& [key, value] : meta.items()) {
          if (value.is_string()) r.meta[key] = value.get<std::string>();
        }
      }
      releases_.push_back(std::move(r));
    }
    if (!target.empty()) releases_.back().targets.push_back(target);
  }
  std::vector<Release> take() { return std::move(releases_); }

 private:
  std::vector<Release> releases_;
};

}  // namespace

void Store::add_release(const Release& release) {
  Impl& s = *impl_;
  const std::string operation = "recording release '" + release.name + "'";
  if (release.name.empty()) s.fail(operation, "a release needs a name");
  s.in_transaction(operation, [&] {
    auto& get = s.sql("release_get");
    get.bind_text(1, release.name);
    const bool exists = get.step();
    get.reset();
    if (exists) {
      throw StoreError("store " + s.db->describe() + ": release '" + release.name +
                       "' is recorded already (see `slowscope release list`)");
    }
    nlohmann::json meta = nlohmann::json::object();
    for (const auto& [key, value] : release.meta) meta[key] = value;
    const std::string meta_text = meta.dump();
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    std::vector<std::string> targets = release.targets;
    if (targets.empty()) targets.push_back("");
    for (const std::string& target : targets) {
      auto& insert = s.sql("release_insert");
      insert.bind_text(1, release.name);
      insert.bind_text(2, target);
      insert.bind_int(3, release.at.time_since_epoch().count());
      insert.bind_text(4, meta_text);
      insert.bind_int(5, now);
      insert.run();
    }
  });
}

std::vector<Release> Store::releases(const ReleaseQuery& query) {
  Impl& s = *impl_;
  ReleaseRows rows;
  try {
    auto& list = s.sql("releases_list");
    list.bind_int(1, query.since.time_since_epoch().count());
    list.bind_int(2, query.until.time_since_epoch().count());
    list.bind_text(3, query.target.value_or(""));
    list.bind_int(4, query.target ? 0 : 1);
    while (list.step()) rows.add(list);
    list.reset();
  } catch (const SqlError& e) {
    s.fail("listing releases", e.what());
  }
  return rows.take();
}

std::optional<Release> Store::release(std::string_view name) {
  Impl& s = *impl_;
  ReleaseRows rows;
  try {
    auto& get = s.sql("release_get");
    get.bind_text(1, name);
    while (get.step()) rows.add(get);
    get.reset();
  } catch (const SqlError& e) {
    s.fail("reading release '" + std::string(name) + "'", e.what());
  }
  std::vector<Release> found = rows.take();
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

}  // namespace slowscope
