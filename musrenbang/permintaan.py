"""The WSGI request the site is served with: Django's, except for a client-chosen charset.

Django looks the charset of `Content-Type` up with `codecs.lookup`, which also finds codecs that are
not text encodings (`rot13`, `base64`, `zlib`). It then decodes the query string with one while the
request is still being built, outside every middleware and view: a `LookupError` there reaches the
WSGI server as its own HTML 500 page, for any URL. A charset that is not a text encoding is ignored
here as Django ignores an unknown one; an API that must answer in its own format (Open311) refuses
it from `content_params` with `charset_teks`.
"""

from __future__ import annotations

import codecs
from typing import Any

from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.utils.http import parse_header_parameters


def charset_teks(nama: str) -> bool:
    """True when `nama` names an encoding that turns bytes into text and back (utf-8, latin-1, utf-16)."""
    try:
        codecs.lookup(nama)
        # Transform codecs (rot13, base64) are found by lookup but refuse str/bytes conversion.
        "".encode(nama)
        b"".decode(nama)
    except (LookupError, UnicodeError, ValueError, TypeError):
        return False
    return True


class PermintaanWSGI(WSGIRequest):
    """Django's WSGIRequest, ignoring a charset that is not a text encoding instead of failing on it."""

    def _set_content_type_params(self, meta: dict[str, Any]) -> None:
        # The same as Django's, but the test is "a text encoding", not "any codec Python knows".
        self.content_type, self.content_params = parse_header_parameters(meta.get("CONTENT_TYPE", ""))
        charset = self.content_params.get("charset")
        if charset is not None and charset_teks(charset):
            self.encoding = charset


class PenanganWSGI(WSGIHandler):
    """Django's WSGI handler building `PermintaanWSGI` requests (musrenbang.wsgi.application)."""

    request_class = PermintaanWSGI
