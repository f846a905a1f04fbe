#!/usr/bin/env bash
# `make test-segar`: the README's two commands on a pristine Debian 12, as a user gets it.
# Builds a minimal bookworm root with debootstrap (the base packages plus git and make, nothing else),
# clones this commit into it, and inside it, sharing this machine's network, with 127.0.0.1:5432 taken
# (this machine's PostgreSQL, or a stand-in listener the script holds when nothing listens there):
#   1. as a user without sudo: set-up stops at once and says it needs root or sudo;
#   2. as a user with sudo, first of all: `make setup` in their own clone installs the packages and
#      creates and starts the cluster through sudo (checked), on a port other than 5432, then one test;
#   3. as root: `make test` with a representative subset (database and roles, photo pipeline,
#      backup/restore, production behind nginx, shared cache with Redis, one browser test);
#   4. as root: `make run` on a free port answers / and /peta/ (then stopped);
#   5. 5432 free: in a network namespace of its own (no host port exists there), a new clone's set-up
#      with a cluster of its own takes 5432, and a database subset passes there. No network is needed:
#      the packages are installed and the clone gets a copy of the first clone's .venv.
# Any failure fails the run. Needs root, debootstrap (installed when missing) and Debian's mirror as
# apt uses it. SEGAR_CACHE (default /var/tmp/musrenbang-segar) keeps the base tarball and the downloaded
# .deb files between runs: only downloads, the root is built and set up anew every time.
set -euo pipefail
cd "$(dirname "$0")/.."
PROYEK=$(pwd)
CACHE="$(realpath -m "${SEGAR_CACHE:-/var/tmp/musrenbang-segar}")"
ROOTFS="$CACHE/root.$$"
SUBSET=(
  tests/musrenbang/test_migrasi.py
  tests/aman/test_peran_db.py
  tests/usulan/test_foto_format.py
  tests/aman/test_cadangan.py
  tests/aman/test_cadangan_arsip_jahat.py
  tests/aman/test_produksi.py
  tests/aman/test_cache_bersama.py
  "tests/peramban/test_usulan_ponsel.py::test_warga_mengirim_usulan_dari_ponsel"
)
# SEGAR_UJI: another subset (pytest arguments, space-separated).
if [ -n "${SEGAR_UJI:-}" ]; then read -r -a SUBSET <<< "$SEGAR_UJI"; fi
mulai=$SECONDS
log() { printf '\033[1;35m[segar %4ds]\033[0m %s\n' $((SECONDS - mulai)) "$*"; }

[ "$(id -u)" -eq 0 ] || { echo "make test-segar needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
fi

# The mirror apt uses here (deb822 .sources or the one-line format).
mirror=$(
  { grep -hs -A3 '^Types: deb' /etc/apt/sources.list.d/*.sources /dev/null | awk '/^URIs:/ {print $2}' || true;
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /dev/null | awk '{print $2}' || true; } \
  | { grep -v -e security -e '^$' || true; } | head -n 1
)
[ -n "$mirror" ] || { echo "no Debian mirror found in apt's sources" >&2; exit 1; }

mkdir -p "$CACHE/apt"
basis="$CACHE/bookworm-minbase-git-make.tgz"
if [ ! -s "$basis" ]; then
  log "downloading the base system from $mirror (kept in $basis)"
  debootstrap --variant=minbase --include=git,make --make-tarball="$basis.tmp" bookworm "$CACHE/unduh.$$" "$mirror" \
    > "$CACHE/debootstrap.log" 2>&1 || { tail -n 20 "$CACHE/debootstrap.log"; exit 1; }
  rm -rf "$CACHE/unduh.$$"
  mv "$basis.tmp" "$basis"
fi

dipasang=()
penahan=""
bersihkan() {
  local kode=$?
  [ -n "$penahan" ] && kill "$penahan" 2>/dev/null || true
  for ((i = ${#dipasang[@]} - 1; i >= 0; i--)); do umount -l "${dipasang[$i]}" 2>/dev/null || true; done
  # Stop what set-up started inside (its PostgreSQL cluster), by the pids under this root only.
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOTFS" ] && kill -9 "$pid" 2>/dev/null || true
  done
  if grep -q " $ROOTFS/" /proc/mounts; then
    log "something is still mounted under $ROOTFS: left in place"
  else
    rm -rf --one-file-system "$ROOTFS"
  fi
  [ $kode -eq 0 ] && log "passed" || log "FAILED (exit $kode)"
}
trap bersihkan EXIT
pasang() { mkdir -p "$ROOTFS$2"; mount "${@:3}" "$1" "$ROOTFS$2"; dipasang+=("$ROOTFS$2"); }

log "building a pristine bookworm root in $ROOTFS"
debootstrap --variant=minbase --include=git,make --unpack-tarball="$basis" bookworm "$ROOTFS" "$mirror" \
  > "$CACHE/debootstrap.log" 2>&1 || { tail -n 20 "$CACHE/debootstrap.log"; exit 1; }
pasang proc /proc -t proc
pasang sysfs /sys -t sysfs
pasang /dev /dev --bind
pasang devpts /dev/pts -t devpts
pasang shm /dev/shm -t tmpfs
pasang "$CACHE/apt" /var/cache/apt/archives --bind
# This machine's way out: name resolution, and the extra certificate authorities its network needs
# (with the variables that make pip use the system's list rather than its own).
cp /etc/resolv.conf /etc/hosts "$ROOTFS/etc/"
mkdir -p "$ROOTFS/usr/local/share/ca-certificates"
cp -r /usr/local/share/ca-certificates/. "$ROOTFS/usr/local/share/ca-certificates/" 2>/dev/null || true
netz=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_CERT REQUESTS_CA_BUNDLE SSL_CERT_FILE; do
  [ -n "${!v:-}" ] && netz+=("$v=${!v}")
done
# apt deletes downloaded packages after installing unless told to keep them (the cache above).
echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > "$ROOTFS/etc/apt/apt.conf.d/10simpan"

commit=$(git rev-parse HEAD)
log "cloning $commit"
git clone -q --no-hardlinks "$PROYEK" "$ROOTFS/srv/musrenbang"
git -C "$ROOTFS/srv/musrenbang" checkout -q --detach "$commit"

# A clean environment, as on a new machine (nothing of this machine's pip or PATH settings).
di_dalam() {
  chroot "$ROOTFS" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb "${netz[@]}" "$@"
}
di_dalam useradd -m -s /bin/bash warga
di_dalam useradd -m -s /bin/bash petugas

# 5432 must be taken for steps 2 and 3: this machine's PostgreSQL, or a stand-in held until step 4.
if python3 -c 'import socket; socket.create_connection(("127.0.0.1", 5432), timeout=2).close()' 2>/dev/null; then
  log "127.0.0.1:5432 is taken (this machine's server)"
else
  python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 5432)); s.listen(16); print("held", flush=True)
while True: time.sleep(3600)' > "$CACHE/penahan.log" &
  penahan=$!
  until grep -q held "$CACHE/penahan.log" 2>/dev/null; do kill -0 "$penahan" || { log "cannot hold 5432"; exit 1; }; sleep 0.1; done
  log "127.0.0.1:5432 was free: held by a stand-in listener (pid $penahan) for steps 2 and 3"
fi

log "1. a user without sudo runs set-up"
di_dalam git clone -q /srv/musrenbang /home/warga/musrenbang
di_dalam chown -R warga: /home/warga/musrenbang
if keluaran=$(di_dalam runuser -u warga -- bash -c 'cd ~/musrenbang && bash scripts/setup.sh' 2>&1); then
  echo "$keluaran"; log "set-up without root or sudo should have stopped"; exit 1
fi
echo "$keluaran" | grep -q "this step needs root" || { echo "$keluaran"; log "no clear message"; exit 1; }
echo "$keluaran" | tail -n 3

log "2. a user with sudo, first: make setup in their own clone (packages and cluster through sudo), one test"
di_dalam apt-get update -q > /dev/null
di_dalam env DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo > /dev/null
echo 'petugas ALL=(ALL) NOPASSWD: ALL' > "$ROOTFS/etc/sudoers.d/petugas"
di_dalam git clone -q /srv/musrenbang /home/petugas/musrenbang
di_dalam chown -R petugas: /home/petugas/musrenbang
di_dalam runuser -u petugas -- bash -c \
  'cd ~/musrenbang && make setup && make test PYTEST_ARGS=tests/musrenbang/test_migrasi.py' 2>&1 \
  | tee "$CACHE/petugas.log" | tail -n 5
! grep -qi "permission denied\|could not change directory" "$CACHE/petugas.log" \
  || { log "set-up printed errors as a user with sudo"; exit 1; }
for p in $(di_dalam bash -c 'source <(sed -n "/^APT_PACKAGES=/,/)/p" /srv/musrenbang/scripts/setup.sh | sed "s/\$PG_VERSION/15/g"); echo "${APT_PACKAGES[@]}"'); do
  di_dalam dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || { log "package $p is not installed after the sudo user's set-up"; exit 1; }
done
grep -q "installing Debian packages" "$CACHE/petugas.log" || { log "the sudo user's set-up installed nothing"; exit 1; }
# Debian's postgresql-15 package creates cluster main itself (set-up's pg_createcluster runs only where
# it is missing: step 5); in a chroot nothing starts it, so set-up's sudo pg_ctlcluster must have.
grep -q "starting PostgreSQL 15 cluster main" "$CACHE/petugas.log" || { log "the sudo user's set-up started no cluster"; exit 1; }
di_dalam pg_lsclusters -h | awk '$1 == 15 && $2 == "main" {print}' | grep -q online || { log "cluster main not online"; exit 1; }
grep -q ':5432/' "$ROOTFS/home/petugas/musrenbang/.env" && { log "set-up took 5432, which is taken"; exit 1; }
log "the sudo user's set-up installed every package and started the cluster"

log "3. as root: make test with the subset"
di_dalam bash -c "cd /srv/musrenbang && make test PYTEST_ARGS='${SUBSET[*]}'"
grep -q ':5432/' "$ROOTFS/srv/musrenbang/.env" && { log "set-up took 5432, which this machine's server holds"; exit 1; }
grep '^DATABASE_URL' "$ROOTFS/srv/musrenbang/.env"

[ -n "$penahan" ] && { kill "$penahan"; wait "$penahan" 2>/dev/null || true; penahan=""; }
log "4. as root: make run answers"
port_run=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
di_dalam bash -c "cd /srv/musrenbang && exec make run PORT=$port_run HOST=127.0.0.1" > "$CACHE/run.log" 2>&1 &
batas=$((SECONDS + 300))
until di_dalam /srv/musrenbang/.venv/bin/python -c '
import urllib.request
for jalur in ("/", "/peta/"):
    assert urllib.request.urlopen("http://127.0.0.1:'"$port_run"'" + jalur, timeout=5).status == 200' 2>/dev/null; do
  [ $SECONDS -lt $batas ] || { tail -n 30 "$CACHE/run.log"; log "make run did not answer"; exit 1; }
  sleep 2
done
grep -q "bappeda" "$CACHE/run.log" || { tail -n 30 "$CACHE/run.log"; log "no demo accounts printed"; exit 1; }
for pid in $(ls /proc | grep -E '^[0-9]+$'); do  # runserver and make, inside this root
  [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOTFS" ] && grep -qa runserver "/proc/$pid/cmdline" 2>/dev/null \
    && kill "$pid" 2>/dev/null || true
done
log "make run answered / and /peta/ with 200 and printed the demo accounts"

log "5. 5432 free: a new clone's set-up in a network namespace of its own (no network, no host ports)"
di_dalam git clone -q /srv/musrenbang /srv/bebas
cp -a "$ROOTFS/srv/musrenbang/.venv" "$ROOTFS/srv/bebas/.venv"  # installed already: pip needs no network
unshare -n -- bash -c 'ip link set lo up && exec "$@"' _ chroot "$ROOTFS" /usr/bin/env -i HOME=/root \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb \
  bash -c 'cd /srv/bebas && PG_CLUSTER=bebas DB_NAME=musrenbang_bebas make test PYTEST_ARGS="tests/musrenbang/test_migrasi.py tests/aman/test_peran_db.py"' \
  2>&1 | tee "$CACHE/bebas.log" | tail -n 5
[ "${PIPESTATUS[0]}" -eq 0 ] || { log "set-up or the subset failed with 5432 free"; exit 1; }
grep -q ':5432/musrenbang_bebas' "$ROOTFS/srv/bebas/.env" || { grep DATABASE_URL "$ROOTFS/srv/bebas/.env"; log "set-up did not choose 5432, which was free"; exit 1; }
log "with 5432 free set-up chose 5432 and the subset passed"
log "all steps passed in $((SECONDS - mulai)) s"
