#!/usr/bin/env bash
# Every check the project has: lint, formatting, types, then every test against the real
# PostgreSQL and NATS (started here when they are down).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true
bash scripts/services.sh
# The module-boundary lint rule reads Nx's project graph; build it first.
npx nx show projects >/dev/null
npx eslint . --max-warnings 0
npx prettier --check . --log-level warn
npx tsc -p tsconfig.json --noEmit
mkdir -p tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=tmp/vitest.json || status=$?
node -e '
  const r = require("./tmp/vitest.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  if (r.numTotalTests === 0) process.exitCode = 1;
' || status=1
exit $status
