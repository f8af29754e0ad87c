# shellcheck shell=bash
#
# scripts/lib/mariadb.sh - start and stop a throwaway MariaDB server.
#
# Source this file from bash, then:
#
#   mariadb_start DIR [extra mariadbd options...]
#       Creates DIR (must not hold a running server), initialises a fresh data
#       directory in DIR/data (kept when it exists) and starts mariadbd on
#       127.0.0.1 with a free TCP port (the same one again when DIR was used
#       before) and a unix socket in DIR.  The slow query log is on
#       (long_query_time=0, log_output=FILE) and written to DIR/slow.log;
#       performance_schema is ON.  Extra arguments are passed to mariadbd
#       after the defaults, so they override them (e.g. --long-query-time=1).
#       Returns when the server accepts connections; a user with all
#       privileges is created for clients.  Registers an EXIT trap that stops
#       every server started by this shell (existing EXIT traps are kept).
#
#   mariadb_stop DIR
#       Shuts the server in DIR down cleanly (SHUTDOWN, then SIGTERM, then
#       SIGKILL after a timeout).  DIR itself is left in place.
#
#   mariadb_stop_all
#       Stops every server started by this shell.
#
#   mariadb_client DIR [mariadb client args...]
#       Runs the mariadb command-line client against the server in DIR as the
#       created user.
#
#   mariadb_ensure_installed
#       Installs mariadb-server/mariadb-client with apt-get when missing.
#
# After mariadb_start these variables describe the last started server (each
# server's values are also stored in files DIR/port, DIR/socket, DIR/pid):
#
#   MARIADB_DIR        the DIR argument (absolute path)
#   MARIADB_DATADIR    DIR/data
#   MARIADB_SOCKET     DIR/mariadb.sock
#   MARIADB_PORT       TCP port on 127.0.0.1
#   MARIADB_PID        process id of mariadbd
#   MARIADB_SLOWLOG    DIR/slow.log
#   MARIADB_ERRLOG     DIR/error.log
#   MARIADB_USER       client user name      (default: bench)
#   MARIADB_PASSWORD   client user password  (default: bench)
#
# Settings read by mariadb_start (set them before calling):
#
#   MARIADB_SLOW_VERBOSITY   log_slow_verbosity value (default: empty, i.e.
#                            the server's default format).  10.11 accepts any
#                            combination of innodb, query_plan, explain,
#                            engine, warnings, full.
#   MARIADB_START_TIMEOUT    seconds to wait for readiness (default: 60)
#   MARIADB_QUIET            non-empty: no progress messages on stderr
#
# Works as root on a fresh Debian 12 without systemd and without a system
# MariaDB running: the server runs with --no-defaults, so /etc/mysql is not
# read, and nothing outside DIR is written.

if [[ -n "${_SLOWSCOPE_MARIADB_SH:-}" ]]; then
  return 0
fi
_SLOWSCOPE_MARIADB_SH=1

MARIADB_USER="${MARIADB_USER:-bench}"
MARIADB_PASSWORD="${MARIADB_PASSWORD:-bench}"
MARIADB_SLOW_VERBOSITY="${MARIADB_SLOW_VERBOSITY:-}"
MARIADB_START_TIMEOUT="${MARIADB_START_TIMEOUT:-60}"

# Directories of servers started by this shell (for mariadb_stop_all).
_MARIADB_STARTED=()

_mariadb_log() {
  [[ -n "${MARIADB_QUIET:-}" ]] || printf 'mariadb: %s\n' "$*" >&2
}

# shellcheck source=scripts/lib/local_server.sh
source "$(dirname "${BASH_SOURCE[0]}")/local_server.sh"

_mariadb_die() {
  printf 'mariadb: error: %s\n' "$*" >&2
  return 1
}

# Locate a binary that may be installed under a mariadb* or mysql* name.
_mariadb_bin() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
    if [[ -x "/usr/sbin/$name" ]]; then
      printf '%s\n' "/usr/sbin/$name"
      return 0
    fi
  done
  return 1
}

mariadb_ensure_installed() {
  if _mariadb_bin mariadbd mysqld >/dev/null &&
    _mariadb_bin mariadb-install-db mysql_install_db >/dev/null &&
    _mariadb_bin mariadb mysql >/dev/null &&
    _mariadb_bin mariadb-admin mysqladmin >/dev/null; then
    return 0
  fi
  _mariadb_log "installing mariadb-server and mariadb-client with apt-get"
  # The package may try to start its own service.  That is harmless (it uses
  # port 3306 and /run/mysqld, we use neither), and where it cannot start
  # (no init system) the install may report an error although the programs
  # are in place; so judge by the programs, not by apt-get's status.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    mariadb-server mariadb-client >&2 ||
    _mariadb_log "apt-get reported an error; checking the programs anyway"
  if _mariadb_bin mariadbd mysqld >/dev/null &&
    _mariadb_bin mariadb-install-db mysql_install_db >/dev/null &&
    _mariadb_bin mariadb mysql >/dev/null &&
    _mariadb_bin mariadb-admin mysqladmin >/dev/null; then
    return 0
  fi
  _mariadb_die "mariadb-server/mariadb-client could not be installed"
}

_mariadb_pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null
}

mariadb_client() {
  local dir="$1"
  shift
  local client
  client="$(_mariadb_bin mariadb mysql)" || _mariadb_die "mariadb client not found" || return 1
  "$client" --no-defaults --socket="$dir/mariadb.sock" \
    --user="$MARIADB_USER" --password="$MARIADB_PASSWORD" "$@"
}

mariadb_start() {
  if [[ $# -lt 1 ]]; then
    _mariadb_die "usage: mariadb_start DIR [mariadbd options...]"
    return 1
  fi
  local dir="$1"
  shift
  mariadb_ensure_installed || return 1

  local mariadbd install_db admin client
  mariadbd="$(_mariadb_bin mariadbd mysqld)"
  install_db="$(_mariadb_bin mariadb-install-db mysql_install_db)"
  admin="$(_mariadb_bin mariadb-admin mysqladmin)"
  client="$(_mariadb_bin mariadb mysql)"

  mkdir -p "$dir" || return 1
  dir="$(cd "$dir" && pwd)"
  if [[ -f "$dir/pid" ]] && _mariadb_pid_alive "$(cat "$dir/pid")"; then
    _mariadb_die "a server is already running in $dir (pid $(cat "$dir/pid"))"
    return 1
  fi
  # The unix socket path is limited to 107 bytes.
  if ((${#dir} > 90)); then
    _mariadb_die "directory path too long for a unix socket: $dir"
    return 1
  fi

  local datadir="$dir/data" sock="$dir/mariadb.sock" slowlog="$dir/slow.log"
  local errlog="$dir/error.log" tmpdir="$dir/tmp" user
  user="$(id -un)"
  mkdir -p "$tmpdir"

  if [[ ! -d "$datadir/mysql" ]]; then
    _mariadb_log "initialising data directory $datadir"
    # --tmpdir: parallel installs (ctest -j) sharing /tmp lose each other's temporary
    # tables (#sql-temptable-*) and fail.
    if ! "$install_db" --no-defaults --user="$user" --datadir="$datadir" \
      --tmpdir="$tmpdir" --auth-root-authentication-method=socket --skip-test-db \
      >"$dir/install-db.log" 2>&1; then
      cat "$dir/install-db.log" >&2
      _mariadb_die "mariadb-install-db failed"
      return 1
    fi
  fi

  # A restarted server keeps its port, so that clients configured with it reconnect.
  local port
  if [[ -s "$dir/port" ]]; then
    port="$(cat "$dir/port")"
  else
    port="$(local_server_free_port)" || return 1
  fi

  local -a args=(
    --no-defaults
    --user="$user"
    --datadir="$datadir"
    --tmpdir="$tmpdir"
    --socket="$sock"
    --port="$port"
    --bind-address=127.0.0.1
    --pid-file="$dir/mariadbd.pid"
    --log-error="$errlog"
    --skip-name-resolve
    --skip-log-bin
    --performance-schema=ON
    --slow-query-log=1
    --slow-query-log-file="$slowlog"
    --long-query-time=0
    --log-output=FILE
    --log-slow-verbosity="$MARIADB_SLOW_VERBOSITY"
    --innodb-buffer-pool-size=256M
    --innodb-log-file-size=256M
    --innodb-flush-log-at-trx-commit=2
    --max-connections=200
  )
  args+=("$@")

  _mariadb_log "starting mariadbd on 127.0.0.1:$port (socket $sock)"
  # setsid: the server gets its own process group, so a Ctrl-C sent to the
  # calling script's group does not kill it before mariadb_stop runs.
  # With job control on (interactive shells) background jobs already get
  # their own process group, and setsid would fork, hiding the real pid.
  if [[ $- == *m* ]] || ! command -v setsid >/dev/null 2>&1; then
    "$mariadbd" "${args[@]}" </dev/null >>"$dir/mariadbd.out" 2>&1 &
  else
    setsid "$mariadbd" "${args[@]}" </dev/null >>"$dir/mariadbd.out" 2>&1 &
  fi
  local pid=$!
  printf '%s\n' "$pid" >"$dir/pid"
  printf '%s\n' "$port" >"$dir/port"
  printf '%s\n' "$sock" >"$dir/socket"
  _MARIADB_STARTED+=("$dir")
  local_server_add_exit_trap mariadb_stop_all

  local waited=0
  until "$admin" --no-defaults --socket="$sock" --user=root \
    --connect-timeout=2 ping >/dev/null 2>&1; do
    if ! _mariadb_pid_alive "$pid"; then
      tail -n 30 "$errlog" >&2 2>/dev/null
      _mariadb_die "mariadbd exited during startup (see $errlog)"
      return 1
    fi
    if ((waited >= MARIADB_START_TIMEOUT * 10)); then
      tail -n 30 "$errlog" >&2 2>/dev/null
      mariadb_stop "$dir"
      _mariadb_die "mariadbd not ready after ${MARIADB_START_TIMEOUT}s"
      return 1
    fi
    sleep 0.1
    waited=$((waited + 1))
  done

  # root@localhost authenticates by unix socket (we are root); create a
  # password user so that clients such as sysbench can log in either way.
  if ! "$client" --no-defaults --socket="$sock" --user=root <<SQL; then
CREATE USER IF NOT EXISTS '$MARIADB_USER'@'localhost' IDENTIFIED BY '$MARIADB_PASSWORD';
CREATE USER IF NOT EXISTS '$MARIADB_USER'@'127.0.0.1' IDENTIFIED BY '$MARIADB_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MARIADB_USER'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$MARIADB_USER'@'127.0.0.1' WITH GRANT OPTION;
SQL
    mariadb_stop "$dir"
    _mariadb_die "could not create user $MARIADB_USER"
    return 1
  fi

  MARIADB_DIR="$dir"
  MARIADB_DATADIR="$datadir"
  MARIADB_SOCKET="$sock"
  MARIADB_PORT="$port"
  MARIADB_PID="$pid"
  MARIADB_SLOWLOG="$slowlog"
  MARIADB_ERRLOG="$errlog"
  export MARIADB_DIR MARIADB_DATADIR MARIADB_SOCKET MARIADB_PORT MARIADB_PID \
    MARIADB_SLOWLOG MARIADB_ERRLOG MARIADB_USER MARIADB_PASSWORD
  _mariadb_log "ready (pid $pid)"
}

mariadb_stop() {
  if [[ $# -lt 1 ]]; then
    _mariadb_die "usage: mariadb_stop DIR"
    return 1
  fi
  local dir="$1" pid admin i
  [[ -d "$dir" ]] || return 0
  dir="$(cd "$dir" && pwd)"
  [[ -f "$dir/pid" ]] || return 0
  pid="$(cat "$dir/pid")"
  if _mariadb_pid_alive "$pid"; then
    _mariadb_log "stopping mariadbd (pid $pid)"
    admin="$(_mariadb_bin mariadb-admin mysqladmin)"
    "$admin" --no-defaults --socket="$dir/mariadb.sock" --user=root \
      --connect-timeout=5 shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 600; i++)); do
      _mariadb_pid_alive "$pid" || break
      sleep 0.1
    done
    if _mariadb_pid_alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null
      for ((i = 0; i < 100; i++)); do
        _mariadb_pid_alive "$pid" || break
        sleep 0.1
      done
    fi
    if _mariadb_pid_alive "$pid"; then
      _mariadb_log "mariadbd (pid $pid) did not stop; killing it"
      kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/pid"
  return 0
}

mariadb_stop_all() {
  local d
  for d in "${_MARIADB_STARTED[@]}"; do
    mariadb_stop "$d"
  done
  _MARIADB_STARTED=()
}
