// TopReport, ShowReport and TargetTrends: what `slowscope top`, `slowscope show` and
// `slowscope trends` display from the history store, assembled by those commands and rendered
// by reports/text and reports/json. Plain value types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/regression/finding.h"
#include "analyzer/store/store.h"

namespace slowscope {

struct TopReport {
  std::optional<std::string> target;  // all targets when empty
  StoreTime from;
  StoreTime until;
  TopOrder order = TopOrder::kTotal;
  std::vector<ShapeTotals> shapes;  // ranked
  std::vector<Release> releases;    // in the range, of the target or of every target
  // Each target's engine: which measures its shapes have (rows examined for MySQL, blocks
  // for PostgreSQL). A target not listed counts as PostgreSQL.
  std::map<std::string, Engine> engines;
};

// One shape on one target: its totals, timeline and statements.
struct ShapeOnTarget {
  std::string target;
  Engine engine = Engine::kPostgres;  // which measures the shape has
  Measures totals;
  std::vector<TimelinePoint> timeline;  // oldest first
  std::vector<StatementRecord> statements;
};

struct ShowReport {
  ShapeRecord shape;
  StoreTime from;
  StoreTime until;
  std::vector<ShapeOnTarget> targets;
  std::vector<Release> releases;  // in the range, of the targets shown or of every target
  // Whether the statements' stored texts are shown: they can hold literal values, so only
  // when the user asked (--examples); the shape's fingerprint is always shown.
  bool examples = false;
};

// One target's part of the trends report.
struct TargetTrends {
  std::string target;
  int shapes_tested = 0;  // shapes with a series at all (days with enough calls not checked)
  std::vector<Finding> findings;
};

// Population standard deviation of the execution time, from the sums; 0 without calls.
double stddev_time(const Measures& m);

}  // namespace slowscope
