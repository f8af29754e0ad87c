#include "analyzer/fingerprint/query_id.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace slowscope {

namespace {

// Fetched once: an implicit fetch on every digest costs more than the MD5 itself. The
// fetched object is immutable and may be shared by threads.
const EVP_MD* md5() {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return md;
#else
  return EVP_md5();
#endif
}

// One digest context per thread, reused, so that an id costs no allocation.
struct Context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

std::string query_id(std::string_view fingerprint) {
  thread_local Context context;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // Fails only when OpenSSL offers no MD5 (e.g. a FIPS-only configuration) or memory runs
  // out; pt's ids are MD5 by definition, so there is no fallback.
  const EVP_MD* md = md5();
  if (md == nullptr || context.ctx == nullptr || EVP_DigestInit_ex(context.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(context.ctx, fingerprint.data(), fingerprint.size()) != 1 ||
      EVP_DigestFinal_ex(context.ctx, digest, &size) != 1 || size != 16)
    throw std::runtime_error("query_id: OpenSSL could not compute an MD5 digest");
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string id(32, '0');
  for (unsigned int i = 0; i < 16; ++i) {
    id[2 * i] = kHex[digest[i] >> 4];
    id[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return id;
}

std::string legacy_query_id(std::string_view fingerprint) {
  return query_id(fingerprint).substr(16);
}

}  // namespace slowscope
