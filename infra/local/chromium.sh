#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed, for the tests that open the API's web pages (the
# OpenAPI explorer at /docs, the queue dashboard at /admin/queues) in a real headless browser.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[[ -x "$path" ]] && exit 0
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "chromium.sh: installing Debian's chromium" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
  exit 0
fi
echo "chromium.sh: Chromium is missing; install Debian's 'chromium' package (or set CHROMIUM_PATH)" >&2
exit 1
