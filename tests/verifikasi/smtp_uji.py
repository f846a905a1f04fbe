"""A tiny real SMTP server on loopback, for tests (Python 3.11 here has neither smtpd nor aiosmtpd).

The port is bound at once but only listens after `mulai()`: until then a connection is refused,
exactly like a mail server that is down, and the port cannot be taken by anyone else meanwhile.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message


@dataclass
class PesanDiterima:
    pengirim: str
    penerima: list[str]
    data: bytes

    @property
    def email(self) -> Message:
        return message_from_bytes(self.data)


class _Penangan(socketserver.StreamRequestHandler):
    server: _Server

    def _jawab(self, teks: str) -> None:
        self.wfile.write(teks.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._jawab("220 smtp-uji ESMTP siap")
        pengirim, penerima = "", []
        while baris := self.rfile.readline():
            perintah = baris.decode("utf-8", "replace").strip()
            kata = perintah.upper()
            if kata.startswith("EHLO"):
                self._jawab("250-smtp-uji\r\n250 8BITMIME")
            elif kata.startswith("HELO") or kata in {"NOOP", "RSET"}:
                self._jawab("250 OK")
            elif kata.startswith("MAIL FROM:"):
                pengirim, penerima = perintah[10:].split()[0].strip("<>"), []
                self._jawab("250 OK")
            elif kata.startswith("RCPT TO:"):
                penerima.append(perintah[8:].split()[0].strip("<>"))
                self._jawab("250 OK")
            elif kata == "DATA":
                self._jawab("354 akhiri dengan <CRLF>.<CRLF>")
                isi = []
                while (baris := self.rfile.readline()) not in (b".\r\n", b""):
                    isi.append(baris[1:] if baris.startswith(b"..") else baris)
                # smtplib adds a CRLF before the closing dot when the message lacks one; drop it again.
                self.server.pesan.append(PesanDiterima(pengirim, penerima, b"".join(isi).removesuffix(b"\r\n")))
                self._jawab("250 OK diterima")
            elif kata == "QUIT":
                self._jawab("221 sampai jumpa")
                return
            else:
                self._jawab("502 perintah tidak dikenal")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    pesan: list[PesanDiterima]


class ServerSMTPUji:
    """Use as a context manager; `port` is reserved on entry, `mulai()` starts accepting mail."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Penangan, bind_and_activate=False)
        self._server.pesan = []
        self._utas: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def pesan(self) -> list[PesanDiterima]:
        return self._server.pesan

    def mulai(self) -> None:
        self._server.server_activate()
        self._utas = threading.Thread(target=self._server.serve_forever, name="smtp-uji", daemon=True)
        self._utas.start()

    def __enter__(self) -> ServerSMTPUji:
        self._server.server_bind()
        return self

    def __exit__(self, *galat: object) -> None:
        if self._utas is not None:
            self._server.shutdown()
            self._utas.join()
        self._server.server_close()
