#!/usr/bin/env bash
# Runs the crash and chaos tests (or the spec files given) N times in a row and stops at the
# first failing round: `bash scripts/repeat-tests.sh 20 [spec ...]`. Needs what `npm test`
# needs running (`npm run services`).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
shift || true
specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
  specs=(
    libs/eventing/test/durable-consumer.int.spec.ts
    libs/eventing/test/consumer-takeover.int.spec.ts
    libs/eventing/test/outbox-relay.int.spec.ts
    libs/eventing/test/projection-rollout.int.spec.ts
    services/booking/test/crash-before-publish.e2e.spec.ts
    services/notification/test/crash.e2e.spec.ts
    services/notification/test/recipient-order.e2e.spec.ts
    tests/system/faults.e2e.spec.ts
    tests/system/cluster.e2e.spec.ts
  )
fi
if [ -f tmp/services.env ]; then
  source tmp/services.env
  export DATABASE_URL=${DATABASE_URL:-postgres://postgres@$SERVICES_PG/postgres}
  export NATS_URL=${NATS_URL:-$SERVICES_NATS_URL}
fi
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules"
mkdir -p tmp/repeat
for round in $(seq 1 "$rounds"); do
  started=$(date +%s)
  if npx jest --runTestsByPath "${specs[@]}" >"tmp/repeat/round-$round.log" 2>&1; then
    echo "round $round/$rounds passed ($(($(date +%s) - started)) s, ${#specs[@]} files)"
  else
    echo "round $round/$rounds FAILED: see tmp/repeat/round-$round.log"
    grep -E '^FAIL|●' "tmp/repeat/round-$round.log" | head -20
    exit 1
  fi
done
echo "all $rounds rounds passed"
