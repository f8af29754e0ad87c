#include "analyzer/fingerprint/query_id.h"

#include <gtest/gtest.h>

namespace slowscope {
namespace {

// Expected values: Perl's uc(md5_hex($fingerprint)), i.e. pt-query-digest's make_checksum.
TEST(QueryId, Table) {
  struct Case {
    const char* fingerprint;
    const char* id;
  } cases[] = {
      {"", "D41D8CD98F00B204E9800998ECF8427E"},
      {"commit", "FFFCA4D67EA0A788813031B8BBC3B329"},  // the id in pt-query-digest's docs
      {"select ?", "1FE1379FE2A31B8D16219655761820A2"},
      {"select c from sbtest? where id=?", "E81D0B3DB4FB31BC558CAEF5F387E929"},
      {"administrator command: Quit", "EDBC971AEC392917AA353644DE4C4CB4"},
      {"mysqldump", "E3C753C2F267B2D767A347A2812914DF"},
      {"use ?", "DD749893CA4A219A6C099B0B73EA7633"},
      {"select \xc3\xa9", "055697FFC787771FB4B29FB5E1B48BF2"},  // bytes, not characters
  };
  for (const auto& c : cases) {
    EXPECT_EQ(query_id(c.fingerprint), c.id) << c.fingerprint;
    EXPECT_EQ(legacy_query_id(c.fingerprint), std::string(c.id).substr(16)) << c.fingerprint;
  }
}

TEST(QueryId, LegacyIsTheRightmostSixteen) {
  EXPECT_EQ(legacy_query_id("commit"), "813031B8BBC3B329");
  EXPECT_EQ(query_id("commit").size(), 32u);
  EXPECT_EQ(legacy_query_id("commit").size(), 16u);
}

TEST(QueryId, HandlesNulBytes) {
  EXPECT_EQ(query_id(std::string_view("\0", 1)), "93B885ADFE0DA089CDF634904FD59F71");
}

}  // namespace
}  // namespace slowscope
