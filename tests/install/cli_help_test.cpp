// What `slowscope --help` promises: every command's help ends with its exit status.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>

#include "tests/digest/digest_cli.h"
#include "tests/install/cli_commands.h"

namespace slowscope {
namespace {

using testing::CommandPath;

TEST(CliHelpTest, EveryCommandsHelpEndsWithItsExitStatus) {
  std::vector<CommandPath> commands = testing::all_commands();
  // The walk itself must work: commands, and subcommands of theirs.
  ASSERT_GE(commands.size(), 2u);
  EXPECT_TRUE(std::any_of(commands.begin(), commands.end(),
                          [](const CommandPath& path) { return path.size() == 2; }));
  commands.insert(commands.begin(), CommandPath{});  // slowscope itself
  for (const CommandPath& path : commands) {
    SCOPED_TRACE("slowscope " + testing::joined(path) + " --help");
    const std::string status = testing::exit_status_of(testing::help_of(path));
    ASSERT_FALSE(status.empty()) << "no line starting with \"Exit status\"";
    // Success and a usage error, which every command has, at least.
    const std::string codes = testing::collapsed(status);
    EXPECT_TRUE(std::regex_search(codes, std::regex(R"([\s(:]0\s)"))) << codes;
    EXPECT_TRUE(std::regex_search(codes, std::regex(R"([\s(:]2\s)"))) << codes;
  }
}

}  // namespace
}  // namespace slowscope
