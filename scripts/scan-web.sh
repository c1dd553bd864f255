#!/usr/bin/env bash
# npm run scan:web — outside CI. Installs Debian's sqlmap and wapiti if missing, then runs both
# against a local Oroshi with a signed-in salon session: the real build must yield nothing, the
# negative-control build (one deliberately injectable route) must be caught. See scripts/scan-web.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v sqlmap >/dev/null 2>&1 || missing+=(sqlmap)
command -v wapiti >/dev/null 2>&1 || missing+=(wapiti)
if [ ${#missing[@]} -gt 0 ]; then
  echo "--- apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade "${missing[@]}" >/dev/null
fi
exec node --import tsx scripts/scan-web.ts "$@"
