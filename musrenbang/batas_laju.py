"""Rate limits on public forms and APIs: fixed windows counted in PostgreSQL, so every worker process agrees.

IP addresses and sign-in identities are personal data: keys hold an HMAC of them, never the text itself.
Costly public reads (map data, open-data downloads, Open311 GET) are limited per address with
`per_ip` / `lewat_batas_ip`; their limits are settings, 0 turning one off.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import ngettext

from musrenbang import pembersihan

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


def _sekarang() -> float:
    """The limiter's clock (seconds since the epoch). Tests replace it to step into the next window."""
    return timezone.now().timestamp()


def _awal_jendela(jendela_detik: int) -> datetime:
    sekarang = _sekarang()
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


def jendela_terpanjang() -> int:
    """The longest window any limit counts in (seconds): hourly limits, or the sign-in window if longer."""
    return max(3600, settings.BATAS_MASUK_JENDELA_MENIT * 60)


def hapus_kedaluwarsa(*, per_batch: int = pembersihan.PER_BATCH) -> int:
    """Delete the counters whose window ended (started longer ago than the longest window); a
    counter still counting is never touched. Returns how many were deleted."""
    from musrenbang.models import BatasLaju

    batas = datetime.fromtimestamp(_sekarang() - jendela_terpanjang(), tz=UTC)
    return pembersihan.hapus_bertahap(BatasLaju.objects.filter(mulai__lt=batas), per_batch=per_batch)


def sisa_detik(jendela_detik: int = 3600) -> int:
    """Seconds until the current window ends, when every limit counted in it starts again (Retry-After)."""
    return max(1, math.ceil(_awal_jendela(jendela_detik).timestamp() + jendela_detik - _sekarang()))


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


# --- Per-address limits on public reads -------------------------------------------------------------
def lewat_batas_ip(request: HttpRequest, lingkup: str, *, batas: int, jendela_detik: int) -> int | None:
    """Count this request under the client's address in `lingkup`.

    None while within `batas` per `jendela_detik` (or when `batas` is 0: no limit, and no query);
    otherwise the seconds until the window ends, for Retry-After and the message.
    """
    if batas <= 0 or hitung(kunci_ip(request, lingkup), batas=batas, jendela_detik=jendela_detik):
        return None
    return sisa_detik(jendela_detik)


def lama_tunggu(detik: int) -> str:
    """A wait as a person reads it: seconds under two minutes, else whole minutes (rounded up)."""
    if detik < 120:
        return ngettext("%(jumlah)d detik", "%(jumlah)d detik", detik) % {"jumlah": detik}
    menit = math.ceil(detik / 60)
    return ngettext("%(jumlah)d menit", "%(jumlah)d menit", menit) % {"jumlah": menit}


def pesan_tunggu(pesan: str | Promise, detik: int) -> str:
    """`pesan` (with a %(waktu)s placeholder) filled with the wait."""
    return str(pesan) % {"waktu": lama_tunggu(detik)}


def tandai_429(respons: HttpResponse, detik: int) -> HttpResponse:
    """Retry-After, and no shared cache may keep the refusal for the other clients behind it."""
    respons["Retry-After"] = str(detik)
    respons["Cache-Control"] = "no-store"
    return respons


def per_ip(
    lingkup: str, *, setelan: str, jendela_detik: int, pesan: str | Promise, cors: bool = False
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Limit a JSON view to `settings.<setelan>` requests per address per `jendela_detik` (read at request
    time; 0 = no limit). Over it: 429, {"galat": pesan} with the wait in words, and Retry-After."""

    def hias(fungsi: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(fungsi)
        def bungkus(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            batas = getattr(settings, setelan)
            detik = lewat_batas_ip(request, lingkup, batas=batas, jendela_detik=jendela_detik)
            if detik is None:
                return fungsi(request, *args, **kwargs)
            respons = JsonResponse({"galat": pesan_tunggu(pesan, detik)}, status=429)
            if cors:
                respons["Access-Control-Allow-Origin"] = "*"
            return tandai_429(respons, detik)

        return bungkus

    return hias
