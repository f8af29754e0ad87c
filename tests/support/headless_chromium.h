// Test support: a real headless Chromium driven over the Chrome DevTools Protocol, for tests
// of pages the way a reader's browser sees them — console errors, network requests, clicks,
// reading with scripts off, the browser's own load timing, screenshots, injected markup.
//
// The browser is /usr/bin/chromium (scripts/test installs it), started with
// --remote-debugging-pipe: it reads commands on its fd 3 and writes replies and events on its
// fd 4, each message a JSON text ended by a NUL byte — no websocket, no port. Its profile,
// TMPDIR and HOME are a temporary folder removed with the object, and its helper processes
// share its process group, which is killed as a whole at the end: a run leaves no process
// and no file behind. Background networking is off: on a closed network Chromium would
// otherwise keep trying to reach Google services.
//
// Failures never hang and never skip: a browser that cannot start leaves ok() false with
// error() saying why (the test must fail on it). Every wait has a deadline
// (ChromiumOptions::timeout). A timeout, a closed pipe or a malformed message means the
// browser is broken: it is killed and reaped, error() is set, and the call throws
// std::runtime_error with the tail of Chromium's standard error; every later call throws the
// same. Errors of the page itself (an exception in evaluated code, a selector that matches
// nothing, a command the protocol refuses) throw std::runtime_error and keep the browser.
//
// Artifacts such as screenshots go to test_artifacts_dir(): $SLOWSCOPE_TEST_ARTIFACTS when it
// is set, else test-artifacts/ in the build directory.
//
// Not thread-safe: one thread drives a browser and its pages. A Page must not outlive the
// HeadlessChromium that opened it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace slowscope::testing {

// The folder tests keep artifacts in (created if missing): $SLOWSCOPE_TEST_ARTIFACTS, else
// <build dir>/test-artifacts.
std::filesystem::path test_artifacts_dir();

struct ChromiumOptions {
  std::string executable = "/usr/bin/chromium";
  // The longest any single wait may take: start-up, a command's reply, a page's load event.
  std::chrono::milliseconds timeout{10'000};
};

struct PageOptions {
  // false: the page's own scripts do not run (Emulation.setScriptExecutionDisabled); evaluate()
  // and the helpers built on it still work, as DevTools' own evaluation is not a page script.
  bool javascript = true;
};

enum class ColorScheme { kLight, kDark };

class HeadlessChromium;

// One tab with a loaded page, attached through its own DevTools session. Closes the tab when
// destroyed.
class Page {
 public:
  Page(Page&& other) noexcept;
  Page& operator=(Page&& other) noexcept;
  Page(const Page&) = delete;
  Page& operator=(const Page&) = delete;
  ~Page();

  // The file:// URL the page was loaded from.
  const std::string& url() const { return url_; }

  // Evaluates `expression` in the page, awaiting a promise; returns its value as JSON (null for
  // undefined; NaN, Infinity and bigints as their text). Throws when the expression throws.
  nlohmann::json evaluate(const std::string& expression);

  // Whether an element matches `css_selector`.
  bool exists(const std::string& css_selector);
  // The textContent of the first element matching `css_selector`; throws when none does.
  std::string text(const std::string& css_selector);
  // Clicks the first element matching `css_selector` (element.click()); throws when none does.
  void click(const std::string& css_selector);

  // Console errors so far, one line each: console.error and failed console.assert calls,
  // uncaught exceptions and rejections, and the browser's own error log entries (a failed
  // resource load, a blocked request).
  std::vector<std::string> console_errors();
  // URLs the page requested so far, other than its own URL and data: URLs.
  std::vector<std::string> requests();
  // JavaScript dialogs (alert, confirm, prompt, beforeunload) opened so far, as
  // "type: message"; each was dismissed at once, so a dialog never blocks the page. With
  // exists(), what tells that injected markup ran no script: the usual payload is an alert.
  std::vector<std::string> dialogs();

  // When the document became interactive, in milliseconds since navigation started, by the
  // browser's own clock (PerformanceNavigationTiming.domInteractive).
  double dom_interactive_ms();

  // Lays the page out for a screen of width x height CSS pixels at scale 1; `mobile` also
  // emulates a phone's viewport handling (meta viewport, overlay scrollbars).
  void set_viewport(int width, int height, bool mobile);
  // Answers the prefers-color-scheme media query with `scheme` from now on.
  void emulate_color_scheme(ColorScheme scheme);
  // Writes a PNG of the whole page (beyond the viewport) to `png_path`, creating its folder.
  void screenshot(const std::filesystem::path& png_path);

 private:
  friend class HeadlessChromium;
  Page(HeadlessChromium* browser, std::string target_id, std::string session_id, std::string url);
  // Makes sure every event the page sent before this call has been read.
  void settle();
  nlohmann::json call(const std::string& method, nlohmann::json params = nlohmann::json::object());
  void close() noexcept;

  HeadlessChromium* browser_ = nullptr;
  std::string target_id_;
  std::string session_id_;
  std::string url_;
};

// One headless Chromium process and the DevTools pipe to it.
class HeadlessChromium {
 public:
  // Starts the browser and waits until it answers; on failure ok() is false.
  HeadlessChromium() : HeadlessChromium(ChromiumOptions{}) {}
  explicit HeadlessChromium(ChromiumOptions options);
  // Kills the browser and its helpers, reaps it and removes its temporary folder.
  ~HeadlessChromium();
  HeadlessChromium(const HeadlessChromium&) = delete;
  HeadlessChromium& operator=(const HeadlessChromium&) = delete;

  // Whether the browser runs: false when it could not start or broke (see error()).
  bool ok() const { return error_.empty(); }
  // Why the browser is not running, with the tail of Chromium's standard error; empty if it is.
  const std::string& error() const { return error_; }
  // The folder holding the profile, TMPDIR, HOME and Chromium's stderr; removed with the object.
  const std::filesystem::path& temp_dir() const { return dir_; }
  // Sets the deadline of every later wait (see ChromiumOptions::timeout).
  void set_timeout(std::chrono::milliseconds timeout) { options_.timeout = timeout; }

  // Opens `html_file` in a new tab and returns once its load event fired. Throws when the file
  // does not exist or the browser cannot load it.
  Page open(const std::filesystem::path& html_file, PageOptions options = {});

 private:
  friend class Page;

  // What the events of one DevTools session told so far.
  struct PageEvents {
    std::vector<std::string> console_errors;
    std::vector<std::string> requests;
    std::vector<std::string> dialogs;
    std::string committed_loader;  // loaderId of the last main-frame document committed
    int loads_since_commit = 0;
  };

  void start();
  // Sends a command (to the browser, or to a page when `session_id` is set) and returns the
  // result of its reply; throws on an error reply.
  nlohmann::json call(const std::string& method, nlohmann::json params,
                      const std::string& session_id = "");
  // Sends a command whose reply nobody waits for.
  int send(const std::string& method, nlohmann::json params, const std::string& session_id);
  // Reads and handles messages until `done` holds; fails the browser at the deadline.
  template <typename Done>
  void read_until(Done done, const std::string& waiting_for);
  void handle(const nlohmann::json& message);
  // Kills and reaps the browser, sets error() to `what` and Chromium's stderr, and throws it.
  [[noreturn]] void fail(const std::string& what);
  void require_running() const;
  // Kills the browser's process group (the browser and its helpers) and reaps the browser;
  // the helpers, children of the browser, are reaped by init. Returns how the browser had
  // ended when it ended by itself, else "".
  std::string stop() noexcept;
  std::string stderr_tail() const;

  ChromiumOptions options_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int to_browser_ = -1;    // our end of the browser's fd 3
  int from_browser_ = -1;  // our end of the browser's fd 4
  std::string inbox_;      // bytes read from the browser, not yet a whole message
  int last_id_ = 0;
  int awaited_id_ = 0;
  std::optional<nlohmann::json> awaited_reply_;
  std::map<std::string, PageEvents> pages_;  // by session id
  std::string error_;
};

}  // namespace slowscope::testing
