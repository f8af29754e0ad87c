#include "reports/html/content_security_policy.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace slowscope::html {
namespace {

// 'sha256-' and 44 characters of base64: the one form csp_hash writes, and so nothing that
// could end the attribute or add a directive.
bool is_sha256_source(std::string_view source) {
  constexpr std::string_view kPrefix = "'sha256-";
  if (source.size() != kPrefix.size() + 44 + 1 || !source.starts_with(kPrefix) ||
      source.back() != '\'') {
    return false;
  }
  const std::string_view base64 = source.substr(kPrefix.size(), 44);
  for (size_t i = 0; i < base64.size(); ++i) {
    const char c = base64[i];
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!(alnum || c == '+' || c == '/' || (c == '=' && i == 43))) return false;
  }
  return true;
}

std::string source_list(const std::vector<std::string>& hashes) {
  if (hashes.empty()) return "'none'";
  std::string out;
  for (const std::string& hash : hashes) {
    if (!is_sha256_source(hash)) {
      throw std::logic_error("csp_meta: \"" + hash + "\" is not a hash from csp_hash");
    }
    if (!out.empty()) out += ' ';
    out += hash;
  }
  return out;
}

}  // namespace

std::string csp_hash(std::string_view inline_content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;
  if (EVP_Digest(inline_content.data(), inline_content.size(), digest, &digest_length, EVP_sha256(),
                 nullptr) != 1) {
    throw std::runtime_error("csp_hash: OpenSSL could not compute SHA-256");
  }
  unsigned char base64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int length = EVP_EncodeBlock(base64, digest, static_cast<int>(digest_length));
  return "'sha256-" +
         std::string(reinterpret_cast<const char*>(base64), static_cast<size_t>(length)) + "'";
}

std::string csp_meta(const std::vector<std::string>& style_hashes,
                     const std::vector<std::string>& script_hashes) {
  return "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src " +
         source_list(style_hashes) + "; script-src " + source_list(script_hashes) +
         "; img-src data:; base-uri 'none'; form-action 'none'\">";
}

}  // namespace slowscope::html
