#include "reports/alerts/delivery/http_post.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <limits>
#include <memory>
#include <system_error>
#include <vector>

#include "reports/tool_version.h"

namespace slowscope {
namespace {

// libcurl's global set-up, done once, on first use (a function-local static is initialized
// thread-safely). Never torn down: a sender thread may still be in a transfer at exit.
CURLcode curl_global() {
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  return result;
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

// The response body as it arrives: `keep` bytes at most (one more than asked for, so
// that the cut can tell whether it splits a character), then the transfer is stopped.
struct BodySink {
  std::string body;
  size_t keep = 0;
  bool cut = false;  // the body was longer than `keep`: the write error is ours
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const size_t bytes = size * count;
  const size_t room = sink->keep - sink->body.size();
  if (bytes <= room) {
    sink->body.append(data, bytes);
    return bytes;
  }
  sink->body.append(data, room);
  sink->cut = true;
  return CURL_WRITEFUNC_ERROR;  // the rest of a long answer is not worth waiting for
}

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// `text` cut to at most `max` bytes without splitting a UTF-8 sequence: when the byte
// after the cut continues a character, the cut moves back to that character's start
// (at most three bytes: no longer sequence exists).
void cut_at_utf8_boundary(std::string& text, size_t max) {
  if (text.size() <= max) return;
  size_t end = max;
  while (end > 0 && max - end < 3 && is_continuation_byte(text[end])) --end;
  if (is_continuation_byte(text[end])) end = max;  // not UTF-8 there: a plain byte cut
  text.resize(end);
}

void replace_all(std::string& text, const std::string& what, std::string_view with) {
  if (what.empty()) return;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
}

// The parts of `url` that may hold secrets — user, password, login options, path, query,
// fragment — both as written and decoded, longest first; nullopt when libcurl cannot parse
// the URL (then nothing but curl's generic text may be shown).
std::optional<std::vector<std::string>> secret_url_parts(const std::string& url) {
  const std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(),
                              CURLU_DEFAULT_SCHEME | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
    return std::nullopt;
  std::vector<std::string> parts{url};
  for (const CURLUPart part : {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS,
                               CURLUPART_PATH, CURLUPART_QUERY, CURLUPART_FRAGMENT}) {
    for (const unsigned int flags : {0u, static_cast<unsigned int>(CURLU_URLDECODE)}) {
      char* value = nullptr;
      if (curl_url_get(parsed.get(), part, &value, flags) != CURLUE_OK || value == nullptr)
        continue;
      std::string text(value);
      curl_free(value);
      if (!text.empty() && text != "/") parts.push_back(std::move(text));
    }
  }
  std::sort(parts.begin(), parts.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return parts;
}

// Why a transfer failed, in libcurl's words plus the system's for the last socket error
// ("Connection refused"), with every secret part of the URL replaced.
std::string describe_transport_error(CURLcode code, const char* error_buffer, long os_errno,
                                     const std::string& url) {
  std::string text = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (os_errno != 0) {
    const std::string system = std::system_category().message(static_cast<int>(os_errno));
    if (text.find(system) == std::string::npos) text += " (" + system + ")";
  }
  const auto secrets = secret_url_parts(url);
  if (!secrets) return curl_easy_strerror(code);
  for (const std::string& secret : *secrets) replace_all(text, secret, "<redacted>");
  return text;
}

// Whether a header can be sent as "name: value" without starting another header line.
bool is_sendable_header(const std::string& name, const std::string& value) {
  if (name.empty()) return false;
  for (const char c : name)
    if (c == ':' || c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\0') return false;
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

HttpResponse transport_failure(std::string why) {
  HttpResponse response;
  response.transport_error = std::move(why);
  return response;
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc::result_out_of_range) seconds = std::numeric_limits<int64_t>::max();
    return std::chrono::seconds(seconds);
  }
  const time_t date = curl_getdate(std::string(value).c_str(), nullptr);
  if (date == -1) return std::nullopt;
  const auto wait = std::chrono::system_clock::from_time_t(date) - now;
  return std::max(std::chrono::seconds(0), std::chrono::ceil<std::chrono::seconds>(wait));
}

HttpResponse http_post(const HttpRequest& request, const HttpPostOptions& options) {
  if (const CURLcode global = curl_global(); global != CURLE_OK)
    return transport_failure(std::string("libcurl could not start: ") + curl_easy_strerror(global));

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  const auto add_header = [&](const std::string& line) {
    curl_slist* longer = curl_slist_append(headers.get(), line.c_str());
    if (longer == nullptr) return false;
    static_cast<void>(headers.release());
    headers.reset(longer);
    return true;
  };
  bool headers_ok = add_header("Content-Type: application/json") && add_header("Expect:");
  for (const auto& [name, value] : request.headers) {
    if (!is_sendable_header(name, value))
      return transport_failure(
          "request not sent: a header name or value would break the header block");
    // "Name:" alone would tell libcurl to drop the header; "Name;" sends it empty.
    headers_ok = headers_ok && add_header(value.empty() ? name + ";" : name + ": " + value);
  }
  if (!headers_ok) return transport_failure("request not sent: out of memory for its headers");

  const std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return transport_failure("request not sent: libcurl could not make a handle");

  char error_buffer[CURL_ERROR_SIZE] = {};
  BodySink sink;
  sink.keep = options.max_response_bytes == std::numeric_limits<size_t>::max()
                  ? options.max_response_bytes
                  : options.max_response_bytes + 1;
  const std::string user_agent = std::string(kToolName) + "/" + std::string(tool_version());

  CURLcode setup = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (setup == CURLE_OK) setup = curl_easy_setopt(easy.get(), option, value);
  };
  set(CURLOPT_ERRORBUFFER, error_buffer);
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_DEFAULT_PROTOCOL, "https");
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_POST, 1L);
  set(CURLOPT_POSTFIELDS, request.body.data());
  set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  set(CURLOPT_HTTPHEADER, headers.get());
  set(CURLOPT_USERAGENT, user_agent.c_str());
  // For libcurl 0 means "no limit": a zero or negative option is the shortest limit instead.
  set(CURLOPT_CONNECTTIMEOUT_MS, std::max<long>(1, options.connect_timeout.count()));
  set(CURLOPT_TIMEOUT_MS, std::max<long>(1, options.timeout.count()));
  set(CURLOPT_WRITEFUNCTION, write_body);
  set(CURLOPT_WRITEDATA, &sink);
  if (setup != CURLE_OK)
    return transport_failure(std::string("request not sent: ") + curl_easy_strerror(setup));

  const CURLcode result = curl_easy_perform(easy.get());
  if (result != CURLE_OK && !(result == CURLE_WRITE_ERROR && sink.cut)) {
    long os_errno = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_OS_ERRNO, &os_errno);
    return transport_failure(describe_transport_error(result, error_buffer, os_errno, request.url));
  }

  long status = 0;
  curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status <= 0) return transport_failure("the answer had no HTTP status");
  HttpResponse response;
  response.status = static_cast<int>(status);
  response.body = std::move(sink.body);
  cut_at_utf8_boundary(response.body, options.max_response_bytes);
  curl_header* retry_after = nullptr;
  if (curl_easy_header(easy.get(), "Retry-After", 0, CURLH_HEADER, -1, &retry_after) == CURLHE_OK)
    response.retry_after = parse_retry_after(retry_after->value, std::chrono::system_clock::now());
  return response;
}

}  // namespace slowscope
