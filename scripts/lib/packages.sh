# Debian packages slowscope needs, and a function that installs the missing ones.
# Sourced by scripts/quickstart and scripts/test; safe to source more than once.

# To build and run slowscope.
SLOWSCOPE_BUILD_PACKAGES=(
  build-essential cmake pkg-config
  libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev libssl-dev tzdata
  libyaml-cpp-dev libsqlite3-dev libpqxx-dev libpq-dev libmysqlcppconn-dev
  libboost-graph-dev libpg-query-dev libprotobuf-c-dev libcurl4-openssl-dev
)

# Additionally, for scripts/quickstart's demo: the servers it starts for itself, throwaway
# ones in a temporary folder (scripts/lib/postgres.sh, mariadb.sh). Installing them may
# also set up the distribution's own services; the demo uses none of them.
SLOWSCOPE_QUICKSTART_SERVER_PACKAGES=(
  postgresql-15
  mariadb-server mariadb-client
)

# Additionally, to run the test suite: test framework, sanitizer and fuzzer runtimes,
# the JSON Schema validator the tests check reports with, the PostgreSQL server (with
# pg_stat_statements) and MariaDB server that the tests start for themselves,
# pt-query-digest, the reference the fingerprint and slow-log parity tests compare with
# (they skip without it), Chromium, the browser the HTML report tests drive (headless,
# tests/support/headless_chromium.h; they fail without it), and cpp-httplib, the loopback
# HTTP server that stands in for alert receivers (tests/support/http_receiver.h), and what
# the install tests (tests/install/) run: systemd-analyze (systemd; no running systemd
# needed) on the example units, man (man-db) on the manual page; dpkg-deb and
# dpkg-shlibdeps for the package come with build-essential.
SLOWSCOPE_TEST_PACKAGES=(
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev
  clang libclang-rt-14-dev
  python3 python3-jsonschema
  postgresql-15
  mariadb-server mariadb-client
  percona-toolkit
  prometheus-alertmanager
  chromium
  systemd man-db
)

# package_installed PKG: whether dpkg has PKG installed.
package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# ensure_packages PKG...: apt-get installs those not installed yet; prints nothing when
# everything is present so that repeated runs stay quiet and fast.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "slowscope: missing packages: ${missing[*]}" >&2
    echo "slowscope: run as root, or install them with: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "slowscope: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}
