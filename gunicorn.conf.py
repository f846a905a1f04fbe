"""gunicorn settings for production (scripts/produksi.sh). Each value can be changed through an
environment variable; the application's own settings stay in musrenbang/settings.py."""

import os

wsgi_app = "musrenbang.wsgi:application"
# GUNICORN_BIND: address(es) to listen on, comma-separated. scripts/produksi.sh sets a unix socket
# that only its nginx talks to; the loopback default serves a bare `gunicorn` run (bench/beban.py).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
# A unix socket is created rwxrwx---: no other local user may talk to gunicorn past nginx (and forge
# X-Forwarded-*). scripts/produksi.sh puts it in a folder only its user and nginx's group may enter.
umask = 0o007


def when_ready(server):
    """A unix socket takes its folder's group, as a file in a setgid folder would (gunicorn itself gives
    it its own group): with produksi.sh's folder that is nginx's workers' group, and no one else's."""
    for pendengar in server.LISTENERS:
        alamat = pendengar.cfg_addr
        if isinstance(alamat, str) and not alamat.startswith("\0"):
            os.chown(alamat, -1, os.stat(os.path.dirname(alamat) or ".").st_gid)


# GUNICORN_WORKERS: processes (default 2 × cores + 1, at most 9); GUNICORN_THREADS: threads each
# (default 4). nginx in front reads whole request bodies first, so a thread is never held by a slow
# client: it only waits for the database and for photo processing.
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 9)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# GUNICORN_TIMEOUT: seconds a request may take (default 60: five 15 MB photos are decoded and resized).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so memory held by large image decodes goes back to the system.
max_requests = 2000
max_requests_jitter = 200
# GUNICORN_ACCESS_LOG: "-" (standard output, the default) or a file path; errors go to standard error.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
# FORWARDED_ALLOW_IPS: proxies whose X-Forwarded-* headers gunicorn believes (default loopback; a unix
# socket's peer, nginx, is always believed).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The heartbeat file in memory: a slow disk must not make gunicorn think a worker hangs. (gunicorn
# creates it with mkstemp and unlinks it at once, so a shared folder is safe here.)
_SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None
# No control socket (gunicornc): nothing uses it, and several instances would share its default path.
control_socket_disable = True
