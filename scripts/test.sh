#!/usr/bin/env bash
# Every check the project has: lint, formatting, types, then every test against the real
# PostgreSQL and NATS (the machine's, or private ones under tmp/ that stop with this script).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true
bash scripts/services.sh
source tmp/services.env
trap 'bash scripts/services.sh stop $SERVICES_STARTED' EXIT
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@$SERVICES_PG/postgres}
export NATS_URL=${NATS_URL:-$SERVICES_NATS_URL}
# The recurrence oracle test needs python-dateutil; without it in any python3, unpack
# Debian's package (and six, which it imports) into tmp/ without installing it system-wide;
# the test adds tmp/pydeps to PYTHONPATH.
if ! python3 -c 'import dateutil' 2>/dev/null && ! /usr/bin/python3 -c 'import dateutil' 2>/dev/null \
  && [ ! -d tmp/pydeps/usr/lib/python3/dist-packages/dateutil ]; then
  echo "unpacking python3-dateutil and python3-six into tmp/pydeps: the recurrence oracle test needs them"
  mkdir -p tmp/py-debs tmp/pydeps
  (cd tmp/py-debs && apt-get download python3-dateutil python3-six)
  for deb in tmp/py-debs/*.deb; do dpkg -x "$deb" tmp/pydeps; done
fi
# The module-boundary lint rule reads Nx's project graph; build it first.
npx nx show projects >/dev/null
npx eslint . --max-warnings 0
npx prettier --check . --log-level warn
npx tsc -p tsconfig.json --noEmit
npx tsc -p services/availability/src/features/web-week/page/tsconfig.json --noEmit
mkdir -p tmp
status=0
# gaxios (the Google clients) loads fetch with a dynamic import(), which Jest runs only with VM modules.
NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules" npx jest --json --outputFile=tmp/jest.json || status=$?
node -e '
  const r = require("./tmp/jest.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  if (r.numTotalTests === 0) process.exitCode = 1;
' || status=1
exit $status
