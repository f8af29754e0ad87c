// The headless Chromium harness against a real browser: small pages written for each test,
// one browser shared by the tests of the suite. A missing /usr/bin/chromium fails every
// test: scripts/test installs it.
#include "tests/support/headless_chromium.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace slowscope::testing {
namespace {

// The ids of this process's live children (and unreaped zombies), from /proc. Tests compare
// them with the children from before they started: the binary's other suites keep database
// servers' keeper shells running as children.
std::vector<std::string> child_processes() {
  std::vector<std::string> children;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream in(task.path() / "children");
    std::string pid;
    while (in >> pid) children.push_back(pid);
  }
  return children;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A PNG's width and height from its IHDR chunk, which always comes first.
std::pair<unsigned, unsigned> png_size(const std::string& png) {
  const auto big_endian = [&](size_t at) {
    unsigned value = 0;
    for (size_t i = at; i < at + 4; ++i) value = value << 8 | static_cast<unsigned char>(png[i]);
    return value;
  };
  return {big_endian(16), big_endian(20)};
}

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in:\n" << text;
}

bool contains_line_with(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line.find(part) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

class HeadlessChromiumTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string pattern = (std::filesystem::temp_directory_path() / "slowscope-html-XXXXXX");
    pages_dir_ = ::mkdtemp(pattern.data());
  }
  static void TearDownTestSuite() {
    browser_.reset();
    std::filesystem::remove_all(pages_dir_);
  }

  void SetUp() override {
    // A browser broken by an earlier test is replaced, so that one failure stays one.
    if (browser_ == nullptr || !browser_->ok()) browser_ = std::make_unique<HeadlessChromium>();
    ASSERT_TRUE(browser_->ok()) << browser_->error();
  }

  static HeadlessChromium& browser() { return *browser_; }

  // Writes `body` inside a minimal HTML document; returns its path.
  static std::filesystem::path write_page(const std::string& name, const std::string& body) {
    const auto path = pages_dir_ / name;
    std::ofstream(path) << "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
                        << "<meta name=\"viewport\" content=\"width=device-width\">"
                        << "<title>" << name << "</title></head>\n<body>\n"
                        << body << "\n</body></html>\n";
    return path;
  }

  static inline std::unique_ptr<HeadlessChromium> browser_;
  static inline std::filesystem::path pages_dir_;
};

TEST_F(HeadlessChromiumTest, ReportsConsoleErrorsAndUncaughtExceptions) {
  Page page = browser().open(write_page("errors.html", R"html(
<script>
  console.log('just a log line');
  console.warn('just a warning');
  console.error('report broke', 42);
  console.assert(1 === 2, 'an invariant');
  throw new Error('uncaught boom');
</script>)html"));
  const auto errors = page.console_errors();
  EXPECT_EQ(errors.size(), 3u) << joined(errors);
  EXPECT_TRUE(contains_line_with(errors, "console.error: report broke 42")) << joined(errors);
  EXPECT_TRUE(contains_line_with(errors, "console.assert: an invariant")) << joined(errors);
  EXPECT_TRUE(contains_line_with(errors, "uncaught exception: Uncaught Error: uncaught boom"))
      << joined(errors);
  EXPECT_TRUE(contains_line_with(errors, "errors.html:10")) << joined(errors);  // where it threw
}

TEST_F(HeadlessChromiumTest, CleanPageHasNoConsoleErrorsNoRequestsNoDialogs) {
  Page page = browser().open(write_page("clean.html", R"html(
<p id="greeting">hello</p>
<img alt="inline" src="data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAA=">
<script>document.getElementById('greeting').textContent += ', world';</script>)html"));
  EXPECT_EQ(page.text("#greeting"), "hello, world");
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{});
  EXPECT_EQ(page.requests(), std::vector<std::string>{});
  EXPECT_EQ(page.dialogs(), std::vector<std::string>{});
}

TEST_F(HeadlessChromiumTest, ReportsRequestsToOtherUrls) {
  Page page = browser().open(write_page("request.html", R"html(
<p>an image from elsewhere</p>
<img alt="remote" src="http://127.0.0.1:9/x.png">)html"));
  EXPECT_EQ(page.requests(), std::vector<std::string>{"http://127.0.0.1:9/x.png"});
  // The failed load is also a browser error in the console.
  EXPECT_TRUE(contains_line_with(page.console_errors(), "http://127.0.0.1:9/x.png"))
      << joined(page.console_errors());
}

TEST_F(HeadlessChromiumTest, EvaluateReturnsValues) {
  Page page = browser().open(write_page("values.html", "<p>values</p>"));
  EXPECT_EQ(page.evaluate("6 * 7"), 42);
  EXPECT_EQ(page.evaluate("'a' + 'b'"), "ab");
  EXPECT_EQ(page.evaluate("[1, 'two', true, null]"),
            nlohmann::json::array({1, "two", true, nullptr}));
  EXPECT_EQ(page.evaluate("({rows: 3, name: 'x'})"), (nlohmann::json{{"rows", 3}, {"name", "x"}}));
  EXPECT_EQ(page.evaluate("undefined"), nullptr);
  EXPECT_EQ(page.evaluate("new Promise(done => setTimeout(() => done('later'), 10))"), "later");
  EXPECT_EQ(page.evaluate("document.title"), "values.html");
}

TEST_F(HeadlessChromiumTest, EvaluateThrowsWhatThePageThrewAndTheBrowserStays) {
  Page page = browser().open(write_page("throws.html", "<p id='here'>here</p>"));
  try {
    page.evaluate("throw new Error('boom in the test')");
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(Contains(e.what(), "Error: boom in the test"));
  }
  try {
    page.evaluate("Promise.reject(new Error('rejected'))");
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(Contains(e.what(), "rejected"));
  }
  try {
    page.click("#nowhere");
    ADD_FAILURE() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(Contains(e.what(), "no element matches #nowhere"));
  }
  EXPECT_THROW(page.text("#nowhere"), std::runtime_error);
  EXPECT_TRUE(browser().ok()) << browser().error();
  EXPECT_EQ(page.text("#here"), "here");
  // Exceptions of evaluated code are the caller's, not the page's console errors.
  EXPECT_EQ(page.console_errors(), std::vector<std::string>{});
}

TEST_F(HeadlessChromiumTest, ClickSortsATable) {
  Page page = browser().open(write_page("sort.html", R"html(
<table>
  <thead><tr><th id="by-name">name</th></tr></thead>
  <tbody><tr><td>carol</td></tr><tr><td>alice</td></tr><tr><td>bob</td></tr></tbody>
</table>
<script>
  document.getElementById('by-name').addEventListener('click', () => {
    const body = document.querySelector('tbody');
    [...body.rows].sort((a, b) => a.textContent.localeCompare(b.textContent))
                  .forEach(row => body.appendChild(row));
  });
</script>)html"));
  EXPECT_EQ(page.text("tbody"), "carolalicebob");
  page.click("#by-name");
  EXPECT_EQ(page.text("tbody"), "alicebobcarol");
  EXPECT_TRUE(page.exists("tbody tr:first-child"));
  EXPECT_FALSE(page.exists("tbody tr:nth-child(4)"));
}

TEST_F(HeadlessChromiumTest, WithJavascriptOffScriptsDoNotRunAndStaticContentIsThere) {
  const auto path = write_page("script.html", R"html(
<p id="static">readable without scripts</p>
<script>
  const added = document.createElement('p');
  added.id = 'added';
  document.body.appendChild(added);
</script>)html");
  Page without_scripts = browser().open(path, {.javascript = false});
  EXPECT_TRUE(without_scripts.exists("#static"));
  EXPECT_EQ(without_scripts.text("#static"), "readable without scripts");
  EXPECT_FALSE(without_scripts.exists("#added"));

  Page with_scripts = browser().open(path, {.javascript = true});
  EXPECT_TRUE(with_scripts.exists("#added"));
}

TEST_F(HeadlessChromiumTest, DialogsAreRecordedAndDismissed) {
  // What an injected script would do first; an open alert would stop the page.
  Page page = browser().open(write_page("dialog.html", R"html(
<p id="before">before</p>
<img alt="" src="data:," onerror="alert('injected')">
<script>
  window.addEventListener('load', () => {
    confirm('sure?');
    document.body.dataset.after = 'yes';
  });
</script>)html"));
  EXPECT_EQ(page.evaluate("document.body.dataset.after"), "yes");
  EXPECT_EQ(page.dialogs(), (std::vector<std::string>{"alert: injected", "confirm: sure?"}));
}

TEST_F(HeadlessChromiumTest, ScreenshotIsAPngOfTheWholePage) {
  Page page = browser().open(write_page("screenshot.html", R"html(
<div style="height: 2000px; background: linear-gradient(#fff, #36c)">a tall page</div>)html"));
  const auto path = test_artifacts_dir() / "headless_chromium" / "tall-page.png";
  std::filesystem::remove(path);
  page.screenshot(path);
  const std::string png = read_bytes(path);
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GE(png_size(png).second, 2000u);  // beyond the viewport

  page.set_viewport(390, 844, true);
  const auto phone = test_artifacts_dir() / "headless_chromium" / "tall-page-phone.png";
  page.screenshot(phone);
  const std::string phone_png = read_bytes(phone);
  ASSERT_GT(phone_png.size(), 24u);
  EXPECT_EQ(png_size(phone_png).first, 390u);
  EXPECT_EQ(page.evaluate("window.innerWidth"), 390);
}

TEST_F(HeadlessChromiumTest, DarkColorSchemeEmulation) {
  Page page = browser().open(write_page("dark.html", R"html(
<style>
  body { background: rgb(255, 255, 255); }
  @media (prefers-color-scheme: dark) { body { background: rgb(0, 0, 0); color: #ddd; } }
</style>
<p>theme</p>)html"));
  const std::string query = "matchMedia('(prefers-color-scheme: dark)').matches";
  const std::string background = "getComputedStyle(document.body).backgroundColor";
  page.emulate_color_scheme(ColorScheme::kLight);
  EXPECT_EQ(page.evaluate(query), false);
  EXPECT_EQ(page.evaluate(background), "rgb(255, 255, 255)");
  page.emulate_color_scheme(ColorScheme::kDark);
  EXPECT_EQ(page.evaluate(query), true);
  EXPECT_EQ(page.evaluate(background), "rgb(0, 0, 0)");
  page.screenshot(test_artifacts_dir() / "headless_chromium" / "dark.png");
}

TEST_F(HeadlessChromiumTest, DomInteractiveIsTheBrowsersOwnPositiveTiming) {
  Page page = browser().open(write_page("timing.html", "<p>timed</p>"));
  const double interactive = page.dom_interactive_ms();
  EXPECT_GT(interactive, 0.0);
  EXPECT_LE(interactive, page.evaluate("performance.now()").get<double>());
}

TEST_F(HeadlessChromiumTest, OpeningAMissingFileThrowsAndTheBrowserStays) {
  EXPECT_THROW(browser().open(pages_dir_ / "missing.html"), std::runtime_error);
  EXPECT_TRUE(browser().ok()) << browser().error();
}

TEST(HeadlessChromiumLifetimeTest, MissingBrowserFailsWithAClearMessage) {
  HeadlessChromium browser(ChromiumOptions{.executable = "/nonexistent/chromium"});
  EXPECT_FALSE(browser.ok());
  EXPECT_TRUE(Contains(browser.error(), "/nonexistent/chromium is missing"));
  EXPECT_THROW(browser.open("/dev/null"), std::runtime_error);
}

TEST(HeadlessChromiumLifetimeTest, TimeoutKillsTheBrowserAndLeavesNothingBehind) {
  const std::vector<std::string> children_before = child_processes();
  std::filesystem::path temp_dir;
  {
    HeadlessChromium browser;
    ASSERT_TRUE(browser.ok()) << browser.error();
    browser.set_timeout(std::chrono::milliseconds(1500));
    temp_dir = browser.temp_dir();
    EXPECT_GT(child_processes().size(), children_before.size());
    const auto page_path = temp_dir / "page.html";
    std::ofstream(page_path) << "<p>waits forever</p>";
    Page page = browser.open(page_path);
    try {
      page.evaluate("new Promise(() => {})");
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_TRUE(Contains(e.what(),
                           "timed out after 1500 ms waiting for the reply to "
                           "Runtime.evaluate"));
      EXPECT_TRUE(Contains(e.what(), "Chromium's stderr"));
    }
    EXPECT_FALSE(browser.ok());
    EXPECT_EQ(child_processes(), children_before);  // killed and reaped
    try {
      page.evaluate("1");
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_TRUE(Contains(e.what(), "not running"));
      EXPECT_TRUE(Contains(e.what(), "timed out"));
    }
  }
  EXPECT_FALSE(std::filesystem::exists(temp_dir));
}

TEST(HeadlessChromiumLifetimeTest, ClosingLeavesNoProcessAndNoTemporaryFolder) {
  const std::vector<std::string> children_before = child_processes();
  std::filesystem::path temp_dir;
  {
    HeadlessChromium browser;
    ASSERT_TRUE(browser.ok()) << browser.error();
    temp_dir = browser.temp_dir();
    const auto page_path = temp_dir / "page.html";
    std::ofstream(page_path) << "<p>short-lived</p>";
    Page page = browser.open(page_path);
    EXPECT_TRUE(page.exists("p"));
    EXPECT_TRUE(std::filesystem::exists(temp_dir / "profile"));
  }
  EXPECT_EQ(child_processes(), children_before);
  EXPECT_FALSE(std::filesystem::exists(temp_dir));
}

}  // namespace
}  // namespace slowscope::testing
