#!/usr/bin/env bash
# A local SMTP sink with a web inbox (MailDev), so e-mails sent by the worker can be read in a
# browser instead of reaching anyone.
#
#   bash infra/local/smtp-sink.sh start|stop|status|url
#
# SMTP on 127.0.0.1:${QUARTERLY_SMTP_PORT:-1025} (export the `url` output as SMTP_URL), inbox at
# http://127.0.0.1:${QUARTERLY_MAILDEV_WEB_PORT:-1080}. Mails are kept in <repo>/.data/maildev.
# MailDev is a pinned devDependency (package.json and package-lock.json): `npm ci` installs it
# and this script runs node_modules/.bin/maildev, so nothing is fetched at run time. `start` is
# idempotent; `stop` ends only the process group this script started, whose id it records.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SMTP_PORT="${QUARTERLY_SMTP_PORT:-1025}"
WEB_PORT="${QUARTERLY_MAILDEV_WEB_PORT:-1080}"
DATA_ROOT="$REPO_ROOT/.data"
MAIL_DIR="$DATA_ROOT/maildev"
PID_FILE="$DATA_ROOT/maildev.pid"
LOG_FILE="$DATA_ROOT/maildev.log"
LOCK_FILE="$DATA_ROOT/maildev.lock"

die() {
  echo "smtp-sink.sh: $*" >&2
  exit 1
}

recorded_pid() {
  [[ -f "$PID_FILE" ]] && cat "$PID_FILE" 2>/dev/null || true
}

owns_running_sink() {
  local pid
  pid="$(recorded_pid)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local maildev="$REPO_ROOT/node_modules/.bin/maildev"
  [[ -x "$maildev" ]] || die "MailDev is not installed: run 'npm ci' in $REPO_ROOT (it is a devDependency)"
  mkdir -p "$MAIL_DIR"
  exec 9>"$LOCK_FILE"
  flock 9
  if ! owns_running_sink; then
    port_open "$SMTP_PORT" && die "port $SMTP_PORT is already in use; stop that server or set QUARTERLY_SMTP_PORT"
    # setsid: MailDev runs in its own process group, which `stop` ends as a whole.
    # fd 9 is closed for it so the lock is released when this script exits.
    setsid "$maildev" --ip 127.0.0.1 --smtp "$SMTP_PORT" --web "$WEB_PORT" \
      --mail-directory "$MAIL_DIR" >"$LOG_FILE" 2>&1 9>&- </dev/null &
    echo $! >"$PID_FILE"
  fi
  for _ in $(seq 1 150); do
    if port_open "$SMTP_PORT" && port_open "$WEB_PORT"; then
      echo "SMTP sink: $(url); inbox: http://127.0.0.1:$WEB_PORT"
      return 0
    fi
    owns_running_sink || die "MailDev exited; see $LOG_FILE"
    sleep 0.2
  done
  die "MailDev did not open 127.0.0.1:$SMTP_PORT within 30 s; see $LOG_FILE"
}

stop() {
  owns_running_sink || { rm -f "$PID_FILE"; return 0; }
  local pid
  pid="$(recorded_pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; return 0; }
    sleep 0.1
  done
  die "MailDev (process group $pid) did not stop within 5 s"
}

status() {
  if owns_running_sink && port_open "$SMTP_PORT"; then
    echo "running (pid $(recorded_pid)): $(url); inbox: http://127.0.0.1:$WEB_PORT"
  else
    echo "stopped"
    exit 3
  fi
}

url() {
  echo "smtp://127.0.0.1:$SMTP_PORT"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *)
    echo "usage: bash infra/local/smtp-sink.sh start|stop|status|url" >&2
    exit 2
    ;;
esac
