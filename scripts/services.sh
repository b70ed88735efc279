#!/usr/bin/env bash
# PostgreSQL and Redis for the tests, at 127.0.0.1, and nginx (the ports o2portal's tests and
# `make run-scaled` use). Where they already answer (as on the project's CI machines)
# this does nothing; on a fresh Debian machine it installs and starts them.
set -euo pipefail
SUDO=$([ "$(id -u)" = "0" ] || echo sudo)
PY=${PYTHON:-.venv/bin/python}

pg_ok() {
  "$PY" - <<'PY' >/dev/null 2>&1
import psycopg
psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3).close()
PY
}

if ! pg_ok; then
  echo "services: starting PostgreSQL"
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # Tests connect as postgres over TCP on the loopback without a password.
  if ! $SUDO grep -q "o2portal tests" "$hba"; then
    printf '# o2portal tests: trust on the loopback\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' \
      | $SUDO tee /tmp/o2portal-hba >/dev/null
    $SUDO sh -c "cat '$hba' >> /tmp/o2portal-hba && cp /tmp/o2portal-hba '$hba'"
  fi
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  for _ in $(seq 30); do pg_ok && break; sleep 1; done
  pg_ok || { echo "services: PostgreSQL did not start" >&2; exit 1; }
fi

if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  echo "services: starting Redis"
  if ! command -v redis-server >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
  fi
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 30); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 1; done
fi
# nginx, for the browser tests that run deploy/nginx.conf in front of two workers.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "services: installing nginx"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx-light >/dev/null \
    || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
fi
echo "services: PostgreSQL and Redis answer at 127.0.0.1; nginx is installed"
