// Store::shapes_matching, the look-up behind the query ids users type, on both backends:
// hash starts in any case, pt-query-digest 2.x's 16-digit ends of MySQL ids, ordered by hash
// and limited, while the exact look-up (shape_by_hash) stays case-exact.
#include <gtest/gtest.h>

#include "analyzer/error/errors.h"
#include "analyzer/store/store.h"
#include "tests/store/store_test_support.h"

namespace slowscope::testing {
namespace {

constexpr int64_t kAt = 1'700'000'000;

const std::vector<std::string> kHashes = {
    "E81D0B3DB4FB31BC558CAEF5F387E929",  // MySQL: uppercase MD5 of the fingerprint
    "E81D0B3D11111111AAAAAAAAAAAAAAAA",  // shares its first 8 digits
    "0123456789abcdef",                  // PostgreSQL: libpg_query fingerprint
    "unparsed-0123456789abcdef",
};

class ShapeLookupTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    store_.emplace(db_->open());
    store_->ensure_target("orders", Engine::kMysql);
    CycleWrite cycle{"orders", {"uuid", "10.11"}, T(kAt), {}, {}, {}, {}};
    for (size_t i = 0; i < kHashes.size(); ++i) {
      cycle.new_statements.push_back(
          {StatementKey{"shop", "", kHashes[i], true},
           ShapeInfo{kHashes[i], "select " + std::to_string(i), {"t" + std::to_string(i)}},
           "select " + std::to_string(i)});
    }
    store_->write_cycle(cycle);
  }

  std::vector<std::string> hashes(const std::string& prefix, const std::string& suffix = "",
                                  int limit = 10) {
    std::vector<std::string> out;
    for (const ShapeRecord& s : store_->shapes_matching({prefix, suffix, limit})) {
      out.push_back(s.info.hash);
    }
    return out;
  }

  std::optional<Store> store_;
};

using Hashes = std::vector<std::string>;

TEST_P(ShapeLookupTest, MatchesStartsInAnyCaseAndLegacyEnds) {
  EXPECT_EQ(hashes("e81d0b3d"), (Hashes{kHashes[1], kHashes[0]}));
  EXPECT_EQ(hashes("e81d0b3d", "", 1), (Hashes{kHashes[1]}));
  EXPECT_EQ(hashes("e81d0b3db4"), (Hashes{kHashes[0]}));
  EXPECT_EQ(hashes("e81d0b3db4fb31bc558caef5f387e929"), (Hashes{kHashes[0]}));
  EXPECT_EQ(hashes("0123456789abcdef"), (Hashes{kHashes[2]}));
  EXPECT_EQ(hashes("unparsed-0123"), (Hashes{kHashes[3]}));
  EXPECT_TRUE(hashes("e81d0b3dff").empty());
  // pt-query-digest 2.x printed 0x and the last 16 digits.
  EXPECT_EQ(hashes("558caef5f387e929", "558caef5f387e929"), (Hashes{kHashes[0]}));
  EXPECT_EQ(hashes("aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa"), (Hashes{kHashes[1]}));
  EXPECT_TRUE(hashes("558caef5f387e929").empty()) << "an end matched without being asked";

  const std::vector<ShapeRecord> found = store_->shapes_matching({"e81d0b3db4", "", 5});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].info.fingerprint, "select 0");
  EXPECT_EQ(found[0].info.tables, std::vector<std::string>{"t0"});
  EXPECT_EQ(found[0].first_seen, T(kAt));
  EXPECT_EQ(found[0].id, store_->shape_by_hash(kHashes[0])->id);

  EXPECT_FALSE(store_->shape_by_hash("e81d0b3db4fb31bc558caef5f387e929").has_value());
  EXPECT_THROW(store_->shapes_matching({"", "", 5}), InvalidInput);
}

INSTANTIATE_TEST_SUITE_P(Backends, ShapeLookupTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), backend_name);

}  // namespace
}  // namespace slowscope::testing
