#!/usr/bin/env bash
# Brings the whole system up on this machine: PostgreSQL and NATS (the machine's when they
# answer, else private ones under tmp/), a Radicale CalDAV server, a mail catcher, the five
# services and demo data; prints where to look. Ctrl-C stops what this script started, nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/services.sh
source tmp/services.env
started_services=$SERVICES_STARTED
trap 'bash scripts/services.sh stop $started_services' EXIT

export SWC_NODE_PROJECT=tsconfig.run.json
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@$SERVICES_PG/careservice}
export NATS_URL=${NATS_URL:-$SERVICES_NATS_URL}
# Demo only: production verifies RS256 tokens through AUTH_JWKS_URL.
export AUTH_JWT_SECRET=${AUTH_JWT_SECRET:-careservice-demo-secret-not-for-production}
export LOG_LEVEL=${LOG_LEVEL:-info}
# Changes made by hand in Radicale show up within a minute instead of five.
export SYNC_POLL_INTERVAL_MS=${SYNC_POLL_INTERVAL_MS:-60000}
# The week page (availability, port 3103) calls booking and sync, other origins.
export CORS_ORIGINS=${CORS_ORIGINS:-http://127.0.0.1:3103,http://localhost:3103}
# The demo's CalDAV server is on loopback, which the connector refuses unless told otherwise.
export CALDAV_ALLOW_PRIVATE_ADDRESSES=true

mkdir -p tmp/logs tmp/demo
listening() { (echo >"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }
# The preferred port when it is free, else one the kernel picks.
pick_port() {
  if listening "$1"; then
    node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
  else echo "$1"; fi
}

declare -A ports=([connector]=3101 [sync]=3102 [availability]=3103 [booking]=3104 [notification]=3105 [assistant]=3106)
# The assistant is ready once availability and booking are: it keeps nothing of its own.
services=(connector sync availability booking notification assistant)
for service in "${services[@]}"; do
  if listening "${ports[$service]}"; then
    echo "port ${ports[$service]} ($service) is taken: is npm start already running?" >&2
    exit 1
  fi
done

# The connector seals CalDAV passwords with this key; kept, so that a second run can still
# read the connections the first one made.
if [ -z "${CREDENTIALS_KEYS:-}" ]; then
  [ -s tmp/demo/credentials-keys ] || (umask 077 && node -e "console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))" >tmp/demo/credentials-keys)
  CREDENTIALS_KEYS=$(cat tmp/demo/credentials-keys)
fi
export CREDENTIALS_KEYS

# Booking and notification seal each person's keys with this one (docs/adr/0008); kept likewise.
if [ -z "${PERSONAL_DATA_KEYS:-}" ]; then
  [ -s tmp/demo/personal-data-keys ] || (umask 077 && node -e "console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))" >tmp/demo/personal-data-keys)
  PERSONAL_DATA_KEYS=$(cat tmp/demo/personal-data-keys)
fi
export PERSONAL_DATA_KEYS

pids=()
names=()
declare -A pid_of
stop() {
  trap - INT TERM EXIT
  echo
  echo "stopping what npm start started..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # The services drain within SHUTDOWN_TIMEOUT_MS (10 s by default); then they are killed.
  for _ in $(seq 1 60); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash scripts/services.sh stop $started_services
}
trap 'status=$?; stop; exit $status' EXIT
trap 'stop; exit 0' INT TERM

started() {
  pids+=("$1")
  names+=("$2")
  pid_of[$2]=$1
}

# The status line of a GET, or nothing when the port does not answer.
http_status() {
  (
    exec 2>/dev/null 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3
    read -t 5 -r line <&3 && echo "${line%$'\r'}"
  ) || true
}
# Ready means PostgreSQL and NATS answer and the migrations ran.
ready() { [[ $(http_status "$1" /health/ready) == *" 200 "* ]]; }

# Waits until the check passes (two minutes at most), or says which process died or hung.
wait_for() {
  local name=$1 pid=$2
  shift 2
  for _ in $(seq 1 600); do
    "$@" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "$name did not come up ($*); tmp/logs/$name.log says:" >&2
  tail -20 "tmp/logs/$name.log" >&2
  return 1
}

# Radicale with plain htpasswd logins (the demo seed writes the users), storage under tmp/.
RADICALE_PORT=$(pick_port 5232)
mkdir -p tmp/radicale/collections
touch tmp/radicale/users
cat >tmp/radicale/config <<EOF
[server]
hosts = 127.0.0.1:$RADICALE_PORT
[auth]
type = htpasswd
htpasswd_filename = $PWD/tmp/radicale/users
htpasswd_encryption = plain
delay = 0
[rights]
type = owner_only
[storage]
filesystem_folder = $PWD/tmp/radicale/collections
[logging]
level = warning
EOF
radicale -C tmp/radicale/config >tmp/logs/radicale.log 2>&1 &
started $! radicale
wait_for radicale $! listening "$RADICALE_PORT"
export RADICALE_URL=http://127.0.0.1:$RADICALE_PORT/
export RADICALE_USERS_FILE=$PWD/tmp/radicale/users

export MAIL_CATCHER_SMTP_PORT=${MAIL_CATCHER_SMTP_PORT:-$(pick_port 1025)}
export MAIL_CATCHER_HTTP_PORT=${MAIL_CATCHER_HTTP_PORT:-$(pick_port 1080)}
node -r @swc-node/register scripts/mail-catcher.ts >tmp/logs/mail-catcher.log 2>&1 &
started $! mail-catcher
wait_for mail-catcher $! listening "$MAIL_CATCHER_SMTP_PORT"
wait_for mail-catcher $! listening "$MAIL_CATCHER_HTTP_PORT"
export SMTP_URL=smtp://127.0.0.1:$MAIL_CATCHER_SMTP_PORT
export MAIL_CATCHER_URL=http://127.0.0.1:$MAIL_CATCHER_HTTP_PORT/

for service in "${services[@]}"; do
  PORT=${ports[$service]} node -r @swc-node/register "services/$service/src/main.ts" >"tmp/logs/$service.log" 2>&1 &
  started $! "$service"
done
echo "starting the services (logs in tmp/logs/)..."
for service in "${services[@]}"; do
  wait_for "$service" "${pid_of[$service]}" ready "${ports[$service]}"
done

node -r @swc-node/register scripts/demo-seed.ts
echo "Logs: tmp/logs/<name>.log. Press Ctrl-C to stop."
set +e
wait -n "${pids[@]}"
for i in "${!pids[@]}"; do
  kill -0 "${pids[$i]}" 2>/dev/null || echo "${names[$i]} stopped unexpectedly: see tmp/logs/${names[$i]}.log" >&2
done
exit 1
