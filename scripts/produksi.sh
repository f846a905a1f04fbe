#!/usr/bin/env bash
# Production run mode on one machine (`make produksi`): refuses to start when `check --deploy`
# finds a problem, migrates (as the owner role, then grants the application's role its rights),
# collects static files, then runs Debian's nginx in front of gunicorn (gunicorn.conf.py, on a unix
# socket only nginx talks to) and the notification worker. nginx buffers whole request bodies, serves
# static files and public photos itself, and applies the app's limits (manage.py konfigurasi_nginx).
# SIGTERM or SIGINT stops all three cleanly; if one dies, the others are stopped too and the script
# exits non-zero, so systemd (Restart=always) or a container runtime restarts them together.
# Settings come from the environment or .env: see README, "Production".
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
NGINX="${NGINX:-/usr/sbin/nginx}"
export DJANGO_SETTINGS_MODULE=musrenbang.settings

log() { printf '[produksi] %s\n' "$*" >&2; }

# PRODUKSI_FOLDER: nginx's configuration, pid and temporary files, and gunicorn's socket.
folder="$(realpath -m "${PRODUKSI_FOLDER:-.produksi}")"
mkdir -p "$folder"
chmod 755 "$folder"
# gunicorn's socket (created rwxrwx--- by gunicorn.conf.py's umask) lives in a folder of its own that
# other local users cannot enter: only this user and, when run as root, nginx's workers through the
# folder's group (setgid, so the socket gets that group too). Without root nginx runs as this user.
soket_folder="$folder/soket"
mkdir -p "$soket_folder"
if [ "$(id -u)" -eq 0 ]; then
  chgrp "$(id -gn "${NGINX_PENGGUNA:-www-data}")" "$soket_folder"
  chmod 2750 "$soket_folder"
else
  chmod 0700 "$soket_folder"
fi
export GUNICORN_BIND="${GUNICORN_BIND:-unix:$soket_folder/gunicorn.sock}"
case "$GUNICORN_BIND" in
  unix:*) ;;
  *) log "GUNICORN_BIND must be a unix: socket (nginx is the only way in), got $GUNICORN_BIND"; exit 2 ;;
esac
# Django counts the client's address from the X-Forwarded-For entry nginx (and a TLS proxy in front of
# it, NGINX_PROXY_DEPAN=true) adds, unless JUMLAH_PROXY_TEPERCAYA is set in the environment or .env.
# NGINX_PROXY_ALAMAT: the front proxy's address(es), comma-separated: nginx then accepts only them
# (required with NGINX_PROXY_DEPAN=true unless NGINX_LISTEN is a loopback address).
proxy_depan=()
if [ "${NGINX_PROXY_DEPAN:-false}" = true ]; then proxy_depan=(--proxy-depan --alamat-proxy "${NGINX_PROXY_ALAMAT:-}"); fi
if [ -z "${JUMLAH_PROXY_TEPERCAYA:-}" ] && ! grep -qs '^JUMLAH_PROXY_TEPERCAYA=[0-9]' "${MUSRENBANG_ENV_FILE-.env}"; then
  export JUMLAH_PROXY_TEPERCAYA=$((1 + ${#proxy_depan[@]}))
fi

# PRODUKSI_CEK_GAGAL_PADA: the check level that stops start-up (default WARNING: any finding).
"$PY" manage.py check --deploy --fail-level "${PRODUKSI_CEK_GAGAL_PADA:-WARNING}"
"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput -v 0
# NGINX_LISTEN: [address:]port (default 80); NGINX_SERTIFIKAT + NGINX_KUNCI: serve HTTPS there.
"$PY" manage.py konfigurasi_nginx --folder "$folder" --soket "${GUNICORN_BIND#unix:}" \
  --dengar "${NGINX_LISTEN:-80}" --sertifikat "${NGINX_SERTIFIKAT:-}" --kunci "${NGINX_KUNCI:-}" \
  --pengguna "${NGINX_PENGGUNA:-www-data}" --timeout-gunicorn "${GUNICORN_TIMEOUT:-60}" "${proxy_depan[@]}" \
  > "$folder/nginx.conf"
"$NGINX" -t -q -p "$folder" -c "$folder/nginx.conf" -e stderr

# NOTIFIKASI_JEDA_DETIK: how long the worker sleeps when the outbox is empty (default 10).
"$PY" manage.py kirim_notifikasi --ulang --jeda "${NOTIFIKASI_JEDA_DETIK:-10}" &
pekerja=$!
"$PY" -m gunicorn --config gunicorn.conf.py &
server=$!
"$NGINX" -p "$folder" -c "$folder/nginx.conf" -e stderr &
nginx=$!
log "nginx (pid $nginx, ${NGINX_LISTEN:-80}) -> gunicorn (pid $server, $GUNICORN_BIND), notification worker (pid $pekerja)"

berhenti() {
  kill -QUIT "$nginx" 2>/dev/null || true  # nginx: finish the requests under way, then stop
  kill -TERM "$server" "$pekerja" 2>/dev/null || true
  wait "$nginx" "$server" "$pekerja" 2>/dev/null || true
}
trap 'log "stopping"; berhenti; exit 0' TERM INT

set +e
wait -n "$nginx" "$server" "$pekerja"
status=$?
log "nginx, gunicorn or the notification worker ended (status $status); stopping the others"
berhenti
exit $((status == 0 ? 1 : status))
