#!/usr/bin/env bash
# Production run mode on one machine (`make produksi`): refuses to start when `check --deploy`
# finds a problem, migrates, collects static files, then runs gunicorn (gunicorn.conf.py) and the
# notification worker side by side. SIGTERM or SIGINT stops both cleanly; if either one dies, the
# other is stopped too and the script exits non-zero, so systemd (Restart=always) or a container
# runtime restarts the pair. Settings come from the environment or .env: see README, "Production".
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
export DJANGO_SETTINGS_MODULE=musrenbang.settings

log() { printf '[produksi] %s\n' "$*" >&2; }

# PRODUKSI_CEK_GAGAL_PADA: the check level that stops start-up (default WARNING: any finding).
"$PY" manage.py check --deploy --fail-level "${PRODUKSI_CEK_GAGAL_PADA:-WARNING}"
"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput -v 0

# NOTIFIKASI_JEDA_DETIK: how long the worker sleeps when the outbox is empty (default 10).
"$PY" manage.py kirim_notifikasi --ulang --jeda "${NOTIFIKASI_JEDA_DETIK:-10}" &
pekerja=$!
"$PY" -m gunicorn --config gunicorn.conf.py &
server=$!
log "gunicorn (pid $server) and the notification worker (pid $pekerja) started"

berhenti() {
  kill -TERM "$server" "$pekerja" 2>/dev/null || true
  wait "$server" "$pekerja" 2>/dev/null || true
}
trap 'log "stopping"; berhenti; exit 0' TERM INT

set +e
wait -n "$server" "$pekerja"
status=$?
log "gunicorn or the notification worker ended (status $status); stopping the other"
berhenti
exit $((status == 0 ? 1 : status))
