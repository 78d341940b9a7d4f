#!/usr/bin/env bash
# Quick start: build, start Redis and the mail sink on loopback, and run the API on the embedded
# SQLite store (.data/quarterly.sqlite) with the demo council loaded on first start, and a demo
# OpenID provider (its own process) whose accounts are the demo people. Prints the sign-in
# address, the demo accounts and a bearer token for every demo user. Ctrl-C stops the API and
# whatever this script started.
#
#   npm run demo          (after npm ci)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PORT="${PORT:-3000}"
export PORT HOST="${HOST:-127.0.0.1}"
export QUARTERLY_STORE=sqlite QUARTERLY_DEMO_DATA=true
export QUARTERLY_DATA_DIR="${QUARTERLY_DATA_DIR:-$PWD/.data}"
# Sign-in for the pages: the demo identity provider on loopback, people matched by e-mail address.
IDP_PORT="${QUARTERLY_IDP_PORT:-9090}"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://$HOST:$PORT}"
export OIDC_DISCOVERY_URL="${OIDC_DISCOVERY_URL:-http://127.0.0.1:$IDP_PORT}" OIDC_CLIENT_ID="${OIDC_CLIENT_ID:-quarterly-web}"
export OIDC_CLIENT_SECRET="${OIDC_CLIENT_SECRET:-demo-client-secret-not-for-production}"
export OIDC_IDENTITY_CLAIM="${OIDC_IDENTITY_CLAIM:-email}" OIDC_IDENTITY_MATCH="${OIDC_IDENTITY_MATCH:-email}"

started=()
api_pid=""
idp_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [[ -n "$idp_pid" ]] && kill -0 "$idp_pid" 2>/dev/null; then kill -TERM "$idp_pid" 2>/dev/null || true; fi
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

mkdir -p "$QUARTERLY_DATA_DIR"
echo "== starting the API on http://$HOST:$PORT (store: $QUARTERLY_DATA_DIR/quarterly.sqlite)"
node --max-semi-space-size=64 dist/apps/api/main.js > "$QUARTERLY_DATA_DIR/api.log" 2>&1 &
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
node dist/apps/cli/main.js identity-accounts > "$QUARTERLY_DATA_DIR/identity-accounts.json"
IDP_PORT="$IDP_PORT" IDP_ACCOUNTS_FILE="$QUARTERLY_DATA_DIR/identity-accounts.json" IDP_CLIENT_ID="$OIDC_CLIENT_ID" \
  IDP_CLIENT_SECRET="$OIDC_CLIENT_SECRET" IDP_REDIRECT_URIS="$PUBLIC_BASE_URL/app/auth/callback" \
  IDP_POST_LOGOUT_REDIRECT_URIS="$PUBLIC_BASE_URL/app/signed-out" \
  node infra/local/identity-provider/demo-identity-provider.mjs > "$QUARTERLY_DATA_DIR/identity-provider.log" 2>&1 &
idp_pid=$!

cat <<MSG

Quarterly is running with the demo council.
  Sign in         $PUBLIC_BASE_URL/app        (demo sign-in: enter an e-mail address below, no password)
  API             http://$HOST:$PORT            (health: /health)
  OpenAPI         http://$HOST:$PORT/docs
  E-mail inbox    http://127.0.0.1:${QUARTERLY_MAILDEV_WEB_PORT:-1080}
  API log         $QUARTERLY_DATA_DIR/api.log
  Tokens          source $QUARTERLY_DATA_DIR/demo-tokens.sh   (one TOKEN_<person> per demo user)

Demo accounts (e-mail address to sign in with, who they are):
$(node -e '
  for (const p of require(process.argv[1]).filter((p) => p.active)) {
    const role = p.roles.join(", ") + (p.directorate ? " — " + p.directorate : "");
    console.log("  " + p.email.padEnd(28) + " " + p.name.padEnd(22) + " " + role);
  }' "$QUARTERLY_DATA_DIR/identity-accounts.json")

Try:  source $QUARTERLY_DATA_DIR/demo-tokens.sh
      curl -s -H "Authorization: Bearer \$TOKEN_p_team" http://$HOST:$PORT/cycles/2026-27-Q2/status-board | head -c 600

Press Ctrl-C to stop.
MSG
wait "$api_pid"
