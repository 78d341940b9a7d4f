#!/usr/bin/env bash
# A Redis server owned by this checkout, for BullMQ (timers and e-mail) in tests and locally.
#
#   bash infra/local/redis.sh start|stop|status|url
#
# Listens only on 127.0.0.1, on QUARTERLY_REDIS_PORT (default 63799), with the settings in
# infra/redis/redis.conf (AOF on with appendfsync everysec, maxmemory-policy noeviction). Data
# lives in <repo>/.data/redis (gitignored). `start` is idempotent and waits until the server
# answers PING; `url` prints the URL to export as REDIS_URL; `stop` stops only the server whose pid
# this script recorded. Uses Debian's `redis-server`; as root it installs the package when missing.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${QUARTERLY_REDIS_PORT:-63799}"
CONF_FILE="$REPO_ROOT/infra/redis/redis.conf"
DATA_ROOT="$REPO_ROOT/.data"
DATA_DIR="$DATA_ROOT/redis"
PID_FILE="$DATA_DIR/redis.pid"
LOG_FILE="$DATA_ROOT/redis.log"
LOCK_FILE="$DATA_ROOT/redis.lock"

die() {
  echo "redis.sh: $*" >&2
  exit 1
}

ensure_binaries() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then
    return
  fi
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq redis-server >/dev/null 2>&1; then
      apt-get update -qq >/dev/null 2>&1 || true
      apt-get install -y -qq redis-server >/dev/null 2>&1 ||
        die "could not install Redis: run 'apt-get install -y redis-server' and retry"
    fi
    # The Debian package starts a system-wide server on 6379; ours is separate and uses its own port.
  fi
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 ||
    die "redis-server not found: install the Debian package 'redis-server' (sudo apt-get install -y redis-server) and retry"
}

recorded_pid() {
  [[ -f "$PID_FILE" ]] && cat "$PID_FILE" 2>/dev/null || true
}

# True when the recorded pid is alive and is a redis-server (not an unrelated process that
# reused the pid after a crash).
owns_running_server() {
  local pid
  pid="$(recorded_pid)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'redis-server'
}

answers_ping() {
  [[ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" == "PONG" ]]
}

start() {
  ensure_binaries
  mkdir -p "$DATA_DIR"
  # The daemon must not inherit the lock (fd 9), or the next start would wait for ever.
  exec 9>"$LOCK_FILE"
  flock 9
  if ! owns_running_server; then
    if answers_ping; then
      die "another Redis already answers on 127.0.0.1:$PORT; stop it or set QUARTERLY_REDIS_PORT"
    fi
    redis-server "$CONF_FILE" \
      --bind 127.0.0.1 --port "$PORT" --dir "$DATA_DIR" \
      --daemonize yes --pidfile "$PID_FILE" --logfile "$LOG_FILE" 9>&- ||
      die "redis-server did not start; see $LOG_FILE"
  fi
  for _ in $(seq 1 100); do
    answers_ping && return 0
    sleep 0.1
  done
  die "Redis does not answer on 127.0.0.1:$PORT; see $LOG_FILE"
}

stop() {
  owns_running_server || return 0
  local pid
  pid="$(recorded_pid)"
  # SIGTERM makes Redis fsync the AOF and exit cleanly.
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; return 0; }
    sleep 0.1
  done
  die "Redis (pid $pid) did not stop within 10 s"
}

status() {
  if owns_running_server && answers_ping; then
    echo "running (pid $(recorded_pid)): $(url)"
  else
    echo "stopped"
    exit 3
  fi
}

url() {
  echo "redis://127.0.0.1:$PORT"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *)
    echo "usage: bash infra/local/redis.sh start|stop|status|url" >&2
    exit 2
    ;;
esac
