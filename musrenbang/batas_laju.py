"""Rate limits on public forms: fixed windows counted in PostgreSQL, so every worker process agrees.

IP addresses and sign-in identities are personal data: keys hold an HMAC of them, never the text itself.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

_SQL_HITUNG = """
INSERT INTO musrenbang_bataslaju (kunci, mulai, jumlah) VALUES (%(kunci)s, %(mulai)s, 1)
ON CONFLICT (kunci) DO UPDATE SET
  jumlah = CASE WHEN musrenbang_bataslaju.mulai < EXCLUDED.mulai THEN 1 ELSE musrenbang_bataslaju.jumlah + 1 END,
  mulai = GREATEST(musrenbang_bataslaju.mulai, EXCLUDED.mulai)
RETURNING jumlah
"""


# Only the current window's row is touched, and never below zero.
_SQL_KEMBALIKAN = """
UPDATE musrenbang_bataslaju SET jumlah = jumlah - 1
WHERE kunci = %(kunci)s AND mulai = %(mulai)s AND jumlah > 0
"""


def _awal_jendela(jendela_detik: int) -> datetime:
    sekarang = timezone.now().timestamp()
    return datetime.fromtimestamp(sekarang - sekarang % jendela_detik, tz=UTC)


def hitung(kunci: str, *, batas: int, jendela_detik: int = 3600) -> bool:
    """Count one attempt under `kunci`; True while the window's count is within `batas`.

    Atomic (one upsert), so concurrent requests cannot both slip under the limit.
    """
    with connection.cursor() as cursor:
        cursor.execute(_SQL_HITUNG, {"kunci": kunci[:200], "mulai": _awal_jendela(jendela_detik)})
        (jumlah,) = cursor.fetchone()
    return jumlah <= batas


def kembalikan(kunci: str, *, jendela_detik: int = 3600) -> None:
    """Take back one attempt counted by `hitung` that turned out not to count (a successful sign-in).

    Counting first and refunding afterwards, rather than checking first and counting failures
    afterwards, keeps the limit exact under concurrency: parallel guesses each hold a slot while
    the password is checked. Atomic (one update); a no-op once the window has moved on.
    """
    with connection.cursor() as cursor:
        cursor.execute(_SQL_KEMBALIKAN, {"kunci": kunci[:200], "mulai": _awal_jendela(jendela_detik)})


def sisa_detik(jendela_detik: int = 3600) -> int:
    """Seconds until the current window ends, when every limit counted in it starts again (Retry-After)."""
    return max(1, math.ceil(_awal_jendela(jendela_detik).timestamp() + jendela_detik - timezone.now().timestamp()))


def ip_klien(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the entry settings.JUMLAH_PROXY_TEPERCAYA proxies back
    in X-Forwarded-For (entries further left can be forged by the client)."""
    alamat = request.META.get("REMOTE_ADDR", "")
    jumlah_proxy = settings.JUMLAH_PROXY_TEPERCAYA
    if jumlah_proxy > 0:
        daftar = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(daftar) >= jumlah_proxy:
            alamat = daftar[-jumlah_proxy]
    try:
        ip = ipaddress.ip_address(alamat)
    except ValueError:
        return "tidak-dikenal"
    if ip.version == 6:
        # One IPv6 subscriber usually holds a whole /64.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _tanda(teks: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), teks.encode(), hashlib.sha256).hexdigest()[:32]


def kunci_ip(request: HttpRequest, lingkup: str) -> str:
    """A rate-limit key for this client's address in `lingkup`, without storing the address."""
    return f"{lingkup}:ip:{_tanda(ip_klien(request))}"


def kunci_identitas(identitas: str, lingkup: str) -> str:
    """A rate-limit key for an identity (e-mail, phone, username) in `lingkup`, without storing it.

    The caller normalises `identitas` first, so that spellings of the same identity share a key.
    """
    return f"{lingkup}:identitas:{_tanda(identitas)}"
