// What `slowscope --help` and `--version` promise: every command's help ends with its exit
// status, and the version names the project version and the git revision it was built
// from (cmake/SourceRevision.cmake), or says plainly that there is none.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "tests/digest/digest_cli.h"
#include "tests/install/cli_commands.h"

namespace slowscope {
namespace {

using testing::CommandPath;

// The output of a shell command, without its last line end; "" when it fails.
std::string output_of(const std::string& command) {
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  if (pclose(pipe) != 0) return "";
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Whether `codes` lists exit status `code`: the digit alone, after a space, '(' or ':'.
bool lists_code(const std::string& codes, char code) {
  for (size_t at = codes.find(code); at != std::string::npos; at = codes.find(code, at + 1)) {
    const bool starts = at > 0 && std::string_view(" (:").find(codes[at - 1]) != std::string::npos;
    if (starts && at + 1 < codes.size() && codes[at + 1] == ' ') return true;
  }
  return false;
}

// `git ARGS` in the source tree (whoever owns it, as the build step reads it).
std::string source_git(const std::string& args) {
  return output_of("git -c safe.directory='*' -C '" SLOWSCOPE_SOURCE_DIR "' " + args);
}

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
    EXPECT_TRUE(lists_code(codes, '0')) << codes;
    EXPECT_TRUE(lists_code(codes, '2')) << codes;
  }
}

TEST(CliHelpTest, VersionNamesTheProjectVersionAndTheRevision) {
  const testing::RunResult r = testing::run_slowscope("--version");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string expected_start = "slowscope " SLOWSCOPE_PROJECT_VERSION " (";
  EXPECT_TRUE(r.out.starts_with(expected_start)) << r.out;
  const std::string toplevel = source_git("rev-parse --show-toplevel");
  const bool checkout =
      !toplevel.empty() && std::filesystem::equivalent(toplevel, SLOWSCOPE_SOURCE_DIR);
  if (checkout) {
    const std::string head = source_git("rev-parse --short=12 HEAD");
    ASSERT_EQ(head.size(), 12u);
    EXPECT_TRUE(r.out.starts_with(expected_start + "revision " + head)) << r.out;
  } else {
    EXPECT_EQ(r.out, expected_start + "unknown revision: not built from a git checkout)\n");
  }
}

// The build step that looks the revision up, run on a source tree without git metadata
// (as a release tarball unpacks) and on this one.
TEST(CliHelpTest, SourceRevisionIsEmptyWithoutACheckout) {
  testing::TempDir dir;
  const std::string script = SLOWSCOPE_SOURCE_DIR "/cmake/SourceRevision.cmake";
  const auto header_for = [&](const std::string& source) {
    const std::string header = dir.file("source_revision.h");
    std::filesystem::remove(header);
    const std::string command = "'" SLOWSCOPE_CMAKE "' -DSOURCE_DIR='" + source + "' -DOUTPUT='" +
                                header + "' -P '" + script + "' >/dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return testing::read_file(header);
  };
  std::filesystem::create_directory(dir.file("tarball"));
  const std::string unpacked = header_for(dir.file("tarball"));
  EXPECT_NE(unpacked.find("kSourceRevision = \"\";"), std::string::npos) << unpacked;
  EXPECT_NE(unpacked.find("kSourceRevisionDirty = false;"), std::string::npos) << unpacked;

  const std::string head = source_git("rev-parse --short=12 HEAD");
  if (head.empty()) GTEST_SKIP() << "the source tree is not a git checkout";
  const std::string here = header_for(SLOWSCOPE_SOURCE_DIR);
  EXPECT_NE(here.find("kSourceRevision = \"" + head + "\";"), std::string::npos) << here;
}

}  // namespace
}  // namespace slowscope
