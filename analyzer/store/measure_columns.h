// Moving Measures in and out of SQL statements, in the column order shared by the sample
// tables and sql/store/*.sql. Stateless; thread-safe.
#pragma once

#include "analyzer/store/measures.h"
#include "analyzer/store/sql_connection.h"

namespace slowscope {

// Binds the Measures::kColumns measures to parameters $first .. $first+kColumns-1.
void bind_measures(SqlStatement& stmt, int first, const Measures& m);

// Reads the measures from result columns first .. first+kColumns-1 (NULL sums read as 0).
Measures read_measures(const SqlStatement& stmt, int first);

}  // namespace slowscope
