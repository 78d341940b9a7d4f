#!/usr/bin/env bash
# Quick start: build, start Redis and the mail sink on loopback, and run the API on the embedded
# SQLite store (.data/quarterly.sqlite) with the demo council loaded on first start. Prints a
# bearer token for every demo user. Ctrl-C stops the API and whatever this script started.
#
#   npm run demo          (after npm ci)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PORT="${PORT:-3000}"
export PORT HOST="${HOST:-127.0.0.1}"
export QUARTERLY_STORE=sqlite QUARTERLY_DEMO_DATA=true
export QUARTERLY_DATA_DIR="${QUARTERLY_DATA_DIR:-$PWD/.data}"

started=()
api_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [[ -n "$api_pid" ]] && kill -0 "$api_pid" 2>/dev/null; then
    kill -TERM "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  for service in "${started[@]}"; do bash "infra/local/$service.sh" stop >/dev/null 2>&1 || true; done
}
trap cleanup INT TERM EXIT

echo "== building (first time takes a minute or two)"
npm run --silent build

for service in redis smtp-sink; do
  if bash "infra/local/$service.sh" status >/dev/null 2>&1; then continue; fi
  if bash "infra/local/$service.sh" start; then
    started+=("$service")
  else
    echo "!! $service did not start: reminders and e-mail will wait until it runs (see above for what to install)." >&2
  fi
done
export REDIS_URL="${REDIS_URL:-$(bash infra/local/redis.sh url)}"
export SMTP_URL="${SMTP_URL:-$(bash infra/local/smtp-sink.sh url)}"

echo "== starting the API on http://$HOST:$PORT (store: $QUARTERLY_DATA_DIR/quarterly.sqlite)"
node dist/apps/api/main.js > "$QUARTERLY_DATA_DIR/api.log" 2>&1 &
api_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "http://$HOST:$PORT/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$api_pid" 2>/dev/null; then
    echo "!! the API stopped during start-up; its log:" >&2
    tail -n 40 "$QUARTERLY_DATA_DIR/api.log" >&2
    exit 1
  fi
  sleep 0.5
done

node dist/apps/cli/main.js demo-tokens > "$QUARTERLY_DATA_DIR/demo-tokens.sh"
cat <<MSG

Quarterly is running with the demo council.
  API             http://$HOST:$PORT            (health: /health)
  OpenAPI         http://$HOST:$PORT/docs
  E-mail inbox    http://127.0.0.1:${QUARTERLY_MAILDEV_WEB_PORT:-1080}
  API log         $QUARTERLY_DATA_DIR/api.log
  Tokens          source $QUARTERLY_DATA_DIR/demo-tokens.sh   (one TOKEN_<person> per demo user)

Try:  source $QUARTERLY_DATA_DIR/demo-tokens.sh
      curl -s -H "Authorization: Bearer \$TOKEN_p_team" http://$HOST:$PORT/cycles/2026-27-Q2/status-board | head -c 600

Press Ctrl-C to stop.
MSG
wait "$api_pid"
