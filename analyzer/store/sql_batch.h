// Multi-row statements from one-row templates, so that the store writes hundreds of rows
// per statement while its SQL stays a plain, runnable file per statement.
//
// A template is an ordinary statement (e.g. sql/store/sample_insert.sql) in which one
// parenthesized row is preceded by the marker comment /* row */ and uses exactly the
// placeholders $1..$N, which appear nowhere else. For a batch of R rows the marked row is
// written R times, comma-separated, the copy r (from 0) using $(r*N+1)..$(r*N+N). The row
// must hold no quoted text with parentheses or '$' in it. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace slowscope {

// Parameters one row of the template `sql` uses (N above). Throws SqlError naming `name`
// when the template has no /* row */ marker, the row is unbalanced, or placeholders are
// missing from the row or used outside it.
int row_parameters(std::string_view name, std::string_view sql);

// The template `sql` with its marked row repeated `rows` (>= 1) times. Throws as above.
std::string repeat_row(std::string_view name, std::string_view sql, int rows);

// The most rows one statement of a template with `row_parameters` parameters may carry: a
// power of two, at most 128, whose parameters stay within what both backends accept
// (SQLite 32,766, PostgreSQL 65,535).
int max_batch_rows(int row_parameters);

// How `count` rows are cut into statements: as many batches of `max_rows` as fit, then
// decreasing powers of two. So a template needs at most log2(max_rows) + 1 prepared
// statements, whatever the counts, and they are reused from cycle to cycle.
std::vector<int> batch_sizes(size_t count, int max_rows);

}  // namespace slowscope
