#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed, for the tests that open the API's web pages (the
# OpenAPI explorer at /docs, the queue dashboard at /admin/queues) in a real headless browser and
# for the scorecard's PDF export (printed by headless Chromium); and poppler-utils' pdftotext,
# with which the tests read the printed PDFs back.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing=()
[[ -x "$path" ]] || missing+=(chromium)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
[[ ${#missing[@]} -eq 0 ]] && exit 0
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "chromium.sh: installing Debian's ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  exit 0
fi
echo "chromium.sh: missing ${missing[*]}; install Debian's packages (or set CHROMIUM_PATH)" >&2
exit 1
