#include "analyzer/fingerprint/literal_free_text.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace slowscope {
namespace {

struct Token {
  size_t start = 0;
  size_t end = 0;
  PgQuery__Token kind = PG_QUERY__TOKEN__NUL;
  bool keyword = false;
};

// The tokens of `text` (comments included), or nullopt when the scanner cannot read it.
std::optional<std::vector<Token>> scan(const std::string& text) {
  PgQueryScanResult result = pg_query_scan(text.c_str());
  std::optional<std::vector<Token>> tokens;
  if (result.error == nullptr) {
    PgQuery__ScanResult* scanned = pg_query__scan_result__unpack(
        nullptr, result.pbuf.len, reinterpret_cast<const uint8_t*>(result.pbuf.data));
    if (scanned != nullptr) {
      tokens.emplace();
      for (size_t i = 0; i < scanned->n_tokens; ++i) {
        const PgQuery__ScanToken* t = scanned->tokens[i];
        if (t->start < 0 || t->end < t->start || static_cast<size_t>(t->end) > text.size()) {
          tokens.reset();
          break;
        }
        tokens->push_back({static_cast<size_t>(t->start), static_cast<size_t>(t->end), t->token,
                           t->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD});
      }
      pg_query__scan_result__free_unpacked(scanned, nullptr);
    }
  }
  pg_query_free_scan_result(result);
  return tokens;
}

bool is_constant(PgQuery__Token kind) {
  switch (kind) {
    case PG_QUERY__TOKEN__ICONST:
    case PG_QUERY__TOKEN__FCONST:
    case PG_QUERY__TOKEN__SCONST:
    case PG_QUERY__TOKEN__USCONST:
    case PG_QUERY__TOKEN__BCONST:
    case PG_QUERY__TOKEN__XCONST:
      return true;
    default:
      return false;
  }
}

bool is_comment(PgQuery__Token kind) {
  return kind == PG_QUERY__TOKEN__SQL_COMMENT || kind == PG_QUERY__TOKEN__C_COMMENT;
}

// Whether a statement could hold a secret outside its constants: a PASSWORD clause (CREATE
// or ALTER ROLE/USER, user mappings), or a SET/ALTER ... SET of a custom setting
// (class.name), whose value can be a bare word: SET app.token = s3cret.
bool could_hold_secret(const std::vector<Token>& tokens) {
  std::vector<const Token*> code;
  for (const Token& t : tokens) {
    if (!is_comment(t.kind)) code.push_back(&t);
  }
  if (code.empty()) return false;
  for (const Token* t : code) {
    if (t->kind == PG_QUERY__TOKEN__PASSWORD) return true;
  }
  const PgQuery__Token first = code.front()->kind;
  if (first != PG_QUERY__TOKEN__SET && first != PG_QUERY__TOKEN__ALTER) return false;
  bool after_set = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const PgQuery__Token kind = code[i]->kind;
    if (kind == PG_QUERY__TOKEN__SET) after_set = true;
    if (after_set && kind == PG_QUERY__TOKEN__ASCII_46) return true;  // '.' in the name
    if (kind == PG_QUERY__TOKEN__ASCII_61 || kind == PG_QUERY__TOKEN__TO) after_set = false;
  }
  return false;
}

// The statement's leading keywords (at most three), e.g. "ALTER ROLE", with the rest withheld.
std::string withheld(const std::string& text, const std::vector<Token>& tokens) {
  std::string tag;
  int words = 0;
  for (const Token& t : tokens) {
    if (is_comment(t.kind)) continue;
    if (!t.keyword || words == 3) break;
    std::string word = text.substr(t.start, t.end - t.start);
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    tag += (tag.empty() ? "" : " ") + word;
    ++words;
  }
  return (tag.empty() ? "" : tag + " ") + "/* rest withheld */";
}

// The number after the highest $n parameter in `tokens`, at least 1.
int next_parameter(const std::string& text, const std::vector<Token>& tokens) {
  int highest = 0;
  for (const Token& t : tokens) {
    if (t.kind != PG_QUERY__TOKEN__PARAM || t.end - t.start < 2) continue;
    const std::string digits = text.substr(t.start + 1, std::min<size_t>(t.end - t.start - 1, 6));
    highest = std::max(highest, std::atoi(digits.c_str()));
  }
  return highest + 1;
}

}  // namespace

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string postgres_literal_free_text(std::string_view text) {
  const std::string input(text);
  std::string normalized = input;
  PgQueryNormalizeResult n = pg_query_normalize(input.c_str());
  if (n.error == nullptr && n.normalized_query != nullptr) normalized = n.normalized_query;
  pg_query_free_normalize_result(n);

  const auto tokens = scan(normalized);
  if (!tokens) return std::string(kUnreadableStatement);
  if (could_hold_secret(*tokens)) return withheld(normalized, *tokens);
  int parameter = next_parameter(normalized, *tokens);
  std::string out;
  out.reserve(normalized.size());
  size_t at = 0;
  for (const Token& t : *tokens) {
    if (!is_constant(t.kind) && !is_comment(t.kind)) continue;
    out.append(normalized, at, t.start - at);
    if (is_comment(t.kind)) {
      out += ' ';
    } else {
      out += '$';
      out += std::to_string(parameter++);
    }
    at = t.end;
  }
  out.append(normalized, at, std::string::npos);
  return collapse_whitespace(out);
}

}  // namespace slowscope
