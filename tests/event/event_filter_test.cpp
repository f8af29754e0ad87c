#include "analyzer/event/event_filter.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "analyzer/error/errors.h"

namespace slowscope {
namespace {

QueryEvent event(std::string_view db, std::string_view user, std::string_view host,
                 std::optional<int64_t> ts) {
  QueryEvent e;
  e.query = "select 1";
  e.db = db;
  e.user = user;
  e.host = host;
  e.ts_us = ts;
  return e;
}

TEST(WildcardMatch, Table) {
  struct Case {
    const char* pattern;
    const char* text;
    bool match;
  } cases[] = {
      {"shop", "shop", true},   {"shop", "shops", false}, {"shop*", "shops", true},
      {"*", "", true},          {"", "", true},           {"", "x", false},
      {"10.0.*", "10.0.3.4", true}, {"10.0.*", "10.1.3.4", false}, {"*a*b", "xxaxxb", true},
      {"*a*b", "xxaxxbc", false}, {"a**", "a", true},
  };
  for (const auto& c : cases) EXPECT_EQ(wildcard_match(c.pattern, c.text), c.match) << c.pattern;
}

TEST(EventFilter, EmptyAcceptsEverything) {
  EventFilter f;
  EXPECT_TRUE(f.accepts_everything());
  EXPECT_TRUE(f.accepts(event("", "", "", std::nullopt)));
}

TEST(EventFilter, KeysAreAndedValuesAreOred) {
  auto f = EventFilter::parse("db=shop, db=billing ,user=app*");
  EXPECT_FALSE(f.accepts_everything());
  EXPECT_TRUE(f.accepts(event("shop", "app1", "h", std::nullopt)));
  EXPECT_TRUE(f.accepts(event("billing", "app", "h", std::nullopt)));
  EXPECT_FALSE(f.accepts(event("other", "app", "h", std::nullopt)));
  EXPECT_FALSE(f.accepts(event("shop", "root", "h", std::nullopt)));
}

TEST(EventFilter, RejectsMalformedSpecs) {
  EXPECT_THROW(EventFilter::parse("db"), InvalidInput);
  EXPECT_THROW(EventFilter::parse("schema=x"), InvalidInput);
}

TEST(EventFilter, TimeWindowIsHalfOpenAndNeedsATime) {
  EventFilter f;
  f.set_window(100, 200);
  EXPECT_FALSE(f.accepts(event("", "", "", 99)));
  EXPECT_TRUE(f.accepts(event("", "", "", 100)));
  EXPECT_TRUE(f.accepts(event("", "", "", 199)));
  EXPECT_FALSE(f.accepts(event("", "", "", 200)));
  EXPECT_FALSE(f.accepts(event("", "", "", std::nullopt)));
  EXPECT_THROW(f.set_window(200, 100), InvalidInput);
}

}  // namespace
}  // namespace slowscope
