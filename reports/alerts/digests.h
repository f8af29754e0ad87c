// SHA-256 and HMAC-SHA256 (OpenSSL) as lowercase hex, for alert dedup keys and webhook
// signatures. Pure functions; thread-safe. Throw std::runtime_error if OpenSSL cannot.
#pragma once

#include <string>
#include <string_view>

namespace slowscope {

// The 64 hex digits of SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// The 64 hex digits of HMAC-SHA256 of `data` under `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace slowscope
