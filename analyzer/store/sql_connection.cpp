#include "analyzer/store/sql_connection.h"

namespace slowscope {

std::string_view to_string(SqlBackend backend) {
  return backend == SqlBackend::kSqlite ? "sqlite" : "postgres";
}

void SqlStatement::bind_optional_double(int index, const std::optional<double>& value) {
  if (value) {
    bind_double(index, *value);
  } else {
    bind_null(index);
  }
}

std::optional<double> SqlStatement::get_optional_double(int column) const {
  if (is_null(column)) return std::nullopt;
  return get_double(column);
}

void SqlStatement::run() {
  while (step()) {
  }
  reset();
}

}  // namespace slowscope
