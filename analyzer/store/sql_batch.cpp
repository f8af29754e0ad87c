#include "analyzer/store/sql_batch.h"

#include <algorithm>
#include <cctype>

#include "analyzer/store/sql_connection.h"

namespace slowscope {
namespace {

constexpr std::string_view kRowMarker = "/* row */";
constexpr int kMaxRows = 128;
// SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32; PostgreSQL allows 65,535.
constexpr int kMaxParameters = 32766;

struct RowSpan {
  size_t begin = 0;  // the row's '('
  size_t end = 0;    // one past its ')'
  int parameters = 0;
};

[[noreturn]] void fail(std::string_view name, const std::string& message) {
  throw SqlError("batch template " + std::string(name) + ": " + message);
}

// Whether `pos` lies in a -- comment: templates explain themselves, marker included.
bool in_line_comment(std::string_view sql, size_t pos) {
  const size_t line = sql.rfind('\n', pos);
  const size_t start = line == std::string_view::npos ? 0 : line + 1;
  const size_t dashes = sql.substr(start, pos - start).find("--");
  return dashes != std::string_view::npos;
}

// Calls `visit(position, length, number)` for every $N in [begin, end) outside comments.
template <typename Visit>
void for_each_placeholder(std::string_view sql, size_t begin, size_t end, Visit&& visit) {
  for (size_t i = begin; i < end; ++i) {
    if (sql[i] != '$' || in_line_comment(sql, i)) continue;
    size_t j = i + 1;
    int number = 0;
    while (j < end && std::isdigit(static_cast<unsigned char>(sql[j]))) {
      number = number * 10 + (sql[j] - '0');
      ++j;
    }
    if (j == i + 1) continue;
    visit(i, j - i, number);
    i = j - 1;
  }
}

RowSpan find_row(std::string_view name, std::string_view sql) {
  size_t marker = std::string_view::npos;
  for (size_t at = sql.find(kRowMarker); at != std::string_view::npos;
       at = sql.find(kRowMarker, at + 1)) {
    if (in_line_comment(sql, at)) continue;
    if (marker != std::string_view::npos) fail(name, "has more than one /* row */ marker");
    marker = at;
  }
  if (marker == std::string_view::npos) fail(name, "has no /* row */ marker");
  RowSpan row;
  row.begin = marker + kRowMarker.size();
  while (row.begin < sql.size() && std::isspace(static_cast<unsigned char>(sql[row.begin]))) {
    ++row.begin;
  }
  if (row.begin == sql.size() || sql[row.begin] != '(') fail(name, "no '(' after /* row */");
  int depth = 0;
  for (size_t i = row.begin; i < sql.size(); ++i) {
    if (sql[i] == '(') ++depth;
    if (sql[i] == ')' && --depth == 0) {
      row.end = i + 1;
      break;
    }
  }
  if (row.end == 0) fail(name, "the row's parentheses do not close");

  std::vector<bool> seen;
  for_each_placeholder(sql, row.begin, row.end, [&](size_t, size_t, int n) {
    if (n < 1) fail(name, "uses placeholder $" + std::to_string(n));
    if (static_cast<size_t>(n) >= seen.size()) seen.resize(n + 1, false);
    seen[n] = true;
  });
  row.parameters = static_cast<int>(seen.empty() ? 0 : seen.size() - 1);
  for (int n = 1; n <= row.parameters; ++n) {
    if (!seen[n]) fail(name, "the row does not use $" + std::to_string(n));
  }
  auto outside = [&](size_t, size_t, int) { fail(name, "uses placeholders outside the row"); };
  for_each_placeholder(sql, 0, row.begin, outside);
  for_each_placeholder(sql, row.end, sql.size(), outside);
  return row;
}

}  // namespace

int row_parameters(std::string_view name, std::string_view sql) {
  return find_row(name, sql).parameters;
}

std::string repeat_row(std::string_view name, std::string_view sql, int rows) {
  if (rows < 1) fail(name, "a batch needs at least one row");
  const RowSpan row = find_row(name, sql);
  const std::string_view text = sql.substr(row.begin, row.end - row.begin);
  std::string out(sql.substr(0, row.begin));
  out.reserve(sql.size() + (text.size() + 32) * static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    if (r > 0) out += ",\n";
    size_t copied = 0;
    for_each_placeholder(text, 0, text.size(), [&](size_t at, size_t length, int n) {
      out.append(text.substr(copied, at - copied));
      out += '$';
      out += std::to_string(r * row.parameters + n);
      copied = at + length;
    });
    out.append(text.substr(copied));
  }
  out.append(sql.substr(row.end));
  return out;
}

int max_batch_rows(int row_parameters) {
  int rows = kMaxRows;
  while (rows > 1 && rows * std::max(row_parameters, 1) > kMaxParameters) rows /= 2;
  return rows;
}

std::vector<int> batch_sizes(size_t count, int max_rows) {
  std::vector<int> sizes;
  for (; count >= static_cast<size_t>(max_rows); count -= max_rows) sizes.push_back(max_rows);
  for (int size = max_rows / 2; size >= 1; size /= 2) {
    if (count >= static_cast<size_t>(size)) {
      sizes.push_back(size);
      count -= size;
    }
  }
  return sizes;
}

}  // namespace slowscope
