# shellcheck shell=bash
#
# scripts/lib/postgres.sh - start and stop a throwaway PostgreSQL server.
#
# Source this file from bash, then:
#
#   postgres_start DIR
#       Creates DIR if needed (it must not hold a running server), initialises a
#       cluster in DIR/data and starts it on 127.0.0.1 with a free TCP port and
#       its unix socket in DIR. pg_stat_statements is preloaded (track=all) and
#       created in the database; durability is off (fsync, full_page_writes),
#       since the data is thrown away. A superuser role and a database, both
#       named by POSTGRES_USER, are created; local and loopback connections
#       are trusted. Returns when the server accepts connections. Registers an
#       EXIT trap that stops every server started by this shell.
#
#   postgres_stop DIR
#       Shuts the server in DIR down (fast mode, then SIGQUIT, then SIGKILL).
#       DIR itself is left in place.
#
#   postgres_stop_all
#       Stops every server started by this shell.
#
#   postgres_conninfo DIR
#       Prints a libpq connection string for the server in DIR.
#
#   postgres_psql DIR [psql args...]
#       Runs psql against the server in DIR as POSTGRES_USER.
#
# After postgres_start these variables describe the last started server (each
# server's values are also in the files DIR/port and DIR/conninfo):
#
#   POSTGRES_DIR         the DIR argument (absolute path)
#   POSTGRES_DATADIR     DIR/data
#   POSTGRES_PORT        TCP port on 127.0.0.1
#   POSTGRES_SOCKET_DIR  DIR (the socket is DIR/.s.PGSQL.<port>)
#   POSTGRES_LOG         DIR/postgres.log
#   PGHOST PGPORT PGUSER PGDATABASE   the same, for libpq and psql
#
# Settings read by postgres_start (set them before calling):
#
#   POSTGRES_USER            role and database name (default: slowscope)
#   POSTGRES_BINDIR          folder of initdb/pg_ctl/postgres (default: the newest
#                            /usr/lib/postgresql/*/bin, else pg_config --bindir)
#   POSTGRES_START_TIMEOUT   seconds to wait for readiness (default: 60)
#   POSTGRES_QUIET           non-empty: no progress messages on stderr
#
# initdb refuses to run as root; as root, the server runs as the `postgres` OS
# user (installed with the server package) or, lacking it, as `nobody`, and DIR
# is handed to that user. Nothing outside DIR is written.

if [[ -n "${_SLOWSCOPE_POSTGRES_SH:-}" ]]; then
  return 0
fi
_SLOWSCOPE_POSTGRES_SH=1

POSTGRES_USER="${POSTGRES_USER:-slowscope}"
POSTGRES_START_TIMEOUT="${POSTGRES_START_TIMEOUT:-60}"

_POSTGRES_STARTED=()

_postgres_log() {
  [[ -n "${POSTGRES_QUIET:-}" ]] || printf 'postgres: %s\n' "$*" >&2
}

# shellcheck source=scripts/lib/local_server.sh
source "$(dirname "${BASH_SOURCE[0]}")/local_server.sh"

_postgres_die() {
  printf 'postgres: error: %s\n' "$*" >&2
  return 1
}

_postgres_bindir() {
  if [[ -n "${POSTGRES_BINDIR:-}" ]]; then
    printf '%s\n' "$POSTGRES_BINDIR"
    return 0
  fi
  local dir best
  # The glob sorts 9 after 15: pick the highest version number.
  best="$(for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && printf '%s\n' "$dir"
  done | sort -t/ -k5,5n | tail -n 1)"
  if [[ -z "$best" ]] && command -v pg_config >/dev/null 2>&1; then
    best="$(pg_config --bindir)"
  fi
  [[ -n "$best" && -x "$best/initdb" ]] || {
    _postgres_die "PostgreSQL server programs not found (install postgresql-15)"
    return 1
  }
  printf '%s\n' "$best"
}

# The OS user the server runs as: ourselves, or an unprivileged one when we are root.
_postgres_os_user() {
  if [[ "$(id -u)" -ne 0 ]]; then
    id -un
  elif id postgres >/dev/null 2>&1; then
    printf 'postgres\n'
  else
    printf 'nobody\n'
  fi
}

# Runs a command as the server's OS user.
_postgres_as() {
  local user="$1"
  shift
  if [[ "$(id -u)" -ne 0 ]]; then
    "$@"
  else
    runuser -u "$user" -- "$@"
  fi
}

_postgres_pid() {
  local pidfile="$1/data/postmaster.pid"
  [[ -f "$pidfile" ]] && head -n 1 "$pidfile"
}

_postgres_pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null
}

postgres_conninfo() {
  local dir
  dir="$(cd "$1" && pwd)" || return 1
  printf 'host=%s port=%s user=%s dbname=%s\n' "$dir" "$(cat "$dir/port")" \
    "$POSTGRES_USER" "$POSTGRES_USER"
}

postgres_psql() {
  local dir="$1"
  shift
  local bindir
  bindir="$(_postgres_bindir)" || return 1
  "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$(postgres_conninfo "$dir")" "$@"
}

postgres_start() {
  if [[ $# -ne 1 ]]; then
    _postgres_die "usage: postgres_start DIR"
    return 1
  fi
  local dir="$1" bindir os_user
  bindir="$(_postgres_bindir)" || return 1
  os_user="$(_postgres_os_user)"

  mkdir -p "$dir" || return 1
  dir="$(cd "$dir" && pwd)"
  if _postgres_pid_alive "$(_postgres_pid "$dir")"; then
    _postgres_die "a server is already running in $dir"
    return 1
  fi
  # The socket path (DIR/.s.PGSQL.NNNNN) is limited to 107 bytes.
  if ((${#dir} > 90)); then
    _postgres_die "directory path too long for a unix socket: $dir"
    return 1
  fi
  [[ "$(id -u)" -ne 0 ]] || chown "$os_user" "$dir" || return 1

  local datadir="$dir/data" log="$dir/postgres.log"
  if [[ ! -f "$datadir/PG_VERSION" ]]; then
    _postgres_log "initialising $datadir"
    if ! _postgres_as "$os_user" "$bindir/initdb" -D "$datadir" -U "$POSTGRES_USER" \
      --auth=trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1; then
      cat "$dir/initdb.log" >&2
      _postgres_die "initdb failed"
      return 1
    fi
    cat >>"$datadir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
  fi

  # Another process may take the port between choosing and binding it: try again.
  local port attempt started=0
  for ((attempt = 0; attempt < 5; attempt++)); do
    port="$(local_server_free_port)" || return 1
    _postgres_log "starting on 127.0.0.1:$port (socket in $dir)"
    if _postgres_as "$os_user" "$bindir/pg_ctl" -D "$datadir" -l "$log" -w \
      -t "$POSTGRES_START_TIMEOUT" -o "-p $port" start >/dev/null 2>&1; then
      started=1
      break
    fi
    if ! grep -q "could not bind\|could not create any TCP/IP sockets" "$log" 2>/dev/null; then
      break
    fi
  done
  if ((!started)); then
    tail -n 30 "$log" >&2 2>/dev/null
    postgres_stop "$dir"
    _postgres_die "server did not start (see $log)"
    return 1
  fi
  printf '%s\n' "$port" >"$dir/port"
  _POSTGRES_STARTED+=("$dir")
  local_server_add_exit_trap postgres_stop_all

  local admin="host=$dir port=$port user=$POSTGRES_USER dbname=postgres"
  local exists="SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_USER'"
  if ! "$bindir/psql" -X -q -tA "$admin" -c "$exists" | grep -q 1; then
    "$bindir/createdb" -h "$dir" -p "$port" -U "$POSTGRES_USER" "$POSTGRES_USER" || {
      postgres_stop "$dir"
      _postgres_die "createdb failed"
      return 1
    }
  fi
  "$bindir/psql" -X -q "host=$dir port=$port user=$POSTGRES_USER dbname=$POSTGRES_USER" \
    -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null || {
    postgres_stop "$dir"
    _postgres_die "could not create extension pg_stat_statements"
    return 1
  }
  postgres_conninfo "$dir" >"$dir/conninfo"

  POSTGRES_DIR="$dir"
  POSTGRES_DATADIR="$datadir"
  POSTGRES_PORT="$port"
  POSTGRES_SOCKET_DIR="$dir"
  POSTGRES_LOG="$log"
  PGHOST="$dir"
  PGPORT="$port"
  PGUSER="$POSTGRES_USER"
  PGDATABASE="$POSTGRES_USER"
  export POSTGRES_DIR POSTGRES_DATADIR POSTGRES_PORT POSTGRES_SOCKET_DIR POSTGRES_LOG \
    POSTGRES_USER PGHOST PGPORT PGUSER PGDATABASE
  _postgres_log "ready (port $port)"
}

postgres_stop() {
  if [[ $# -ne 1 ]]; then
    _postgres_die "usage: postgres_stop DIR"
    return 1
  fi
  local dir="$1" bindir pid i
  [[ -d "$dir" ]] || return 0
  dir="$(cd "$dir" && pwd)"
  pid="$(_postgres_pid "$dir")"
  _postgres_pid_alive "$pid" || return 0
  _postgres_log "stopping server in $dir (pid $pid)"
  if bindir="$(_postgres_bindir)"; then
    _postgres_as "$(_postgres_os_user)" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 \
      stop >/dev/null 2>&1
  fi
  if _postgres_pid_alive "$pid"; then
    kill -QUIT "$pid" 2>/dev/null
    for ((i = 0; i < 50; i++)); do
      _postgres_pid_alive "$pid" || break
      sleep 0.1
    done
  fi
  if _postgres_pid_alive "$pid"; then
    _postgres_log "server (pid $pid) did not stop; killing it"
    kill -KILL "$pid" 2>/dev/null
  fi
  return 0
}

postgres_stop_all() {
  local d
  for d in "${_POSTGRES_STARTED[@]}"; do
    postgres_stop "$d"
  done
  _POSTGRES_STARTED=()
}
