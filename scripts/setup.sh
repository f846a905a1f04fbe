#!/usr/bin/env bash
# Sets up everything the project needs on a Debian 12 machine, idempotently:
# apt packages, the .venv (from Debian's own Python), a running PostgreSQL 15 cluster with PostGIS,
# the two database roles (owner and application) and the database, and a .env for development.
# Called by `make run`, `make test` and `make produksi`; safe to run any number of times. Runs as
# root, or as a user who may use sudo (it says what it needs otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

DB_NAME="${DB_NAME:-musrenbang}"
# The owner of the tables (runs migrations) and the role the application runs as (README, "Database roles").
DB_USER="${DB_USER:-musrenbang}"
DB_PASSWORD="${DB_PASSWORD:-musrenbang}"
DB_APP_USER="${DB_APP_USER:-${DB_USER}_app}"
DB_APP_PASSWORD="${DB_APP_PASSWORD:-$DB_APP_USER}"
PG_VERSION=15
# The cluster to use (tests/musrenbang/test_setup_pg.py runs this script against throw-away ones).
PG_CLUSTER="${PG_CLUSTER:-main}"
# Everything the app and its whole test suite use: libatomic1 for Playwright's driver, nginx for
# `make produksi`, the PostgreSQL client tools for backups, redis-server for the shared-cache test
# (which starts a throw-away server of its own; the package's own service is switched off).
APT_PACKAGES=(python3 python3-venv postgresql-$PG_VERSION postgresql-$PG_VERSION-postgis-3 libgdal32 gdal-bin
              gettext chromium fonts-dejavu-core libatomic1 nginx redis-server)
# Packages whose Debian service set-up switches off when it installs them: `make produksi` runs its own
# nginx, the tests their own redis-server; neither should listen on :80 or :6379 for nothing.
SERVICES_OFF=(nginx redis-server)

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# Root's work goes through sudo for a normal user; without either, stop and say what is needed.
if [ "$(id -u)" -eq 0 ]; then
  ROOT=()
elif command -v sudo >/dev/null 2>&1; then
  ROOT=(sudo)
else
  ROOT=(tidak-ada)
fi
as_root() {
  if [ "${ROOT[0]:-}" = tidak-ada ]; then
    printf '\033[1;31m[setup]\033[0m this step needs root: %s\n' "$*" >&2
    printf '[setup] run `make setup` as root once, or install sudo and allow this user (%s) to use it:\n' "$(id -un)" >&2
    printf '[setup]   apt-get install sudo && adduser %s sudo   (as root), then log in again\n' "$(id -un)" >&2
    exit 1
  fi
  "${ROOT[@]}" "$@"
}

# 1. System packages (only the missing ones; apt-get update only when something is missing).
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]} (with what they need: about 330 MB of downloads on a fresh machine)"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Progress-Fancy=0 \
    "${missing[@]}"
  for svc in "${SERVICES_OFF[@]}"; do
    [[ " ${missing[*]} " == *" $svc "* ]] || continue  # only what this run installed: never a service in use
    if [ -d /run/systemd/system ]; then
      log "switching off Debian's $svc service (set-up installed it; the project runs its own)"
      as_root systemctl disable --now --quiet "$svc" || true
    elif [ -x "/etc/init.d/$svc" ]; then  # no systemd (a container, a chroot): the package started it
      as_root "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
    fi
  done
  # nginx's default site (:80) goes too, when it is still Debian's untouched one.
  if [[ " ${missing[*]} " == *" nginx "* ]] && [ -L /etc/nginx/sites-enabled/default ] \
     && [ "$(readlink -f /etc/nginx/sites-enabled/default)" = /etc/nginx/sites-available/default ]; then
    stock=$(dpkg-query -W -f='${Conffiles}\n' nginx-common 2>/dev/null | awk '$1 == "/etc/nginx/sites-available/default" {print $2}')
    if [ -n "$stock" ] && [ "$(md5sum < /etc/nginx/sites-available/default | cut -d' ' -f1)" = "$stock" ]; then
      as_root rm /etc/nginx/sites-enabled/default
    fi
  fi
fi

# 2. Python virtualenv from Debian's own Python (PYTHON=... for another), with the pinned
# requirements (reinstalled only when they change). A .venv built from another interpreter is built
# again: the tests must run on what a Debian user runs. PERSYARATAN picks the set: dev (the default:
# requirements-dev.txt, the app with its test, lint and type tools) or runtime (`make produksi`:
# requirements.txt alone, in a .venv holding nothing else, rebuilt when it held the dev set).
PERSYARATAN="${PERSYARATAN:-dev}"
case "$PERSYARATAN" in
  dev) berkas_persyaratan=(requirements.txt requirements-dev.txt) ;;
  runtime) berkas_persyaratan=(requirements.txt) ;;
  *) printf '\033[1;31m[setup]\033[0m PERSYARATAN must be dev or runtime, got %s\n' "$PERSYARATAN" >&2; exit 2 ;;
esac
PY="${PYTHON:-/usr/bin/python3}"
want_py=$("$PY" -c 'import os, sys; print(os.path.realpath(sys.executable))')
if [ -x .venv/bin/python ]; then
  have_py=$(.venv/bin/python -c 'import os, sys; print(os.path.realpath(sys._base_executable))' 2>/dev/null || true)
  if [ "$have_py" != "$want_py" ]; then
    log "rebuilding .venv: it was made from ${have_py:-an interpreter that is gone}, not $want_py"
    rm -rf .venv
  fi
fi
stamp=.venv/.requirements.sha256
want="$PERSYARATAN $(cat "${berkas_persyaratan[@]}" | sha256sum | cut -d' ' -f1)"
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$PERSYARATAN" = runtime ] && [ -x .venv/bin/python ] && [ "$have" != "$want" ]; then
  # pip never removes what another set installed: production starts from an empty .venv.
  log "rebuilding .venv for the runtime requirements alone (it was installed with another set)"
  rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
  log "creating .venv with $want_py ($("$PY" --version))"
  "$PY" -m venv .venv
fi
if [ "$have" != "$want" ]; then
  log "installing the Python requirements ($PERSYARATAN: ${berkas_persyaratan[-1]}) into .venv"
  .venv/bin/pip install --disable-pip-version-check --progress-bar off -r "${berkas_persyaratan[-1]}" \
    | { grep --line-buffered -v '^Requirement already satisfied' || true; }
  .venv/bin/pip check >/dev/null
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

# As the postgres superuser over the local socket: works with peer and with trust auth. From /, which
# the postgres user may enter (the clone may not be readable to it).
psql_su() {
  (cd / && as_root runuser -u postgres -- env PGOPTIONS="-c client_min_messages=warning" \
     psql -p "$PORT" -v ON_ERROR_STOP=1 -qAt "$@")
}
psql_su -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE "$DB_USER" LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
  -- The application's role: it signs in and nothing more; \`manage.py migrate\` grants it its rights.
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_APP_USER') THEN
    CREATE ROLE "$DB_APP_USER" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD '$DB_APP_PASSWORD';
  END IF;
END \$\$;
SQL
# PostGIS is not a trusted extension: install it in template1 so every new (test) database has it.
psql_su -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;"
if [ -z "$(psql_su -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
  log "creating database $DB_NAME (owner $DB_USER, application role $DB_APP_USER)"
  psql_su -d postgres -c "CREATE DATABASE \"$DB_NAME\" OWNER \"$DB_USER\""
fi
psql_su -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;"

# 4. A local .env for development (never overwritten). One written before the two roles (DATABASE_URL
# as the owner, no DATABASE_URL_PEMILIK) gets the application's role added the same way.
if [ ! -f .env ]; then
  log "writing .env from .env.example"
  sed -e "s#^DATABASE_URL=.*#DATABASE_URL=postgis://$DB_APP_USER:$DB_APP_PASSWORD@127.0.0.1:$PORT/$DB_NAME#" \
      -e "s#^DATABASE_URL_PEMILIK=.*#DATABASE_URL_PEMILIK=postgis://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME#" \
      .env.example > .env
elif ! grep -q '^DATABASE_URL_PEMILIK=' .env && grep -q "^DATABASE_URL=postgis://$DB_USER:$DB_PASSWORD@" .env; then
  lama=$(grep "^DATABASE_URL=" .env | tail -n 1 | cut -d= -f2-)
  log "adding the application's role to .env: DATABASE_URL as $DB_APP_USER, DATABASE_URL_PEMILIK as $DB_USER"
  sed -i "s#^DATABASE_URL=postgis://$DB_USER:$DB_PASSWORD@#DATABASE_URL=postgis://$DB_APP_USER:$DB_APP_PASSWORD@#" .env
  printf 'DATABASE_URL_PEMILIK=%s\n' "$lama" >> .env
fi
log "ready (PostgreSQL on port $PORT, database $DB_NAME, roles $DB_USER and $DB_APP_USER)"
