#include "reports/alerts/delivery/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "reports/visible_text.h"

namespace slowscope {
namespace {

// The longest receiver message a failure description keeps, in characters.
constexpr size_t kMaxMessageChars = 300;

std::string_view trim_space(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

void append_hex_byte(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xF];
}

// `text` on one line: the escape of each character a reader could not see or that would
// break the line, "\xNN" for each byte that is not UTF-8; at most `max_chars` characters
// (an escape is never split), "…" when cut.
std::string one_line(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  for (size_t pos = 0; pos < text.size();) {
    const DecodedCodePoint decoded = decode_utf8(text, pos);
    const std::string_view bytes = text.substr(pos, decoded.length);
    std::string piece;
    size_t piece_chars = 1;
    if (decoded.code_point == kReplacementCharacter && bytes != "\xEF\xBF\xBD") {
      for (const char byte : bytes) append_hex_byte(piece, static_cast<unsigned char>(byte));
    } else if (decoded.code_point == '\n') {
      piece = "\\n";
    } else if (decoded.code_point == '\r') {
      piece = "\\r";
    } else if (decoded.code_point == '\t') {
      piece = "\\t";
    } else if (is_hidden_or_reordering(decoded.code_point)) {
      append_visible_escape(piece, decoded.code_point);
    } else {
      piece = bytes;
    }
    if (piece != bytes) piece_chars = piece.size();  // escapes are ASCII
    if (chars + piece_chars > max_chars) return out + "\u2026";
    out += piece;
    chars += piece_chars;
    pos += decoded.length;
  }
  return out;
}

}  // namespace

DeliveryVerdict judge(const HttpResponse& response) {
  const int status = response.status;
  if (status >= 200 && status <= 299) return DeliveryVerdict::kDelivered;
  if (status == 0 || status == 408 || status == 429 || (status >= 500 && status <= 599))
    return DeliveryVerdict::kRetry;
  return DeliveryVerdict::kPermanent;
}

std::chrono::seconds retry_delay(const RetryPolicy& policy, int attempt,
                                 std::optional<std::chrono::seconds> retry_after,
                                 double random_unit) {
  const int64_t cap = std::max<int64_t>(0, policy.max_delay.count());
  int64_t delay = std::min(std::max<int64_t>(0, policy.first_delay.count()), cap);
  for (int doubled = 1; doubled < attempt && delay > 0 && delay < cap; ++doubled)
    delay = delay > cap / 2 ? cap : delay * 2;

  const double unit = std::isnan(random_unit) ? 0.0 : std::clamp(random_unit, 0.0, 1.0);
  const auto jittered = static_cast<int64_t>(std::ceil(double(delay) * (0.5 + 0.5 * unit)));
  const int64_t waited = std::min(jittered, delay);  // a unit of 1.0 (or rounding) stays <= delay

  if (retry_after) {
    const int64_t asked = std::clamp<int64_t>(retry_after->count(), 0,
                                              std::max<int64_t>(0, policy.give_up_after.count()));
    if (asked > waited) return std::chrono::seconds(asked);
  }
  return std::chrono::seconds(waited);
}

std::string describe_failure(const HttpResponse& response) {
  if (response.status == 0) {
    if (response.transport_error.empty()) return "no answer";
    return one_line(response.transport_error, kMaxMessageChars);
  }
  std::string out = "HTTP " + std::to_string(response.status);
  const std::string_view message = trim_space(response.body);
  if (!message.empty()) out += ": " + one_line(message, kMaxMessageChars);
  return out;
}

}  // namespace slowscope
