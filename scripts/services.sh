#!/usr/bin/env bash
# Finds PostgreSQL and NATS (with JetStream) for `npm start` and `npm test` without changing the
# host's configuration: the ones on 127.0.0.1:5432 and 127.0.0.1:4222 when they answer (and
# PostgreSQL lets user postgres in without a password), else a private PostgreSQL cluster and
# nats-server under tmp/ on free ports. Writes the addresses to tmp/services.env, with
# SERVICES_STARTED naming what this run started; `services.sh stop <names>` stops those.
# Installs from Debian's packages (as root) only what is missing, saying why.
# PG_PORT and NATS_PORT point it at other addresses (say, one where nothing answers).
set -euo pipefail
cd "$(dirname "$0")/.."

PG_HOST=127.0.0.1 PG_PORT=${PG_PORT:-5432}
NATS_HOST=127.0.0.1 NATS_PORT=${NATS_PORT:-4222}
DB_NAME=${DB_NAME:-careservice}
PG_DIR=$PWD/tmp/postgres NATS_DIR=$PWD/tmp/nats

# Waits up to 20 s for the check to pass, else says what did not start.
wait_for() {
  local what=$1
  shift
  for _ in $(seq 1 100); do "$@" && return 0; sleep 0.2; done
  echo "$what did not start ($*)" >&2
  return 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2
    return 1
  fi
}

# PostgreSQL refuses to run as root; then the private cluster belongs to user postgres.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

pg_usable() {
  command -v psql >/dev/null \
    && env -u PGPASSWORD PGPASSFILE=/dev/null PGCONNECT_TIMEOUT=5 \
      psql -h "$1" -p "$2" -U postgres -w -d postgres -tAc 'SELECT 1' 2>/dev/null | grep -q 1
}

# A NATS server greets with an INFO line that says whether JetStream is on.
nats_usable() {
  local line
  line=$(
    exec 2>/dev/null 3<>"/dev/tcp/$1/$2" || exit 0
    read -t 5 -r line <&3 && echo "$line"
  ) || true
  [[ $line == INFO* && $line == *'"jetstream":true'* ]]
}

pg_bin() {
  local version
  if [ -f "$PG_DIR/data/PG_VERSION" ]; then version=$(cat "$PG_DIR/data/PG_VERSION"); else
    version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)
  fi
  [ -n "$version" ] && [ -x "/usr/lib/postgresql/$version/bin/initdb" ] && echo "/usr/lib/postgresql/$version/bin"
}

nats_bin() { command -v nats-server || { [ -x /usr/sbin/nats-server ] && echo /usr/sbin/nats-server; }; }

nats_pid() {
  local pid
  pid=$(cat "$NATS_DIR/nats.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop_private() {
  for what in "$@"; do
    case $what in
      postgres) as_pg_owner "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null ;;
      nats)
        local pid
        if pid=$(nats_pid); then
          kill -TERM "$pid"
          for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
        ;;
    esac
  done
}

if [ "${1:-}" = stop ]; then
  shift
  stop_private "$@"
  exit 0
fi

install_packages() {
  local missing=() why=()
  need() { missing+=("$1"); why+=("  $1: $2"); }
  if ! command -v psql >/dev/null; then
    need postgresql "psql checks and prepares the database; a private cluster runs when none answers"
  elif ! pg_usable $PG_HOST "$PG_PORT" && [ -z "$(pg_bin)" ]; then
    need postgresql "nothing on $PG_HOST:$PG_PORT lets user postgres in, so a private cluster runs under tmp/"
  fi
  if ! nats_usable $NATS_HOST "$NATS_PORT" && [ -z "$(nats_bin)" ]; then
    need nats-server "no NATS with JetStream on $NATS_HOST:$NATS_PORT, so a private one runs under tmp/"
  fi
  command -v radicale >/dev/null || need radicale "the CalDAV server of npm start's demo and of the sync tests"
  command -v xandikos >/dev/null || need xandikos "a second CalDAV server the sync tests run against"
  command -v vdirsyncer >/dev/null || need vdirsyncer "the reference the CalDAV sync benchmark compares against"
  [ -x /usr/bin/chromium ] || need chromium "the week page's test runs in it, headless"
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian's packages (as root):"
    printf '%s\n' "${why[@]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

started=()
# A run that fails halfway leaves nothing of its own running.
trap 'status=$?; [ $status -eq 0 ] || stop_private "${started[@]}"; exit $status' EXIT

private_postgres() {
  local bin
  bin=$(pg_bin)
  mkdir -p "$PG_DIR"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$PG_DIR"
  if as_pg_owner "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    # Another run (npm start, say) started it; it stops it too.
    PG_PORT=$(sed -n 4p "$PG_DIR/data/postmaster.pid")
    return 0
  fi
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    as_pg_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  fi
  PG_PORT=$(free_port)
  started+=(postgres)
  as_pg_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
    -o "-c listen_addresses=$PG_HOST -p $PG_PORT -c unix_socket_directories='$PG_DIR'" start >/dev/null
  wait_for PostgreSQL pg_usable $PG_HOST "$PG_PORT"
}

private_nats() {
  if nats_pid >/dev/null && NATS_PORT=$(cat "$NATS_DIR/port") && nats_usable $NATS_HOST "$NATS_PORT"; then
    return 0
  fi
  mkdir -p "$NATS_DIR"
  NATS_PORT=$(free_port)
  echo "$NATS_PORT" >"$NATS_DIR/port"
  started+=(nats)
  # Its own session, so that it outlives this script until `services.sh stop nats`.
  setsid "$(nats_bin)" -a $NATS_HOST -p "$NATS_PORT" -js -sd "$NATS_DIR" -P "$NATS_DIR/nats.pid" \
    -l "$NATS_DIR/nats.log" </dev/null >/dev/null 2>&1 &
  wait_for NATS nats_usable $NATS_HOST "$NATS_PORT"
}

install_packages
pg_usable $PG_HOST "$PG_PORT" || private_postgres
nats_usable $NATS_HOST "$NATS_PORT" || private_nats
if ! psql -h $PG_HOST -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  psql -h $PG_HOST -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $DB_NAME"
fi
mkdir -p tmp
cat >tmp/services.env <<EOF
# Written by scripts/services.sh: where PostgreSQL and NATS answer, and what that run started.
SERVICES_PG=$PG_HOST:$PG_PORT
SERVICES_NATS_URL=nats://$NATS_HOST:$NATS_PORT
SERVICES_STARTED="${started[*]}"
EOF
echo "PostgreSQL on $PG_HOST:$PG_PORT (database $DB_NAME), NATS with JetStream on $NATS_HOST:$NATS_PORT${started[*]:+ (started here: ${started[*]})}"
