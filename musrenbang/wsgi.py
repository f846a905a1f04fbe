"""WSGI entry point (gunicorn musrenbang.wsgi)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings")
# What get_wsgi_application() does, with the request class that survives a client-chosen charset
# (musrenbang/permintaan.py).
django.setup(set_prefix=False)

from musrenbang.permintaan import PenanganWSGI  # noqa: E402 (needs the apps loaded first)

application = PenanganWSGI()
