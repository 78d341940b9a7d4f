#!/usr/bin/env bash
# A throwaway PostgreSQL cluster owned by this checkout, for tests and for server mode.
#
#   bash infra/local/postgres.sh start|stop|status|url
#
# Data lives in <repo>/.data/postgres (gitignored). The server listens only on 127.0.0.1, on
# QUARTERLY_PG_PORT (default 54329), with trust authentication for loopback connections and fsync
# on (durability is what the benchmarks measure). `start` is idempotent and creates the database
# `quarterly`; `url` prints the connection string to export as DATABASE_URL. `stop` stops only
# this cluster. Uses Debian's binaries (/usr/lib/postgresql/<newest>/bin); as root it installs
# the `postgresql` package when they are missing, and runs the server as the `postgres` user
# because PostgreSQL refuses to run as root.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${QUARTERLY_PG_PORT:-54329}"
DATA_ROOT="$REPO_ROOT/.data"
PGDATA_DIR="$DATA_ROOT/postgres"
LOG_FILE="$DATA_ROOT/postgres.log"
LOCK_FILE="$DATA_ROOT/postgres-start.lock"
DATABASE="quarterly"

die() {
  echo "postgres.sh: $*" >&2
  exit 1
}

find_bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_binaries() {
  BIN_DIR="$(find_bin_dir)"
  if [[ -n "$BIN_DIR" && -x "$BIN_DIR/pg_ctl" ]]; then
    return
  fi
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq postgresql >/dev/null 2>&1; then
      apt-get update -qq >/dev/null 2>&1 || true
      apt-get install -y -qq postgresql >/dev/null 2>&1 ||
        die "could not install PostgreSQL: run 'apt-get install -y postgresql' and retry"
    fi
    BIN_DIR="$(find_bin_dir)"
  fi
  [[ -n "$BIN_DIR" && -x "$BIN_DIR/pg_ctl" ]] ||
    die "PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin: install the Debian package 'postgresql' (apt-get install -y postgresql)"
}

# Runs a server binary as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

is_running() {
  as_owner "$BIN_DIR/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1
}

init_cluster() {
  mkdir -p "$PGDATA_DIR"
  if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' is missing: install the Debian package 'postgresql'"
    chown postgres: "$PGDATA_DIR"
  fi
  chmod 700 "$PGDATA_DIR"
  as_owner "$BIN_DIR/initdb" -D "$PGDATA_DIR" --username=postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # Settings that must hold whatever the defaults of the installed version are. The port is
  # passed at start instead, so QUARTERLY_PG_PORT can change without re-initialising.
  cat >>"$PGDATA_DIR/postgresql.conf" <<EOF

# --- Quarterly local cluster (infra/local/postgres.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
}

start() {
  ensure_binaries
  mkdir -p "$DATA_ROOT"
  # Serialise concurrent `start`s. The lock's descriptor is closed for every child (9>&-):
  # the server would otherwise inherit it and hold the lock for its whole life.
  exec 9>"$LOCK_FILE"
  flock -w 120 9 || die "another start has held $LOCK_FILE for 2 minutes"
  [[ -f "$PGDATA_DIR/PG_VERSION" ]] || init_cluster 9>&-
  if ! is_running; then
    touch "$LOG_FILE"
    [[ "$(id -u)" -eq 0 ]] && chown postgres: "$LOG_FILE"
    as_owner "$BIN_DIR/pg_ctl" start -D "$PGDATA_DIR" -l "$LOG_FILE" -w -t 60 \
      -o "-p $PORT" >/dev/null 9>&- ||
      die "the server did not start; see $LOG_FILE"
  fi
  local exists
  exists="$("$BIN_DIR/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" ||
    die "the server runs but does not answer on 127.0.0.1:$PORT; see $LOG_FILE"
  if [[ "$exists" != "1" ]]; then
    "$BIN_DIR/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
      -c "CREATE DATABASE $DATABASE" >/dev/null 2>&1 ||
      # Another caller may have created it between our check and our CREATE.
      [[ "$("$BIN_DIR/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" == "1" ]] ||
      die "could not create database $DATABASE"
  fi
}

stop() {
  ensure_binaries
  [[ -f "$PGDATA_DIR/PG_VERSION" ]] || return 0
  if is_running; then
    as_owner "$BIN_DIR/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w >/dev/null
  fi
}

status() {
  ensure_binaries
  if [[ -f "$PGDATA_DIR/PG_VERSION" ]] && is_running; then
    echo "running: $(url)"
  else
    echo "stopped"
    exit 3
  fi
}

url() {
  echo "postgres://postgres@127.0.0.1:$PORT/$DATABASE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *)
    echo "usage: bash infra/local/postgres.sh start|stop|status|url" >&2
    exit 2
    ;;
esac
