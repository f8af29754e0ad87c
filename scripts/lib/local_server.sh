# Helpers shared by the throwaway test servers (scripts/lib/mariadb.sh, postgres.sh).
# Sourced; safe to source more than once.

# local_server_free_port: print a TCP port on 127.0.0.1 that is free right now.
local_server_free_port() {
  local port tries
  if command -v python3 >/dev/null 2>&1; then
    port="$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null)" && [[ -n "$port" ]] && {
      printf '%s\n' "$port"
      return 0
    }
  fi
  for ((tries = 0; tries < 200; tries++)); do
    port=$((20000 + RANDOM % 30000))
    # A connect that fails means nothing listens there.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  printf 'local server: error: no free TCP port found\n' >&2
  return 1
}

# local_server_add_exit_trap CMD: append CMD to the shell's EXIT trap, keeping what is
# already there, once.
local_server_add_exit_trap() {
  local cmd="$1" existing
  existing="$(trap -p EXIT)"
  existing="${existing#trap -- \'}"
  existing="${existing%\' EXIT}"
  existing="${existing//\'\\\'\'/\'}"
  [[ "$existing" == *"$cmd"* ]] && return 0
  if [[ -n "$existing" ]]; then
    # shellcheck disable=SC2064
    trap "$existing; $cmd" EXIT
  else
    # shellcheck disable=SC2064
    trap "$cmd" EXIT
  fi
}
