#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432 with trust auth and a database 'test'.
# On the project's machines it is already running; elsewhere (as root) start or install it.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
ready && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432; start it (trust auth, database 'test')" >&2
  exit 1
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
ver=$(ls /etc/postgresql | sort -n | tail -1)
conf=/etc/postgresql/$ver/main
grep -q "^host all all 127.0.0.1/32 trust" "$conf/pg_hba.conf" || \
  sed -i '1i host all all 127.0.0.1/32 trust\nlocal all all trust' "$conf/pg_hba.conf"
pg_ctlcluster --skip-systemctl-redirect "$ver" main start || pg_ctlcluster --skip-systemctl-redirect "$ver" main restart
for _ in $(seq 1 30); do ready && break; sleep 1; done
ready || { echo "PostgreSQL did not start" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 || \
  psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test"
