# What `cmake --install` puts where, and the Debian package CPack makes of it
# (docs/INSTALL.md):
#
#   bin/slowscope                               the binary
#   share/man/man1/slowscope.1.gz               its manual page (written by the build)
#   share/slowscope/schemas/*.schema.json       the JSON Schemas of its JSON outputs
#   share/doc/slowscope/                        README.md, docs/*.md, examples/ (configuration,
#                                               systemd units, cron, CI, SQL for the roles)
#
#   cpack -G DEB --config build/CPackConfig.cmake   ->  slowscope_<version>_<arch>.deb
#
# The package's Depends are the shared libraries the binary links (dpkg-shlibdeps) plus
# tzdata (read for --tz); ca-certificates is recommended, for HTTPS alert receivers.
include(GNUInstallDirs)

# Installing and packaging take what the build made and build nothing themselves: build
# first (cmake --build), then cmake --install or cpack. So cpack runs in seconds in a built
# tree, also from the package test (tests/install/package_test.cpp), instead of building
# every target first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(TARGETS slowscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${SLOWSCOPE_MAN_PAGE}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/reports/json/schemas/
  DESTINATION ${CMAKE_INSTALL_DATADIR}/slowscope/schemas
  FILES_MATCHING PATTERN "*.schema.json")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs
  FILES_MATCHING PATTERN "*.md" PATTERN "images" EXCLUDE)
# The examples to copy from; the sample slow logs stay in the source tree.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/examples/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
  PATTERN "*.log" EXCLUDE
  PATTERN "*.py" EXCLUDE)

set(SLOWSCOPE_PACKAGE_MAINTAINER "slowscope maintainers <maintainers@slowscope.invalid>"
  CACHE STRING "The Maintainer field of the Debian package: Name <email>")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME slowscope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${SLOWSCOPE_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "find the query shapes that make a database slow")
set(CPACK_PACKAGE_DESCRIPTION
  "slowscope digests MySQL, MariaDB and Percona Server slow logs, collects PostgreSQL
pg_stat_statements and MySQL sources into a history store, finds the query shapes that
regressed after a release or over days, writes nightly HTML and JSON reports, and pages
on-call tools.")
# Debuggers want symbols; the package does not need them.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS tzdata)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)
include(CPack)
