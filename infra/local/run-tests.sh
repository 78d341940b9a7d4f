#!/usr/bin/env bash
# Runs every test: type-check, layer rules, then unit, integration and end-to-end suites against
# a real PostgreSQL and a real Redis on loopback (started here when not already running, and
# stopped again afterwards if this script started them), and the API's web pages in Debian's
# headless Chromium (installed here when missing).
#
#   npm test            (what the README and CI run)
#   npm test -- <jest args>   e.g. npm test -- libs/domain
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

started=()
cleanup() {
  for service in "${started[@]}"; do bash "infra/local/$service.sh" stop || true; done
}
trap cleanup EXIT

for service in postgres redis; do
  if ! bash "infra/local/$service.sh" status >/dev/null 2>&1; then
    bash "infra/local/$service.sh" start
    started+=("$service")
  fi
done
bash infra/local/chromium.sh
export DATABASE_URL="${DATABASE_URL:-$(bash infra/local/postgres.sh url)}"
export REDIS_URL="${REDIS_URL:-$(bash infra/local/redis.sh url)}"

echo "== type-check"
npx tsc -p tsconfig.json --noEmit
echo "== layer rules"
npx depcruise --config .dependency-cruiser.js libs apps
echo "== tests (PostgreSQL ${DATABASE_URL}, Redis ${REDIS_URL})"
mkdir -p .tmp
status=0
npx jest --ci --maxWorkers=2 --json --outputFile=.tmp/jest-results.json "$@" || status=$?
# One plain closing line that any CI reads: "tests: N passed, N failed, N skipped".
node -e '
  const r = require("./.tmp/jest-results.json");
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`tests: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit "$status"
