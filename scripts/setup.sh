#!/usr/bin/env bash
# Sets up everything the project needs on a Debian 12 machine, idempotently:
# apt packages, the .venv, a running PostgreSQL 15 cluster with PostGIS, the app role and database.
# Called by `make run` and `make test`; safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME="${DB_NAME:-musrenbang}"
DB_USER="${DB_USER:-musrenbang}"
DB_PASSWORD="${DB_PASSWORD:-musrenbang}"
PG_VERSION=15
# The cluster to use (tests/musrenbang/test_setup_pg.py runs this script against throw-away ones).
PG_CLUSTER="${PG_CLUSTER:-main}"
APT_PACKAGES=(python3 python3-venv postgresql-$PG_VERSION postgresql-$PG_VERSION-postgis-3 libgdal32 gdal-bin
              gettext chromium fonts-dejavu-core)

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. System packages (only the missing ones; apt-get update only when something is missing).
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Python virtualenv with the pinned requirements (reinstalled only when requirements.txt changes).
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  log "creating .venv with $($PY --version)"
  $PY -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing Python requirements"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# 3. PostgreSQL: a cluster must exist and be running (some machines start it, some do not).
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1, $2}' | grep -q "^$PG_VERSION $PG_CLUSTER$"; then
  log "creating PostgreSQL $PG_VERSION cluster $PG_CLUSTER"
  as_root pg_createcluster "$PG_VERSION" "$PG_CLUSTER" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}' | grep -q online; then
  log "starting PostgreSQL $PG_VERSION cluster $PG_CLUSTER"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start
fi
PORT=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $3}')
for _ in $(seq 1 30); do pg_isready -q -p "$PORT" && break; sleep 0.5; done

# As the postgres superuser over the local socket: works with peer and with trust auth.
psql_su() { as_root runuser -u postgres -- env PGOPTIONS="-c client_min_messages=warning" psql -p "$PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }
psql_su -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
SQL
# PostGIS is not a trusted extension: install it in template1 so every new (test) database has it.
psql_su -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;"
if [ -z "$(psql_su -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
  log "creating database $DB_NAME"
  psql_su -d postgres -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\""
fi
psql_su -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;"

# 4. A local .env for development (never overwritten).
if [ ! -f .env ]; then
  log "writing .env from .env.example"
  sed "s#:5432/#:$PORT/#" .env.example > .env
fi
log "ready (PostgreSQL on port $PORT, database $DB_NAME)"
