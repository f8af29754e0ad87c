// Every error the layers throw has its kind, the one value the command line's exit table
// (cli/command_errors.cpp) maps to a status; subclasses get their own kind before their
// bases'.
#include "app/error_kind.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "analyzer/aggregate/quantile_sketch.h"
#include "analyzer/config/config.h"
#include "analyzer/config/setting_rules.h"
#include "analyzer/error/errors.h"
#include "analyzer/store/store.h"
#include "connectors/common/collector.h"
#include "connectors/common/source_error.h"

namespace slowscope {
namespace {

template <typename Error>
ErrorKind kind_of(const Error& error) {
  return error_kind(std::make_exception_ptr(error));
}

// What a call throws, as its kind.
template <typename Call>
ErrorKind kind_thrown(Call call) {
  try {
    call();
  } catch (...) {
    return error_kind(std::current_exception());
  }
  ADD_FAILURE() << "no error";
  return ErrorKind::kOther;
}

TEST(ErrorKind, EachErrorTypeHasItsKind) {
  EXPECT_EQ(kind_of(InvalidInput("bad")), ErrorKind::kInvalidInput);
  EXPECT_EQ(kind_of(std::invalid_argument("stoi")), ErrorKind::kInvalidInput);
  EXPECT_EQ(kind_of(ConfigError("bad file")), ErrorKind::kConfig);
  EXPECT_EQ(kind_of(NoStoreError("none")), ErrorKind::kNoStore);
  EXPECT_EQ(kind_of(StoreError("down")), ErrorKind::kStore);
  EXPECT_EQ(kind_of(StoreUnusableError("too new")), ErrorKind::kStore);
  EXPECT_EQ(kind_of(LogFileMoved("moved")), ErrorKind::kStore);
  EXPECT_EQ(kind_of(CorruptData("QuantileSketch: trailing bytes")), ErrorKind::kCorruptData);
  EXPECT_EQ(kind_of(CollectorError(CollectorHealth::kUnreachable, "db1: down")),
            ErrorKind::kSourceFailed);
  EXPECT_EQ(kind_of(SourceError(SourceError::Kind::kCannotConnect, "db1: cannot connect")),
            ErrorKind::kSourceFailed);
  EXPECT_EQ(kind_of(std::logic_error("sizes differ")), ErrorKind::kInternal);
  EXPECT_EQ(kind_of(std::out_of_range("index")), ErrorKind::kInternal);
  EXPECT_EQ(kind_of(std::runtime_error("anything")), ErrorKind::kOther);
  EXPECT_EQ(kind_of(42), ErrorKind::kOther);
}

// The real throw sites, one of each kind: a value a user typed, bytes that do not decode, a
// caller's broken precondition.
TEST(ErrorKind, ThrowSitesThrowTheirKind) {
  EXPECT_EQ(kind_thrown([] { read_positive_int("0"); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(kind_thrown([] { StoreLocation::parse("mysql://x"); }), ErrorKind::kInvalidInput);
  EXPECT_EQ(kind_thrown([] { QuantileSketch::deserialize("garbage"); }), ErrorKind::kCorruptData);
  EXPECT_EQ(kind_thrown([] { (void)QuantileSketch().quantile(2); }), ErrorKind::kInternal);
}

}  // namespace
}  // namespace slowscope
