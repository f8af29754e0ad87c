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

std::optional<std::string> release_name_problem(std::string_view name) {
  if (name.empty()) return "a release needs a name";
  size_t characters = 0;
  for (size_t i = 0; i < name.size(); ++i) {
    const auto byte = static_cast<unsigned char>(name[i]);
    // C0 controls and DEL, and the C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F).
    const bool c1 = byte == 0xC2 && i + 1 < name.size() &&
                    static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(name[i + 1]) <= 0x9F;
    if (byte < 0x20 || byte == 0x7F || c1) {
      return "a release name cannot hold control characters (they would reach terminals and "
             "CI logs)";
    }
    if ((byte & 0xC0) != 0x80) ++characters;  // not a UTF-8 continuation byte
  }
  if (characters > kMaxReleaseNameCharacters) {
    return "a release name has at most " + std::to_string(kMaxReleaseNameCharacters) +
           " characters, not " + std::to_string(characters);
  }
  return std::nullopt;
}

void Store::add_release(const Release& release) {
  Impl& s = *impl_;
  if (const auto problem = release_name_problem(release.name)) {
    s.fail("recording a release", *problem);
  }
  const std::string operation = "recording release '" + release.name + "'";
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
