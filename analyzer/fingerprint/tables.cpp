#include "analyzer/fingerprint/tables.h"

#include <algorithm>
#include <initializer_list>
#include <unordered_set>

namespace slowscope {
namespace {

enum class Kind { kWord, kQuoted, kString, kPunct };

struct Token {
  Kind kind;
  std::string_view text;  // a backtick identifier without its backticks
};

bool is_word_byte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || u >= 0x80;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c;
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Splits SQL into words, backtick identifiers, string literals and punctuation. Comments
// are dropped, except that the body of an executable comment (/*!40101 ... */) is SQL
// like any other.
std::vector<Token> tokenize(std::string_view q) {
  std::vector<Token> tokens;
  const size_t n = q.size();
  int executable_comments = 0;
  size_t i = 0;
  auto skip_line = [&] {
    while (i < n && q[i] != '\n') ++i;
  };
  while (i < n) {
    char c = q[i];
    if (is_blank(c)) {
      ++i;
    } else if (c == '/' && i + 1 < n && q[i + 1] == '*') {
      if (i + 2 < n && q[i + 2] == '!') {
        i += 3;
        while (i < n && q[i] >= '0' && q[i] <= '9') ++i;
        ++executable_comments;
      } else {
        size_t close = q.find("*/", i + 2);
        i = close == std::string_view::npos ? n : close + 2;
      }
    } else if (c == '*' && executable_comments > 0 && i + 1 < n && q[i + 1] == '/') {
      --executable_comments;
      i += 2;
    } else if (c == '#' || (c == '-' && i + 1 < n && q[i + 1] == '-' &&
                            (i + 2 == n || is_blank(q[i + 2]) || q[i + 2] < ' '))) {
      skip_line();
    } else if (c == '\'' || c == '"') {
      size_t start = i++;
      while (i < n) {
        if (q[i] == '\\' && i + 1 < n) {
          i += 2;
        } else if (q[i] == c && i + 1 < n && q[i + 1] == c) {
          i += 2;
        } else if (q[i] == c) {
          ++i;
          break;
        } else {
          ++i;
        }
      }
      tokens.push_back({Kind::kString, q.substr(start, i - start)});
    } else if (c == '`') {
      size_t start = ++i;
      while (i < n) {
        if (q[i] == '`') {
          if (i + 1 < n && q[i + 1] == '`') {  // `` is a backtick inside the name
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      tokens.push_back({Kind::kQuoted, q.substr(start, i - start)});
      if (i < n) ++i;
    } else if (is_word_byte(c)) {
      size_t start = i;
      while (i < n && is_word_byte(q[i])) ++i;
      tokens.push_back({Kind::kWord, q.substr(start, i - start)});
    } else {
      tokens.push_back({Kind::kPunct, q.substr(i, 1)});
      ++i;
    }
  }
  return tokens;
}

// Case-insensitive keyword test; `keyword` is uppercase.
bool is_kw(const Token& t, std::string_view keyword) {
  if (t.kind != Kind::kWord || t.text.size() != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); ++i) {
    if (upper(t.text[i]) != keyword[i]) return false;
  }
  return true;
}

bool is_any_kw(const Token& t, std::initializer_list<std::string_view> keywords) {
  return std::any_of(keywords.begin(), keywords.end(),
                     [&](std::string_view k) { return is_kw(t, k); });
}

bool is_punct(const Token& t, char c) {
  return t.kind == Kind::kPunct && t.text[0] == c;
}

// Words that can follow a table reference, so are never taken for its alias.
bool ends_table_reference(const Token& t) {
  return is_any_kw(t, {"WHERE",
                       "SET",
                       "ON",
                       "USING",
                       "JOIN",
                       "INNER",
                       "LEFT",
                       "RIGHT",
                       "CROSS",
                       "NATURAL",
                       "STRAIGHT_JOIN",
                       "FULL",
                       "OUTER",
                       "GROUP",
                       "ORDER",
                       "LIMIT",
                       "HAVING",
                       "UNION",
                       "EXCEPT",
                       "INTERSECT",
                       "VALUES",
                       "VALUE",
                       "SELECT",
                       "PARTITION",
                       "USE",
                       "IGNORE",
                       "FORCE",
                       "FOR",
                       "LOCK",
                       "WINDOW",
                       "INTO",
                       "READ",
                       "WRITE",
                       "LOW_PRIORITY",
                       "TO",
                       "LIKE",
                       "ADD",
                       "DROP",
                       "MODIFY",
                       "CHANGE",
                       "RENAME",
                       "ENGINE",
                       "DEFAULT",
                       "WITH",
                       "RETURNING",
                       "FROM",
                       "AS",
                       "AND",
                       "OR",
                       "NOT",
                       "IF",
                       "ALTER",
                       "CHARACTER",
                       "CHARSET",
                       "COLLATE",
                       "COMMENT",
                       "AUTO_INCREMENT",
                       "CONVERT",
                       "DISABLE",
                       "ENABLE",
                       "DISCARD",
                       "IMPORT",
                       "PROCEDURE",
                       "KEY",
                       "INDEX",
                       "UNIQUE",
                       "PRIMARY",
                       "CONSTRAINT",
                       "FOREIGN",
                       "CHECK",
                       "ROW_FORMAT",
                       "WAIT",
                       "NOWAIT",
                       "SHARE",
                       "MODE",
                       "DUPLICATE",
                       "TABLESAMPLE",
                       "STATUS",
                       "LOCAL",
                       "QUICK",
                       "OFFSET",
                       "FETCH"});
}

// Functions whose arguments may contain FROM without it naming a table.
bool takes_from_argument(const Token& t) {
  return is_any_kw(t, {"EXTRACT", "TRIM", "SUBSTRING", "SUBSTR", "POSITION", "OVERLAY"});
}

class TableScanner {
 public:
  explicit TableScanner(std::string_view query) : tokens_(tokenize(query)) {}

  std::vector<std::string> scan();

 private:
  const Token* at(size_t i) const { return i < tokens_.size() ? &tokens_[i] : nullptr; }
  bool kw_at(size_t i, std::string_view keyword) const {
    return i < tokens_.size() && is_kw(tokens_[i], keyword);
  }
  bool punct_at(size_t i, char c) const { return i < tokens_.size() && is_punct(tokens_[i], c); }
  bool ident_at(size_t i) const {
    return i < tokens_.size() &&
           (tokens_[i].kind == Kind::kQuoted || tokens_[i].kind == Kind::kWord);
  }
  size_t skip_parens(size_t i) const;
  size_t skip_if_exists(size_t i) const;
  size_t table_name(size_t i, bool parens_follow_ok, bool add_it);
  void table_list(size_t i, bool parens_follow_ok);
  void collect_ctes(size_t i);
  void add(std::string name);

  std::vector<Token> tokens_;
  std::unordered_set<std::string> ctes_;
  std::unordered_set<std::string> seen_;
  std::vector<std::string> tables_;
  std::string_view statement_;  // the first word of the current statement
  bool lock_list_ = false;      // parsing LOCK TABLES: skip READ/WRITE after each table
};

// From a '(' at i: the index after its matching ')'.
size_t TableScanner::skip_parens(size_t i) const {
  int depth = 0;
  for (; i < tokens_.size(); ++i) {
    if (is_punct(tokens_[i], '(')) ++depth;
    if (is_punct(tokens_[i], ')') && --depth <= 0) return i + 1;
  }
  return i;
}

size_t TableScanner::skip_if_exists(size_t i) const {
  if (kw_at(i, "IF") && kw_at(i + 1, "NOT") && kw_at(i + 2, "EXISTS")) return i + 3;
  if (kw_at(i, "IF") && kw_at(i + 1, "EXISTS")) return i + 2;
  return i;
}

void TableScanner::add(std::string name) {
  std::erase(name, '`');
  for (char& c : name) c = lower(c);
  if (std::none_of(name.begin(), name.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }))
    return;
  if (name == "dual") return;
  if (ctes_.contains(name) || !seen_.insert(name).second) return;
  tables_.push_back(std::move(name));
}

// A table name ("t", "db.t", `db`.`t`) at i: records it and returns the index after it,
// or returns i when there is none. A name followed by '(' is a function call unless the
// caller expects a column list there (INSERT INTO t(a, b)).
size_t TableScanner::table_name(size_t i, bool parens_follow_ok, bool add_it) {
  if (!ident_at(i) || ends_table_reference(tokens_[i])) return i;
  std::string name(tokens_[i].text);
  size_t next = i + 1;
  if (punct_at(next, '.') && ident_at(next + 1)) {
    name += '.';
    name += tokens_[next + 1].text;
    next += 2;
  }
  if (!parens_follow_ok && punct_at(next, '(')) return i;
  if (add_it) add(std::move(name));
  return next;
}

// table_reference [, table_reference ...] starting at i.
void TableScanner::table_list(size_t i, bool parens_follow_ok) {
  for (;;) {
    while (punct_at(i, '(')) {
      if (kw_at(i + 1, "SELECT") || kw_at(i + 1, "WITH") || kw_at(i + 1, "VALUES")) return;
      ++i;
    }
    size_t after = table_name(i, parens_follow_ok, true);
    if (after == i) return;
    i = after;
    if (kw_at(i, "PARTITION") && punct_at(i + 1, '(')) i = skip_parens(i + 1);
    if (kw_at(i, "AS")) ++i;
    if (ident_at(i) && !ends_table_reference(tokens_[i])) ++i;  // alias
    // Index hints: USE|FORCE|IGNORE INDEX|KEY [FOR JOIN|ORDER BY|GROUP BY] (...)
    while ((kw_at(i, "USE") || kw_at(i, "FORCE") || kw_at(i, "IGNORE")) &&
           (kw_at(i + 1, "INDEX") || kw_at(i + 1, "KEY"))) {
      i += 2;
      if (kw_at(i, "FOR")) i += kw_at(i + 1, "JOIN") ? 2 : 3;
      if (punct_at(i, '(')) i = skip_parens(i);
      if (punct_at(i, ',') &&
          (kw_at(i + 1, "USE") || kw_at(i + 1, "FORCE") || kw_at(i + 1, "IGNORE")))
        ++i;
    }
    if (lock_list_) {
      if (kw_at(i, "READ")) i += kw_at(i + 1, "LOCAL") ? 2 : 1;
      if (kw_at(i, "LOW_PRIORITY")) ++i;
      if (kw_at(i, "WRITE")) ++i;
    }
    while (punct_at(i, ')')) ++i;
    if (!punct_at(i, ',')) return;
    ++i;
  }
}

// WITH [RECURSIVE] name [(columns)] AS (...) [, ...]: the names are not tables.
void TableScanner::collect_ctes(size_t i) {
  if (kw_at(i, "RECURSIVE")) ++i;
  while (ident_at(i)) {
    std::string name(tokens_[i].text);
    std::erase(name, '`');
    for (char& c : name) c = lower(c);
    ctes_.insert(std::move(name));
    ++i;
    if (punct_at(i, '(')) i = skip_parens(i);
    if (!kw_at(i, "AS")) return;
    ++i;
    if (!punct_at(i, '(')) return;
    i = skip_parens(i);
    if (!punct_at(i, ',')) return;
    ++i;
  }
}

std::vector<std::string> TableScanner::scan() {
  std::vector<bool> from_is_argument;  // per open '(': inside EXTRACT(... FROM ...) etc.
  size_t statement_start = 0;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const Token& t = tokens_[i];
    const Token* prev = i > statement_start ? at(i - 1) : nullptr;
    if (is_punct(t, ';')) {
      statement_start = i + 1;
      statement_ = {};
      from_is_argument.clear();
      continue;
    }
    if (i == statement_start) {
      statement_ = t.kind == Kind::kWord ? t.text : std::string_view{};
      if (is_kw(t, "WITH")) collect_ctes(i + 1);
    }
    if (is_punct(t, '(')) {
      from_is_argument.push_back(prev && takes_from_argument(*prev));
      continue;
    }
    if (is_punct(t, ')')) {
      if (!from_is_argument.empty()) from_is_argument.pop_back();
      continue;
    }
    if (t.kind != Kind::kWord) continue;
    Token first{Kind::kWord, statement_};

    if (is_kw(t, "FROM")) {
      if (!from_is_argument.empty() && from_is_argument.back()) continue;
      if (is_kw(first, "SHOW")) {
        // SHOW COLUMNS|FIELDS|INDEX|KEYS FROM t; other SHOW ... FROM name a database.
        if (prev && is_any_kw(*prev, {"COLUMNS", "FIELDS", "INDEX", "INDEXES", "KEYS"}))
          table_name(i + 1, false, true);
        continue;
      }
      table_list(i + 1, false);
    } else if (is_kw(t, "JOIN") || is_kw(t, "STRAIGHT_JOIN")) {
      // SELECT STRAIGHT_JOIN a FROM ...: a select option there, not a join.
      if (is_kw(t, "STRAIGHT_JOIN") && prev &&
          (is_any_kw(*prev, {"SELECT", "DISTINCT", "DISTINCTROW", "ALL", "HIGH_PRIORITY"}) ||
           (prev->kind == Kind::kWord && prev->text.size() > 4 && upper(prev->text[0]) == 'S' &&
            upper(prev->text[1]) == 'Q' && upper(prev->text[2]) == 'L' && prev->text[3] == '_')))
        continue;
      table_list(i + 1, false);
    } else if (is_kw(t, "INTO")) {
      if (kw_at(i + 1, "OUTFILE") || kw_at(i + 1, "DUMPFILE") || punct_at(i + 1, '@')) continue;
      table_list(kw_at(i + 1, "TABLE") ? i + 2 : i + 1, true);
    } else if (is_kw(t, "UPDATE")) {
      // A statement's own UPDATE, not FOR UPDATE or ON DUPLICATE KEY UPDATE.
      if (prev && !is_punct(*prev, ')')) continue;
      size_t j = i + 1;
      while (kw_at(j, "LOW_PRIORITY") || kw_at(j, "IGNORE")) ++j;
      table_list(j, false);
    } else if ((is_kw(t, "INSERT") || is_kw(t, "REPLACE")) && i == statement_start) {
      size_t j = i + 1;
      while (j < tokens_.size() &&
             is_any_kw(tokens_[j], {"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE"}))
        ++j;
      if (!kw_at(j, "INTO")) table_list(j, true);
    } else if (is_kw(t, "USING") && is_kw(first, "DELETE") && !punct_at(i + 1, '(')) {
      table_list(i + 1, false);
    } else if (is_kw(t, "TABLE") || (is_kw(t, "TABLES") && is_any_kw(first, {"LOCK", "FLUSH"}))) {
      if (kw_at(i + 1, "STATUS")) continue;
      lock_list_ = is_kw(first, "LOCK");
      table_list(skip_if_exists(i + 1), true);
      lock_list_ = false;
      // CREATE TABLE t LIKE u, CREATE TABLE t (LIKE u)
      if (is_kw(first, "CREATE")) {
        size_t j = table_name(skip_if_exists(i + 1), true, false);
        if (punct_at(j, '(')) ++j;
        if (kw_at(j, "LIKE")) table_name(j + 1, false, true);
      }
    } else if (is_kw(t, "TRUNCATE") && i == statement_start && !kw_at(i + 1, "TABLE")) {
      table_name(i + 1, false, true);
    } else if (is_kw(t, "REFERENCES")) {
      table_name(i + 1, true, true);
    } else if (is_kw(t, "TO") && (is_kw(first, "RENAME") || (prev && is_kw(*prev, "RENAME")))) {
      table_list(i + 1, false);
    } else if (is_kw(t, "AS") && prev && is_kw(*prev, "RENAME")) {
      table_name(i + 1, false, true);
    } else if (is_kw(t, "ON") && is_any_kw(first, {"CREATE", "DROP"}) && i >= 2 &&
               kw_at(i - 2, "INDEX")) {
      table_name(i + 1, true, true);  // CREATE [UNIQUE] INDEX i ON t (a), DROP INDEX i ON t
    } else if (i == statement_start && is_any_kw(t, {"DESCRIBE", "DESC", "EXPLAIN"}) &&
               ident_at(i + 1) &&
               !is_any_kw(tokens_[i + 1],
                          {"SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "TABLE",
                           "FORMAT", "ANALYZE", "EXTENDED", "PARTITIONS", "FOR"})) {
      table_name(i + 1, false, true);
    }
  }
  return std::move(tables_);
}

}  // namespace

std::vector<std::string> extract_tables(std::string_view query) {
  return TableScanner(query).scan();
}

}  // namespace slowscope
