#include "tests/support/headless_chromium.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

extern char** environ;

namespace slowscope::testing {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kStderrTailBytes = 3000;

// `fd` moved to a number of 10 or more, close-on-exec: in the child, dup2() onto 0-4 can then
// not overwrite a descriptor still to be duplicated.
int high_fd(int fd) {
  if (fd < 0) return fd;
  const int moved = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  close(fd);
  return moved;
}

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// A file path as a file:// URL: bytes other than unreserved characters and '/' are
// percent-encoded.
std::string file_url(const std::filesystem::path& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string url = "file://";
  for (const unsigned char c : path.string()) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

// object[key], or null when `object` is no object or lacks the key (operator[] on a const json
// must not be given a missing key).
const json& field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto found = object.find(key);
  return found == object.end() ? kNull : *found;
}

std::string text_of(const json& value) {
  return value.is_string() ? value.get<std::string>() : std::string();
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// " (url:line)" for a place in the page's sources, empty when the browser gave none.
std::string location(const std::string& url, const json& zero_based_line) {
  if (url.empty()) return "";
  std::string text = " (" + url;
  if (zero_based_line.is_number_integer()) {
    text += ":" + std::to_string(zero_based_line.get<long>() + 1);
  }
  return text + ")";
}

// A Runtime.RemoteObject as console.log would print it, roughly.
std::string remote_object_text(const json& object) {
  if (object.contains("value")) {
    const json& value = field(object, "value");
    return value.is_string() ? value.get<std::string>() : value.dump();
  }
  if (object.contains("unserializableValue")) return text_of(object["unserializableValue"]);
  if (object.contains("description")) return first_line(text_of(object["description"]));
  return text_of(field(object, "type"));
}

// Runtime.ExceptionDetails as one line: "Uncaught Error: message".
std::string exception_text(const json& details) {
  std::string text = text_of(field(details, "text"));
  if (details.contains("exception")) {
    const std::string thrown = remote_object_text(field(details, "exception"));
    if (text.find(thrown) == std::string::npos) text += (text.empty() ? "" : " ") + thrown;
  }
  return text;
}

std::string decode_base64(const std::string& text) {
  if (text.size() % 4 != 0) throw std::runtime_error("screenshot data is not base64");
  std::string bytes(text.size() / 4 * 3, '\0');
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (decoded < 0) throw std::runtime_error("screenshot data is not base64");
  // EVP_DecodeBlock counts the padding as zero bytes.
  size_t padding = 0;
  for (auto c = text.rbegin(); c != text.rend() && *c == '=' && padding < 2; ++c) ++padding;
  bytes.resize(static_cast<size_t>(decoded) - padding);
  return bytes;
}

// write() that cannot raise SIGPIPE when the browser is gone: the signal is blocked for the
// call and a pending one is consumed, so the test process is not killed by it.
ssize_t write_without_sigpipe(int fd, const char* data, size_t size) {
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  const ssize_t written = write(fd, data, size);
  const int saved_errno = errno;
  if (written < 0 && saved_errno == EPIPE) {
    const timespec no_wait{};
    sigtimedwait(&pipe_signal, nullptr, &no_wait);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = saved_errno;
  return written;
}

int remaining_ms(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
}

}  // namespace

std::filesystem::path test_artifacts_dir() {
  const char* configured = std::getenv("SLOWSCOPE_TEST_ARTIFACTS");
  std::filesystem::path dir = configured != nullptr && *configured != '\0'
                                  ? std::filesystem::path(configured)
                                  : std::filesystem::path(SLOWSCOPE_TEST_ARTIFACTS_DEFAULT);
  std::filesystem::create_directories(dir);
  return dir;
}

// ---- HeadlessChromium ----

HeadlessChromium::HeadlessChromium(ChromiumOptions options) : options_(std::move(options)) {
  try {
    start();
  } catch (const std::exception& e) {
    if (error_.empty()) error_ = e.what();
    stop();
  }
}

HeadlessChromium::~HeadlessChromium() {
  stop();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

void HeadlessChromium::start() {
  if (access(options_.executable.c_str(), X_OK) != 0) {
    throw std::runtime_error("headless Chromium: " + options_.executable +
                             " is missing or not executable (apt-get install chromium; "
                             "scripts/test installs it)");
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "slowscope-chromium-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error(errno_text("mkdtemp"));
  dir_ = pattern;

  // Everything the child needs is built before fork(): after it, only async-signal-safe calls.
  const std::vector<std::string> args = {
      options_.executable,
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      // Without these Chromium keeps connecting to Google services on its own, refused on a
      // closed network.
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--remote-debugging-pipe",
      "--user-data-dir=" + (dir_ / "profile").string(),
  };
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const std::string_view name = variable.substr(0, variable.find('='));
    if (name == "HOME" || name == "TMPDIR" || name.starts_with("XDG_")) continue;
    environment.emplace_back(variable);
  }
  // Chromium writes caches, an NSS database and shared-memory files under these.
  environment.push_back("HOME=" + dir_.string());
  environment.push_back("TMPDIR=" + dir_.string());
  std::vector<char*> argv, envp;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const auto& variable : environment) envp.push_back(const_cast<char*>(variable.c_str()));
  envp.push_back(nullptr);

  int commands[2], replies[2];
  if (pipe2(commands, O_CLOEXEC) != 0 || pipe2(replies, O_CLOEXEC) != 0) {
    throw std::runtime_error(errno_text("pipe2"));
  }
  const int child_reads = high_fd(commands[0]);
  to_browser_ = high_fd(commands[1]);
  from_browser_ = high_fd(replies[0]);
  const int child_writes = high_fd(replies[1]);
  const int null_input = high_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  const int log =
      high_fd(::open((dir_ / "chromium.stderr").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  // The child's ends, closed here once it has them (to_browser_ and from_browser_ by stop()).
  const auto close_child_ends = [&] {
    for (const int fd : {child_reads, child_writes, null_input, log}) {
      if (fd >= 0) close(fd);
    }
  };
  if (child_reads < 0 || to_browser_ < 0 || from_browser_ < 0 || child_writes < 0 ||
      null_input < 0 || log < 0) {
    const std::string reason = errno_text("cannot set up the browser's pipes");
    close_child_ends();
    throw std::runtime_error(reason);
  }
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // Dies with the test process, even a crashed one; its own process group lets stop() reach
    // the helpers it forks.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    setpgid(0, 0);
    if (dup2(null_input, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0 ||
        dup2(child_reads, 3) < 0 || dup2(child_writes, 4) < 0) {
      _exit(127);
    }
    close_range(5, ~0U, 0);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  const int fork_errno = errno;
  close_child_ends();
  if (pid_ < 0) {
    errno = fork_errno;
    throw std::runtime_error(errno_text("fork"));
  }
  // Writes wait in poll(), so that a browser that stops reading cannot block a test.
  fcntl(to_browser_, F_SETFL, fcntl(to_browser_, F_GETFL) | O_NONBLOCK);

  // The first reply tells that the browser runs and reads its pipe.
  call("Browser.getVersion", json::object());
}

void HeadlessChromium::require_running() const {
  if (!ok()) throw std::runtime_error("headless Chromium is not running: " + error_);
}

int HeadlessChromium::send(const std::string& method, json params, const std::string& session_id) {
  require_running();
  const int id = ++last_id_;
  json message = {{"id", id}, {"method", method}, {"params", std::move(params)}};
  if (!session_id.empty()) message["sessionId"] = session_id;
  std::string text = message.dump();
  text.push_back('\0');
  const auto deadline = Clock::now() + options_.timeout;
  size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t n = write_without_sigpipe(to_browser_, text.data() + sent, text.size() - sent);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) fail(errno_text("cannot send " + method));
    pollfd writable{to_browser_, POLLOUT, 0};
    if (poll(&writable, 1, remaining_ms(deadline)) == 0) {
      fail("timed out after " + std::to_string(options_.timeout.count()) + " ms sending " + method +
           ": the browser does not read its pipe");
    }
  }
  return id;
}

json HeadlessChromium::call(const std::string& method, json params, const std::string& session_id) {
  awaited_id_ = send(method, std::move(params), session_id);
  awaited_reply_.reset();
  read_until([this] { return awaited_reply_.has_value(); }, "the reply to " + method);
  json reply = std::move(*awaited_reply_);
  awaited_reply_.reset();
  awaited_id_ = 0;
  if (reply.contains("error")) {
    const json& error = field(reply, "error");
    const std::string message = text_of(field(error, "message"));
    throw std::runtime_error(method + " failed: " + (message.empty() ? error.dump() : message));
  }
  return reply.contains("result") ? reply["result"] : json::object();
}

template <typename Done>
void HeadlessChromium::read_until(Done done, const std::string& waiting_for) {
  const auto deadline = Clock::now() + options_.timeout;
  size_t searched = 0;  // inbox_ holds no NUL before this: a screenshot comes in many reads
  while (true) {
    size_t end;
    while ((end = inbox_.find('\0', searched)) != std::string::npos) {
      searched = 0;
      json message;
      try {
        message = json::parse(inbox_.begin(), inbox_.begin() + static_cast<long>(end));
      } catch (const json::parse_error& e) {
        fail("malformed message from the browser (" + std::string(e.what()) +
             "): " + inbox_.substr(0, std::min<size_t>(end, 200)));
      }
      inbox_.erase(0, end + 1);
      handle(message);
    }
    searched = inbox_.size();
    if (done()) return;
    pollfd readable{from_browser_, POLLIN, 0};
    const int ready = poll(&readable, 1, remaining_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) fail(errno_text("poll"));
    if (ready == 0) {
      fail("timed out after " + std::to_string(options_.timeout.count()) + " ms waiting for " +
           waiting_for);
    }
    char buffer[65536];
    const ssize_t n = read(from_browser_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) fail(errno_text("cannot read the browser's pipe"));
    if (n == 0) fail("the browser closed its DevTools pipe while we waited for " + waiting_for);
    inbox_.append(buffer, static_cast<size_t>(n));
  }
}

void HeadlessChromium::handle(const json& message) {
  if (message.contains("id")) {
    // Replies to commands sent with send() alone (dialog dismissals) are dropped.
    if (message["id"] == awaited_id_) awaited_reply_ = message;
    return;
  }
  const std::string method = text_of(field(message, "method"));
  const auto page = pages_.find(text_of(field(message, "sessionId")));
  if (page == pages_.end()) return;
  PageEvents& events = page->second;
  const json& params = field(message, "params");

  if (method == "Runtime.consoleAPICalled") {
    const std::string type = params.value("type", "");
    if (type != "error" && type != "assert") return;
    std::string line = "console." + type + ":";
    for (const json& arg : params.value("args", json::array())) {
      line += " " + remote_object_text(arg);
    }
    const json& frames = field(field(params, "stackTrace"), "callFrames");
    if (frames.is_array() && !frames.empty()) {
      line += location(text_of(field(frames[0], "url")), field(frames[0], "lineNumber"));
    }
    events.console_errors.push_back(line);
  } else if (method == "Runtime.exceptionThrown") {
    const json& details = field(params, "exceptionDetails");
    events.console_errors.push_back(
        "uncaught exception: " + exception_text(details) +
        location(text_of(field(details, "url")), field(details, "lineNumber")));
  } else if (method == "Log.entryAdded") {
    const json& entry = field(params, "entry");
    if (text_of(field(entry, "level")) != "error") return;
    events.console_errors.push_back(
        text_of(field(entry, "source")) + " error: " + text_of(field(entry, "text")) +
        location(text_of(field(entry, "url")), field(entry, "lineNumber")));
  } else if (method == "Network.requestWillBeSent") {
    events.requests.push_back(text_of(field(field(params, "request"), "url")));
  } else if (method == "Page.javascriptDialogOpening") {
    events.dialogs.push_back(text_of(field(params, "type")) + ": " +
                             text_of(field(params, "message")));
    // An open dialog stops the page's scripts and its event loop: dismiss it right away.
    send("Page.handleJavaScriptDialog", {{"accept", false}}, page->first);
  } else if (method == "Page.frameNavigated") {
    const json& frame = field(params, "frame");
    if (frame.contains("parentId")) return;  // an iframe
    events.committed_loader = text_of(field(frame, "loaderId"));
    events.loads_since_commit = 0;
  } else if (method == "Page.loadEventFired") {
    ++events.loads_since_commit;
  }
}

void HeadlessChromium::fail(const std::string& what) {
  const std::string ending = stop();
  error_ =
      "headless Chromium: " + what + (ending.empty() ? "" : "; " + ending) + "\n" + stderr_tail();
  throw std::runtime_error(error_);
}

std::string HeadlessChromium::stderr_tail() const {
  // Chromium logs a few lines a second about the D-Bus that test machines lack; they would
  // push out what tells why it failed.
  std::ifstream in(dir_ / "chromium.stderr");
  std::vector<std::string> lines;
  size_t bus_lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find(":ERROR:dbus/") != std::string::npos) {
      ++bus_lines;
    } else {
      lines.push_back(std::move(line));
    }
  }
  std::string tail;
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    if (tail.size() + line->size() + 1 > kStderrTailBytes) break;
    tail.insert(0, *line + "\n");
  }
  return "Chromium's stderr (last lines; " + std::to_string(bus_lines) +
         " lines about D-Bus left out):\n" + tail;
}

std::string HeadlessChromium::stop() noexcept {
  std::string ending;
  if (pid_ > 0) {
    siginfo_t info{};
    // WNOWAIT: an exited browser stays a zombie, so its pid, which is also its process group
    // id, cannot be reused before the group is signalled.
    if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_) {
      ending = info.si_code == CLD_EXITED
                   ? "the browser had exited with status " + std::to_string(info.si_status)
                   : "the browser had been killed by signal " + std::to_string(info.si_status);
    }
    // The profile and every file the browser wrote are thrown away, so nothing needs a clean
    // shutdown, which takes Chromium half a second.
    kill(-pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
  for (int* fd : {&to_browser_, &from_browser_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
  return ending;
}

Page HeadlessChromium::open(const std::filesystem::path& html_file, PageOptions options) {
  require_running();
  std::error_code error;
  const std::filesystem::path path = std::filesystem::canonical(html_file, error);
  if (error || !std::filesystem::is_regular_file(path)) {
    throw std::runtime_error("cannot open " + html_file.string() + " in the browser: no such file");
  }
  const std::string url = file_url(path);
  const std::string target_id =
      text_of(field(call("Target.createTarget", {{"url", "about:blank"}}), "targetId"));
  const std::string session_id = text_of(field(
      call("Target.attachToTarget", {{"targetId", target_id}, {"flatten", true}}), "sessionId"));
  if (target_id.empty() || session_id.empty()) {
    throw std::runtime_error("the browser gave no tab to open " + url + " in");
  }
  pages_[session_id] = {};
  Page page(this, target_id, session_id, url);  // from here on, the tab is closed on failure
  for (const char* domain : {"Runtime", "Log", "Network", "Page"}) {
    page.call(std::string(domain) + ".enable");
  }
  if (!options.javascript) page.call("Emulation.setScriptExecutionDisabled", {{"value", true}});
  const json navigation = page.call("Page.navigate", {{"url", url}});
  if (navigation.contains("errorText")) {
    throw std::runtime_error("cannot load " + url + ": " + text_of(field(navigation, "errorText")));
  }
  // Waits for the load event of this navigation's document, not that of about:blank.
  const std::string loader = navigation.value("loaderId", "");
  const PageEvents& events = pages_.at(session_id);
  read_until([&] { return events.committed_loader == loader && events.loads_since_commit > 0; },
             "the load event of " + url);
  return page;
}

// ---- Page ----

Page::Page(HeadlessChromium* browser, std::string target_id, std::string session_id,
           std::string url)
    : browser_(browser),
      target_id_(std::move(target_id)),
      session_id_(std::move(session_id)),
      url_(std::move(url)) {}

Page::Page(Page&& other) noexcept
    : browser_(std::exchange(other.browser_, nullptr)),
      target_id_(std::move(other.target_id_)),
      session_id_(std::move(other.session_id_)),
      url_(std::move(other.url_)) {}

Page& Page::operator=(Page&& other) noexcept {
  if (this != &other) {
    close();
    browser_ = std::exchange(other.browser_, nullptr);
    target_id_ = std::move(other.target_id_);
    session_id_ = std::move(other.session_id_);
    url_ = std::move(other.url_);
  }
  return *this;
}

Page::~Page() {
  close();
}

void Page::close() noexcept {
  if (browser_ == nullptr) return;
  if (browser_->ok()) {
    try {
      browser_->call("Target.closeTarget", {{"targetId", target_id_}});
    } catch (const std::exception&) {
      // The browser is broken or the tab gone; nothing left to close.
    }
  }
  browser_->pages_.erase(session_id_);
  browser_ = nullptr;
}

json Page::call(const std::string& method, json params) {
  if (browser_ == nullptr) throw std::runtime_error(method + " on a closed page");
  return browser_->call(method, std::move(params), session_id_);
}

json Page::evaluate(const std::string& expression) {
  const json reply =
      call("Runtime.evaluate",
           {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
  if (reply.contains("exceptionDetails")) {
    throw std::runtime_error("JavaScript in " + url_ + " threw " +
                             exception_text(field(reply, "exceptionDetails")) +
                             "; evaluating: " + expression.substr(0, 300));
  }
  const json& result = field(reply, "result");
  if (result.contains("value")) return field(result, "value");
  if (result.contains("unserializableValue")) return field(result, "unserializableValue");
  return nullptr;
}

bool Page::exists(const std::string& css_selector) {
  return evaluate("document.querySelector(" + json(css_selector).dump() + ") !== null").get<bool>();
}

std::string Page::text(const std::string& css_selector) {
  const std::string selector = json(css_selector).dump();
  return evaluate("(() => { const e = document.querySelector(" + selector +
                  "); if (e === null) throw new Error('no element matches ' + " + selector +
                  "); return e.textContent; })()")
      .get<std::string>();
}

void Page::click(const std::string& css_selector) {
  const std::string selector = json(css_selector).dump();
  evaluate("(() => { const e = document.querySelector(" + selector +
           "); if (e === null) throw new Error('no element matches ' + " + selector +
           "); e.click(); })()");
}

void Page::settle() {
  // The reply comes after every event the page's renderer sent before it.
  call("Runtime.evaluate", {{"expression", "0"}});
}

std::vector<std::string> Page::console_errors() {
  settle();
  return browser_->pages_.at(session_id_).console_errors;
}

std::vector<std::string> Page::requests() {
  settle();
  std::vector<std::string> others;
  for (const std::string& url : browser_->pages_.at(session_id_).requests) {
    if (url != url_ && !url.starts_with("data:")) others.push_back(url);
  }
  return others;
}

std::vector<std::string> Page::dialogs() {
  settle();
  return browser_->pages_.at(session_id_).dialogs;
}

double Page::dom_interactive_ms() {
  const json value = evaluate("performance.getEntriesByType('navigation')[0].domInteractive");
  if (!value.is_number()) {
    throw std::runtime_error("no navigation timing for " + url_ + ": " + value.dump());
  }
  return value.get<double>();
}

void Page::set_viewport(int width, int height, bool mobile) {
  call("Emulation.setDeviceMetricsOverride",
       {{"width", width}, {"height", height}, {"deviceScaleFactor", 1}, {"mobile", mobile}});
}

void Page::emulate_color_scheme(ColorScheme scheme) {
  const char* value = scheme == ColorScheme::kDark ? "dark" : "light";
  call("Emulation.setEmulatedMedia",
       {{"features", json::array({{{"name", "prefers-color-scheme"}, {"value", value}}})}});
}

void Page::screenshot(const std::filesystem::path& png_path) {
  // The content's size, so that the picture holds the whole page and not just the viewport.
  const json metrics = call("Page.getLayoutMetrics");
  const json& size = field(metrics, "cssContentSize");
  const auto extent = [&](const char* key) {
    const json& value = field(size, key);
    return std::max(1.0, value.is_number() ? value.get<double>() : 1.0);
  };
  const json clip = {
      {"x", 0}, {"y", 0}, {"width", extent("width")}, {"height", extent("height")}, {"scale", 1}};
  const json shot = call("Page.captureScreenshot",
                         {{"format", "png"}, {"captureBeyondViewport", true}, {"clip", clip}});
  const std::string png = decode_base64(text_of(field(shot, "data")));
  if (png_path.has_parent_path()) std::filesystem::create_directories(png_path.parent_path());
  std::ofstream out(png_path, std::ios::binary | std::ios::trunc);
  out.write(png.data(), static_cast<std::streamsize>(png.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write the screenshot " + png_path.string());
}

}  // namespace slowscope::testing
