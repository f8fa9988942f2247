#!/usr/bin/env bash
# Makes sure PostgreSQL and NATS (with JetStream) run on this machine: installs them from
# Debian's packages when missing (as root), starts them when stopped, creates the database.
# Also installs the CalDAV servers the tests start on their own ports (Radicale, Xandikos)
# and vdirsyncer, the reference the sync benchmark compares against, and Chromium, in which
# the week page's test runs headless.
set -euo pipefail

PG_HOST=127.0.0.1 PG_PORT=5432 NATS_PORT=4222
DB_NAME=${DB_NAME:-careservice}

listening() { (echo >"/dev/tcp/$1/$2") >/dev/null 2>&1; }

wait_for() {
  for _ in $(seq 1 100); do listening "$1" "$2" && return 0; sleep 0.2; done
  echo "$3 did not start on $1:$2" >&2
  return 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2
    return 1
  fi
}

install_packages() {
  local missing=()
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  [ -x /usr/sbin/nats-server ] || command -v nats-server >/dev/null || missing+=(nats-server)
  command -v radicale >/dev/null || missing+=(radicale)
  command -v xandikos >/dev/null || missing+=(xandikos)
  command -v vdirsyncer >/dev/null || missing+=(vdirsyncer)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} from Debian's packages"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

start_postgres() {
  listening $PG_HOST $PG_PORT && return 0
  local version
  version=$(ls /etc/postgresql | sort -V | tail -1)
  # Local development trusts loopback connections: the demo and test databases have no passwords.
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "/etc/postgresql/$version/main/pg_hba.conf"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "/etc/postgresql/$version/main/pg_hba.conf"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_for $PG_HOST $PG_PORT PostgreSQL
}

start_nats() {
  listening 127.0.0.1 $NATS_PORT && return 0
  as_root mkdir -p /var/lib/nats-server
  as_root start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server || echo /usr/sbin/nats-server)" -- \
    -a 127.0.0.1 -p $NATS_PORT -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_for 127.0.0.1 $NATS_PORT NATS
}

install_packages
start_postgres
start_nats
if ! psql -h $PG_HOST -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
  psql -h $PG_HOST -U postgres -qc "CREATE DATABASE $DB_NAME"
fi
echo "PostgreSQL on $PG_HOST:$PG_PORT (database $DB_NAME), NATS with JetStream on 127.0.0.1:$NATS_PORT"
