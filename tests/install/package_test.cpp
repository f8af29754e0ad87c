// The Debian package CPack makes of the build tree this test runs in (cmake/Packaging.cmake):
// what it installs where, the Debian dependencies it declares, and that what it installs
// runs. CI builds once, with sanitizers, so the package packs that build: its Depends then
// also name the sanitizer runtimes (libasan, libubsan) besides the libraries slowscope
// needs in any build, which are what is checked here.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "tests/digest/digest_cli.h"
#include "tests/install/shell_command.h"

namespace slowscope {
namespace {

using Output = testing::ShellOutput;

Output run(const std::string& command) { return testing::run_shell(command); }

// The package names in a Depends field: "libc6 (>= 2.34), tzdata" -> {libc6, tzdata}.
std::set<std::string> package_names(const std::string& field) {
  std::set<std::string> names;
  size_t start = 0;
  while (start < field.size()) {
    size_t end = field.find(',', start);
    if (end == std::string::npos) end = field.size();
    std::string item = field.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \n"));
    item = item.substr(0, item.find_first_of(" (\n"));
    if (!item.empty()) names.insert(item);
    start = end + 1;
  }
  return names;
}

// Fields of the package's control file.
std::string field(const std::string& deb, const std::string& name) {
  const Output r = run("dpkg-deb -f '" + deb + "' " + name);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string value = r.out;
  while (!value.empty() && value.back() == '\n') value.pop_back();
  return value;
}

void expect_named_as_apt_expects(const std::string& deb) {
  EXPECT_TRUE(std::filesystem::path(deb).filename().string().starts_with(
      "slowscope_" SLOWSCOPE_PROJECT_VERSION "_"))
      << deb;
  EXPECT_EQ(field(deb, "Package"), "slowscope");
  EXPECT_EQ(field(deb, "Version"), SLOWSCOPE_PROJECT_VERSION);
  EXPECT_EQ(field(deb, "Architecture") + "\n", run("dpkg --print-architecture").out);
}

void expect_depends_on_what_slowscope_needs(const std::string& deb) {
  const std::string depends = field(deb, "Depends");
  const std::set<std::string> names = package_names(depends);
  // Each runtime library the binary needs in any build, by the start of its Debian name
  // (the rest is the library's soname version, which Debian releases change).
  for (const std::string library :
       {"libpqxx-", "libpq5", "libmysqlcppconn", "libsqlite3-", "libcurl4", "libyaml-cpp",
        "libspdlog", "libfmt", "libssl3", "libpg-query", "libstdc++6", "libc6"}) {
    EXPECT_TRUE(std::any_of(names.begin(), names.end(),
                            [&](const std::string& name) { return name.starts_with(library); }))
        << library << " not in Depends: " << depends;
  }
  // Read at run time, not linked: the time zones of --tz.
  EXPECT_TRUE(names.count("tzdata")) << depends;
  // HTTPS alert receivers need the CA certificates.
  EXPECT_EQ(field(deb, "Recommends"), "ca-certificates");
}

void expect_binary_manual_schemas_and_examples(const std::string& deb) {
  const Output listing = run("dpkg-deb -c '" + deb + "'");
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  std::set<std::string> files;
  std::istringstream lines(listing.out);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t path = line.find(" ./");
    if (path != std::string::npos) files.insert(line.substr(path + 3));
  }
  for (const std::string expected :
       {"usr/bin/slowscope", "usr/share/man/man1/slowscope.1.gz",
        "usr/share/doc/slowscope/README.md", "usr/share/doc/slowscope/examples/slowscope.yaml",
        "usr/share/doc/slowscope/examples/systemd/slowscope-collect.service"}) {
    EXPECT_TRUE(files.count(expected)) << expected << " not in:\n" << listing.out;
  }
  // Every JSON Schema of the source tree.
  size_t schemas = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(SLOWSCOPE_SOURCE_DIR "/reports/json/schemas")) {
    ++schemas;
    const std::string installed = "usr/share/slowscope/schemas/" + entry.path().filename().string();
    EXPECT_TRUE(files.count(installed)) << installed;
  }
  EXPECT_GT(schemas, 0u);
  // Nothing outside /usr: no configuration in /etc that the package would own.
  for (const std::string& file : files) EXPECT_TRUE(file.starts_with("usr/")) << file;
}

void expect_what_it_installs_runs(const std::string& deb) {
  testing::TempDir root;
  const Output extract = run("dpkg-deb -x '" + deb + "' '" + root.path().string() + "'");
  ASSERT_EQ(extract.exit_code, 0) << extract.err;
  const Output version = run("'" + root.file("usr/bin/slowscope") + "' --version");
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, testing::run_slowscope("--version").out);
  const Output page =
      run("MANWIDTH=100 man -l '" + root.file("usr/share/man/man1/slowscope.1.gz") + "'");
  EXPECT_EQ(page.exit_code, 0) << page.err;
  EXPECT_NE(page.out.find("SLOWSCOPE(1)"), std::string::npos) << page.out.substr(0, 300);
}

// One package for every check: making it is the expensive part.
TEST(PackageTest, DebianPackageInstallsSlowscopeAndDeclaresWhatItNeeds) {
  testing::TempDir dir;
  const Output cpack = run("'" SLOWSCOPE_CPACK "' -G DEB -B '" + dir.path().string() +
                           "' --config '" SLOWSCOPE_BUILD_DIR "/CPackConfig.cmake'");
  ASSERT_EQ(cpack.exit_code, 0) << cpack.out << cpack.err;
  std::string deb;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().extension() == ".deb") deb = entry.path().string();
  }
  ASSERT_FALSE(deb.empty()) << "cpack made no .deb:\n" << cpack.out;
  {
    SCOPED_TRACE("name and version");
    expect_named_as_apt_expects(deb);
  }
  {
    SCOPED_TRACE("Depends");
    expect_depends_on_what_slowscope_needs(deb);
  }
  {
    SCOPED_TRACE("contents");
    expect_binary_manual_schemas_and_examples(deb);
  }
  {
    SCOPED_TRACE("installed files run");
    expect_what_it_installs_runs(deb);
  }
}

}  // namespace
}  // namespace slowscope
