# shellcheck shell=bash
#
# bench/lib/cached_log.sh - the recorded slow logs benchmarks run on.
#
#   bench_cached_log SIZE_MB CACHE_DIR
#       Prints the path of CACHE_DIR/mariadb-sysbench-SIZE_MBM.log, recording it
#       first when missing (scripts/record-slowlog: MariaDB + sysbench with
#       long_query_time=0; minutes, once per machine).

bench_cached_log() {
  local size="$1" cache="$2" root log t0
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  mkdir -p "$cache"
  log="$cache/mariadb-sysbench-${size}M.log"
  if [[ ! -s "$log" ]]; then
    printf 'bench: recording a %s MB slow log into %s (once; later runs reuse it)\n' \
      "$size" "$log" >&2
    t0=$(date +%s)
    "$root/scripts/record-slowlog" --size "$size" --out "$log.part" >&2 || return 1
    mv "$log.part" "$log"
    printf 'bench: recorded in %s s\n' "$(($(date +%s) - t0))" >&2
  else
    printf 'bench: reusing %s\n' "$log" >&2
  fi
  printf '%s\n' "$log"
}
