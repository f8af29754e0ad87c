// Log lines as log shippers and terminals get them: the JSON formatter (app/log_format.h)
// writes one object per line with an RFC 3339 UTC time, the level, the message escaped (a
// byte that is not UTF-8 replaced) and the target of the thread that logs; the binary takes
// --log-format before or after the command's name; and colour goes only to a colour
// terminal, never when NO_COLOR is set or standard error is a file.
#include "app/log_format.h"

#include <gtest/gtest.h>
#include <pty.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "tests/digest/digest_cli.h"

namespace slowscope {
namespace {

using testing::run_slowscope;
using testing::TempDir;

const std::regex kRfc3339Utc(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z)");

// The JSON objects of `text`, one per line; a line that is not one fails the test.
std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_TRUE(j.is_object()) << "not a JSON object: " << line;
    if (j.is_object()) lines.push_back(j);
  }
  return lines;
}

TEST(JsonLogFormat, WritesOneObjectPerLineWithTheTargetOfTheThread) {
  std::ostringstream out;
  spdlog::logger logger("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger.set_formatter(make_json_log_formatter());
  logger.set_level(spdlog::level::debug);
  logger.warn("plain");
  {
    const LogTarget db1("db1");
    logger.info("db1: collected");
    {
      const LogTarget db2("db2");
      logger.error("db2: failed");
    }
    logger.debug("db1 again");
    std::thread([&] { logger.info("another thread"); }).join();
  }
  logger.info("bad \xff byte, \"quotes\",\nand a second line\x1b[31m");
  const std::vector<nlohmann::json> lines = json_lines(out.str());
  ASSERT_EQ(lines.size(), 6u) << out.str();
  for (const nlohmann::json& line : lines) {
    EXPECT_TRUE(std::regex_match(line["time"].get<std::string>(), kRfc3339Utc)) << line;
  }
  // Time first, then level and message, for people reading the raw lines.
  std::istringstream raw(out.str());
  for (std::string line; std::getline(raw, line);) {
    EXPECT_EQ(line.rfind("{\"time\":\"", 0), 0u) << line;
    EXPECT_LT(line.find("\"level\":"), line.find("\"message\":")) << line;
  }
  EXPECT_EQ(lines[0]["level"], "warning");
  EXPECT_EQ(lines[0]["message"], "plain");
  EXPECT_FALSE(lines[0].contains("target"));
  EXPECT_EQ(lines[1]["target"], "db1");
  EXPECT_EQ(lines[1]["level"], "info");
  EXPECT_EQ(lines[2]["target"], "db2");
  EXPECT_EQ(lines[2]["level"], "error");
  EXPECT_EQ(lines[3]["target"], "db1");
  EXPECT_EQ(lines[3]["level"], "debug");
  EXPECT_FALSE(lines[4].contains("target")) << "another thread's line named this one's target";
  EXPECT_EQ(lines[5]["message"], "bad \xEF\xBF\xBD byte, \"quotes\",\nand a second line\x1b[31m");
  // The escape byte is escaped in the line itself: a terminal showing it stays unharmed.
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
  EXPECT_EQ(LogTarget::current(), nullptr);
}

TEST(LogFormatCli, JsonLinesBeforeOrAfterTheCommandsName) {
  TempDir dir;
  for (const std::string& args :
       {"--log-format json top --store sqlite:" + dir.file("none.db"),
        "top --store sqlite:" + dir.file("none.db") + " --log-format json"}) {
    const auto r = run_slowscope(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    const std::vector<nlohmann::json> lines = json_lines(r.err);
    ASSERT_FALSE(lines.empty()) << r.err;
    EXPECT_EQ(lines.back()["level"], "error");
    EXPECT_NE(lines.back()["message"].get<std::string>().find(dir.file("none.db")),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("slowscope: error:"), std::string::npos) << r.err;
  }
  // Text, as before.
  const auto text = run_slowscope("top --log-format text --store sqlite:" + dir.file("none.db"));
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_EQ(text.err.rfind("slowscope: error: ", 0), 0u) << text.err;
  EXPECT_EQ(run_slowscope("top --log-format xml").exit_code, 2);
  EXPECT_NE(run_slowscope("collect --help").out.find("--log-format FORMAT"), std::string::npos);
}

TEST(LogFormatCli, CollectsLinesNameTheirTarget) {
  TempDir dir;
  std::ofstream(dir.file("slowscope.yaml"))
      << "store: sqlite:" << dir.file("s.db") << "\ninterval: 1s\ntargets:\n"
      << "  - name: shop\n    engine: mysql\n    source: slow_log_file\n"
      << "    slow_log: " << dir.file("missing.log") << "\n";
  const auto r =
      run_slowscope("collect --once --log-format json --config " + dir.file("slowscope.yaml"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  bool run_wide = false, failed = false;
  for (const nlohmann::json& line : json_lines(r.err)) {
    const std::string message = line["message"];
    if (message.find("collecting 1 target(s)") != std::string::npos) {
      run_wide = true;
      EXPECT_FALSE(line.contains("target")) << line;
    }
    if (line["level"] == "error" && message.find("missing.log") != std::string::npos) {
      failed = true;
      EXPECT_EQ(line["target"], "shop") << line;
    }
  }
  EXPECT_TRUE(run_wide) << r.err;
  EXPECT_TRUE(failed) << r.err;
}

// Runs `env ENV slowscope ARGS` with a terminal as its standard error (and output), TERM
// saying the terminal has colours; returns what it wrote.
std::string on_colour_terminal(const std::string& env, const std::string& args) {
  int terminal = -1;
  const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid == 0) {
    const std::string command = "exec env -u NO_COLOR -u COLORTERM TERM=xterm " + env + " '" +
                                SLOWSCOPE_BINARY + "' " + args;
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string out;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the child has closed its side
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(terminal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

TEST(LogColour, OnlyOnAColourTerminalAndNeverWithNoColor) {
  TempDir dir;
  const std::string args = "top --store sqlite:" + dir.file("none.db");
  const std::string coloured = on_colour_terminal("", args);
  EXPECT_NE(coloured.find("slowscope: \x1b["), std::string::npos)
      << "no colour on a colour terminal: " << coloured;
  // NO_COLOR set to anything but "" turns it off; set to "" it does not.
  EXPECT_EQ(on_colour_terminal("NO_COLOR=1", args).find('\x1b'), std::string::npos);
  EXPECT_NE(on_colour_terminal("NO_COLOR=", args).find('\x1b'), std::string::npos);
  EXPECT_EQ(on_colour_terminal("", "--log-format json " + args).find('\x1b'), std::string::npos);
  // Not a terminal: a file gets no colour, whatever TERM says.
  const auto to_file = testing::run_slowscope_as("env -u NO_COLOR TERM=xterm ", args);
  EXPECT_EQ(to_file.exit_code, 2);
  EXPECT_NE(to_file.err.find("slowscope: error:"), std::string::npos) << to_file.err;
  EXPECT_EQ(to_file.err.find('\x1b'), std::string::npos) << to_file.err;
}

}  // namespace
}  // namespace slowscope
