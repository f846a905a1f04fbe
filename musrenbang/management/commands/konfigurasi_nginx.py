"""manage.py konfigurasi_nginx --folder RUN: the nginx configuration `scripts/produksi.sh` runs Debian's
nginx with, in front of gunicorn's local socket. Limits come from the app's own settings, so they cannot
drift apart: the largest body the proposal form may send (every photo at its maximum, plus the form
fields), gunicorn's timeout. nginx reads whole request bodies before gunicorn sees the request, so slow
clients hold only nginx's cheap connections, never gunicorn's threads. It serves the collected static
files (the precompressed .gz copies too) and the public photo copies itself; private originals never."""

from __future__ import annotations

import ipaddress
import math
import os
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

MB = 1024 * 1024

TEMPLAT = """# Written by `manage.py konfigurasi_nginx` (scripts/produksi.sh); not to be edited: it is written anew
# at each start. Limits: README, "Production".
{pengguna}worker_processes {pekerja};
# Open files per worker: each proxied connection takes two (client and gunicorn), so the
# {koneksi} connections below need this many.
worker_rlimit_nofile {berkas};
daemon off;
pid {folder}/nginx.pid;
error_log stderr warn;

events {{
    worker_connections {koneksi};
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout combined;
    server_tokens off;
    sendfile on;
    tcp_nopush on;

    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;

    # The largest request the app takes: {foto} photos of {foto_mb} MB each plus the form's fields.
    client_max_body_size {badan_mb}m;
    client_body_buffer_size 1m;
    # A client that sends nothing for this long (headers, or any part of the body) is dropped.
    client_header_timeout {klien_detik}s;
    client_body_timeout {klien_detik}s;
    send_timeout {klien_detik}s;
    keepalive_timeout 15s;

    upstream gunicorn {{
        server unix:{soket};
    }}

    server {{
        listen {dengar};
        server_name _;
{tls}{izin}
        location / {{
            proxy_pass http://gunicorn;
            # The whole body first, then one quick request to gunicorn.
            proxy_request_buffering on;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For {xff};
            proxy_set_header X-Forwarded-Proto {proto};
            proxy_connect_timeout 5s;
            # gunicorn's own timeout (GUNICORN_TIMEOUT) plus a margin: gunicorn answers or gives up first.
            proxy_read_timeout {baca_detik}s;
            proxy_send_timeout {baca_detik}s;
        }}

        # Collected static files: names with a content hash never change.
        location ~ "^/static/(.+\\.[0-9a-f]{{12}}\\.[A-Za-z0-9]+)$" {{
            alias {statis}/$1;
            gzip_static on;
            add_header Cache-Control "max-age=315360000, public, immutable";
            add_header X-Content-Type-Options nosniff;
        }}
        location /static/ {{
            alias {statis}/;
            gzip_static on;
            add_header Cache-Control "max-age=60, public";
            add_header X-Content-Type-Options nosniff;
        }}
        # Public photo copies (MEDIA_ROOT/publik); the private originals are never served.
        location /media/publik/ {{
            alias {media}/;
            add_header Cache-Control "max-age=3600, public";
            add_header X-Content-Type-Options nosniff;
            add_header Content-Security-Policy "default-src 'none'";
        }}
        location /media/ {{
            return 404;
        }}
    }}
}}
"""


def batas_badan_mb() -> int:
    """client_max_body_size in MB: every photo at its maximum plus Django's cap on the form fields."""
    return math.ceil(
        (settings.FOTO_JUMLAH_MAKS * settings.FOTO_UKURAN_MAKS + settings.DATA_UPLOAD_MAX_MEMORY_SIZE) / MB
    )


def dengar_loopback(dengar: str) -> bool:
    """Whether nginx's `listen` value (port, address:port, [v6]:port, name:port) is a loopback address
    only; a bare port listens on every address."""
    if ":" not in dengar:
        return False
    alamat = dengar.rsplit(":", 1)[0].strip("[]")
    if alamat == "localhost":
        return True
    try:
        return ipaddress.ip_address(alamat).is_loopback
    except ValueError:
        return False


def _bisa_dibaca(pengguna: str, jalur: Path) -> bool:
    hasil = subprocess.run(  # noqa: S603
        ["/usr/sbin/runuser", "-u", pengguna, "--", "test", "-r", str(jalur), "-a", "-x", str(jalur)],
        check=False,
        capture_output=True,
    )
    return hasil.returncode == 0


class Command(BaseCommand):
    help = "Tulis konfigurasi nginx untuk scripts/produksi.sh ke keluaran standar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", required=True, help="folder kerja nginx (pid, berkas sementara)")
        parser.add_argument("--soket", required=True, help="soket unix gunicorn")
        parser.add_argument("--dengar", default="80", help="alamat:port yang didengar nginx (bawaan 80)")
        parser.add_argument("--sertifikat", default="", help="sertifikat TLS (PEM): nginx melayani HTTPS")
        parser.add_argument("--kunci", default="", help="kunci privat sertifikat TLS (PEM)")
        parser.add_argument(
            "--proxy-depan",
            action="store_true",
            help="ada proxy TLS tepercaya di depan nginx: teruskan X-Forwarded-Proto dan X-Forwarded-For darinya",
        )
        parser.add_argument(
            "--alamat-proxy",
            default="",
            help="alamat proxy depan (dipisah koma): hanya alamat itu yang dilayani nginx (wajib dengan "
            "--proxy-depan bila nginx mendengar selain loopback)",
        )
        parser.add_argument("--pengguna", default="www-data", help="pengguna proses pekerja nginx bila dijalankan root")
        parser.add_argument("--timeout-gunicorn", type=int, default=60, help="GUNICORN_TIMEOUT (detik)")

    def handle(self, *args: Any, **opsi: Any) -> None:
        folder = Path(opsi["folder"]).resolve()
        statis = Path(settings.STATIC_ROOT).resolve()
        media = (Path(settings.MEDIA_ROOT) / "publik").resolve()
        media.mkdir(parents=True, exist_ok=True)
        if bool(opsi["sertifikat"]) != bool(opsi["kunci"]):
            raise CommandError("NGINX_SERTIFIKAT dan NGINX_KUNCI harus diisi keduanya, atau tidak sama sekali.")
        alamat_proxy = [a.strip() for a in opsi["alamat_proxy"].split(",") if a.strip()]
        for alamat in alamat_proxy:
            try:
                ipaddress.ip_network(alamat, strict=False)
            except ValueError as galat:
                raise CommandError(f"NGINX_PROXY_ALAMAT: bukan alamat IP atau jaringan: {alamat}") from galat
        if opsi["proxy_depan"] and not alamat_proxy and not dengar_loopback(opsi["dengar"]):
            # nginx would believe X-Forwarded-For/-Proto from anyone who reaches it.
            raise CommandError(
                f"NGINX_PROXY_DEPAN=true dengan NGINX_LISTEN={opsi['dengar']} (bukan loopback): isi "
                "NGINX_PROXY_ALAMAT dengan alamat proxy depan, agar hanya proxy itu yang dipercaya."
            )
        izin = "".join(f"        allow {a};\n" for a in alamat_proxy) + ("        deny all;\n" if alamat_proxy else "")
        root = os.geteuid() == 0
        if root:
            # nginx's workers then run as this user: they must reach the files they serve.
            tak_terbaca = [str(j) for j in (folder, statis, media) if not _bisa_dibaca(opsi["pengguna"], j)]
            if tak_terbaca:
                raise CommandError(
                    f"Pekerja nginx (pengguna {opsi['pengguna']}) tidak bisa membaca: {', '.join(tak_terbaca)}. "
                    "Beri izin baca (chmod o+rx pada folder-folder itu dan induknya) atau atur NGINX_PENGGUNA."
                )
        tls = ""
        if opsi["sertifikat"]:
            tls = (
                f"        ssl_certificate {Path(opsi['sertifikat']).resolve()};\n"
                f"        ssl_certificate_key {Path(opsi['kunci']).resolve()};\n"
                "        ssl_protocols TLSv1.2 TLSv1.3;\n"
            )
        self.stdout.write(
            TEMPLAT.format(
                pengguna=f"user {opsi['pengguna']};\n" if root else "",
                pekerja="auto",
                koneksi=4096,
                berkas=8192,
                izin=izin,
                folder=folder,
                foto=settings.FOTO_JUMLAH_MAKS,
                foto_mb=settings.FOTO_UKURAN_MAKS // MB,
                badan_mb=batas_badan_mb(),
                klien_detik=30,
                soket=Path(opsi["soket"]).resolve(),
                dengar=opsi["dengar"] + (" ssl" if opsi["sertifikat"] else ""),
                tls=tls,
                xff="$proxy_add_x_forwarded_for" if opsi["proxy_depan"] else "$remote_addr",
                proto="$http_x_forwarded_proto" if opsi["proxy_depan"] else "$scheme",
                baca_detik=opsi["timeout_gunicorn"] + 5,
                statis=statis,
                media=media,
            ),
            ending="",
        )
