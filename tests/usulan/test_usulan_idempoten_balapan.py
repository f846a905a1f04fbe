"""Two retries of one offline draft arrive at the same moment (the page and the service worker): one
proposal, both answers name it."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.usulan.test_usulan_halaman import _data
from usulan.models import Usulan

pytestmark = pytest.mark.django_db(transaction=True)


def test_kunci_sama_bersamaan_satu_usulan(warga, siklus, titik_moro, foto_moro, settings):
    settings.BATAS_USULAN_PER_JAM_AKUN = settings.BATAS_USULAN_PER_JAM_IP = 100
    kunci = str(uuid.uuid4())
    klien = []
    for penanda in ("a", "b"):
        k = Client()
        k.force_login(warga)
        token = k.post(reverse("usulan:unggah_foto"), {"foto": foto_moro(penanda)}).json()["token"]
        klien.append((k, token))
    mulai = threading.Barrier(2)
    jawaban: list[dict] = []

    def kirim(k: Client, token: str) -> None:
        try:
            mulai.wait()
            jawab = k.post(
                reverse("usulan:buat"),
                _data(titik_moro, unggahan=[token], kunci_idempoten=kunci),
                headers={"accept": "application/json"},
            )
            jawaban.append({"status": jawab.status_code, **jawab.json()})
        finally:
            connection.close()

    utas = [threading.Thread(target=kirim, args=pasangan) for pasangan in klien]
    for u in utas:
        u.start()
    for u in utas:
        u.join(timeout=60)
    assert [j["status"] for j in jawaban] == [200, 200], jawaban
    assert jawaban[0]["kode_lacak"] == jawaban[1]["kode_lacak"]
    assert Usulan.objects.count() == 1 and Usulan.objects.get().foto.count() == 1
